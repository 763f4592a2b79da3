// Linear passes over a page before libxml2 parses it, so that no input makes the parse
// superlinear or its tree a large multiple of the page. libxml2 before 2.14 compares each
// attribute of a start tag with every earlier one (quadratic in one tag: 100,000
// attributes cost 9 s), 2.14 and later walk an element's attribute list to add each one
// to the tree (20 s for 100,000 on 2.15); its tree costs some 170-330 bytes per node or
// attribute.
#pragma once
#include <cstddef>
#include <string>
#include <string_view>

#include "cancel.hpp"

namespace spojscore::html {

// SPOJ's tags have fewer than 20 attributes; past this a page is not one of SPOJ's.
inline constexpr std::size_t kMaxTagAttributes = 256;

// What libxml2 can make of a body at most, whichever libxml2 runs. Every '<' followed by a
// name start is counted as a start tag with the attributes a tokenizer would read there,
// wherever it is (in a comment or a script too): an upper bound whatever the context.
// Two tokenizers are modelled: libxml2 2.9-2.13's own, and 2.14+'s HTML5 (WHATWG) one,
// which also reads '/'-separated attributes (`<p/a/b>`) and those of end tags.
struct MarkupCounts {
    std::size_t markup = 0;          // '<' but not "</name": elements, comments, ... (and a text node each)
    std::size_t attributes = 0;      // attribute names over all tags (end tags' too on 2.14+)
    std::size_t max_attributes = 0;  // the most attribute names in one start tag
};

// Two linear passes over `bytes` (ASCII-transparent: see choose_encoding), polling
// `cancel` every 64 KB; throws Error(Cancelled). Each count is the larger of the two
// tokenizers': the libxml2 a binary runs with may be newer or older than its headers.
MarkupCounts count_markup(std::string_view bytes, const CancelCheck& cancel = {});
// One tokenizer's counts: libxml2 2.9.14-2.13 (html_limits.cpp) and 2.14-2.15
// (html_limits_html5.cpp).
MarkupCounts count_markup_legacy(std::string_view bytes, const CancelCheck& cancel = {});
MarkupCounts count_markup_html5(std::string_view bytes, const CancelCheck& cancel = {});

// Why a page with these counts is not given to libxml2 ("" when it may be): a start tag
// with more than kMaxTagAttributes attributes.
std::string markup_refusal(const MarkupCounts& counts);

// What keeping a parse of a page can cost, per '<' that is not an end tag and per attribute.
struct MemoryCost {
    std::size_t per_markup, per_attribute;
};
// libxml2's tree, measured with 2.9.14 and 2.15 (the same) and rounded up: an element with
// the text node after it 330 bytes, an attribute with its value 320.
inline constexpr MemoryCost kTreeCost{340, 330};
// The list parser's scan: two 16-byte nodes per tag at most, kept in vectors that double.
inline constexpr MemoryCost kScanCost{64, 0};

std::size_t memory_bound(const MarkupCounts& counts, MemoryCost cost) noexcept;

// What a parse may keep for an input of `input_bytes`: max(64 MB, 8 x input).
std::size_t memory_budget(std::size_t input_bytes) noexcept;

// Throws Error(SizeLimit) when memory_bound could exceed memory_budget. `what` names the
// input in the message.
void require_memory_budget(const MarkupCounts& counts, MemoryCost cost, std::size_t input_bytes, const char* what);

}  // namespace spojscore::html
