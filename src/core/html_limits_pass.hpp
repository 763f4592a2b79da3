// What count_markup's two tokenizer passes (html_limits.cpp, html_limits_html5.cpp) share:
// the right-to-left walk that polls cancel, and how a tag's names are added up.
#pragma once
#include <algorithm>
#include <cstddef>
#include <string_view>

#include "cancel.hpp"
#include "error.hpp"
#include "html_limits.hpp"

namespace spojscore::html::pass {

// Overlapping pseudo-tags (`<a<a<a ... b c d`) can add up past any real count: the sum
// stops here, far above any budget and far below overflow in memory_bound.
inline constexpr std::size_t kSaturated = std::size_t{1} << 40;

// A tag whose attribute names a pass counted; only start tags count towards max_attributes.
inline void add_tag(MarkupCounts& out, std::size_t names, bool start) noexcept {
    out.attributes = std::min(out.attributes + names, kSaturated);
    if (start) out.max_attributes = std::max(out.max_attributes, names);
}

// step(i) for every i from the end of `s` to 0, polling `cancel` every 64 KB; throws
// Error(Cancelled).
template <class Step>
void right_to_left(std::string_view s, const CancelCheck& cancel, Step&& step) {
    constexpr std::size_t kCancelEvery = 64 * 1024;
    for (std::size_t block_end = s.size(); block_end > 0;) {
        if (cancel.requested()) throw Error(ErrorKind::Cancelled, "cancelled while checking the page");
        const std::size_t block_start = block_end > kCancelEvery ? block_end - kCancelEvery : 0;
        for (std::size_t i = block_end; i-- > block_start;) step(i);
        block_end = block_start;
    }
}

}  // namespace spojscore::html::pass
