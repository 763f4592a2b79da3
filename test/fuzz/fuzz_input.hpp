// How every harness reads its input: the body, and from a first line starting with "ct:"
// the Content-Type header value (so the fuzzer can vary charsets the HTTP way too).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace spojscore::fuzz {

struct Input {
    std::string_view body;
    std::string_view content_type;
};

inline Input split_input(const std::uint8_t* data, std::size_t size) {
    Input in{std::string_view(reinterpret_cast<const char*>(data), size), {}};
    if (in.body.substr(0, 3) == "ct:") {
        const std::size_t eol = in.body.find('\n');
        in.content_type = in.body.substr(3, eol == std::string_view::npos ? in.body.npos : eol - 3);
        in.body.remove_prefix(eol == std::string_view::npos ? in.body.size() : eol + 1);
    }
    return in;
}

}  // namespace spojscore::fuzz
