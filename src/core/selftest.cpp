#include "selftest.hpp"

#include <atomic>
#include <memory>
#include <new>
#include <stdexcept>

#include "error.hpp"

namespace spojscore {
namespace {

std::atomic<long> live_guards{0};

struct Guard {
    std::unique_ptr<std::string> payload{new std::string(256, 'x')};
    Guard() noexcept { ++live_guards; }
    ~Guard() { --live_guards; }
    Guard(const Guard&) = delete;
    Guard& operator=(const Guard&) = delete;
};

[[noreturn]] void throw_kind(const std::string& kind) {
    if (kind == "invalid_argument") throw Error(ErrorKind::InvalidArgument, "selftest: invalid argument");
    if (kind == "network") throw Error(ErrorKind::Network, "selftest: network failure");
    if (kind == "layout") throw Error(ErrorKind::Layout, "selftest: layout not recognised");
    if (kind == "size_limit") throw Error(ErrorKind::SizeLimit, "selftest: size limit exceeded");
    if (kind == "busy") throw Error(ErrorKind::Busy, "selftest: busy");
    if (kind == "refused") throw Error(ErrorKind::Refused, "selftest: refused by robots.txt");
    if (kind == "cancelled") throw Error(ErrorKind::Cancelled, "selftest: cancelled");
    if (kind == "internal") throw Error(ErrorKind::Internal, "selftest: internal error");
    if (kind == "bad_alloc") throw std::bad_alloc();
    if (kind == "std") throw std::logic_error("selftest: std::logic_error");
    if (kind == "foreign") throw 42;
    throw Error(ErrorKind::InvalidArgument, "selftest: unknown kind \"" + kind + "\"");
}

void recurse(const std::string& kind, int depth) {
    Guard guard;
    if (depth > 1) {
        recurse(kind, depth - 1);
        return;
    }
    if (kind != "none") throw_kind(kind);
}

}  // namespace

void selftest_throw(const std::string& kind, int depth) {
    if (depth < 1 || depth > 1000)
        throw Error(ErrorKind::InvalidArgument, "selftest: depth must be in 1..1000");
    recurse(kind, depth);
}

long selftest_live_guards() noexcept { return live_guards.load(); }

}  // namespace spojscore

#include "no_postgres.hpp"
