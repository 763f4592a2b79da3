// Typed errors thrown by core. src/pg maps each Kind to one SQLSTATE; nothing
// else crosses the boundary, so a new failure mode means a new Kind here.
#pragma once
#include <stdexcept>
#include <string>

namespace spojscore {

enum class ErrorKind {
    InvalidArgument,  // bad caller input                    -> 22023
    Network,          // transport, HTTP status, TLS           -> 08006
    Layout,           // page not understood, guard tripped    -> 22000
    SizeLimit,        // body/page/run cap exceeded           -> 54000
    Busy,             // another refresh holds the lock        -> 55P03
    Refused,          // the site's robots.txt forbids the fetch -> 08004
    Cancelled,        // the cancel callback said stop         -> 57014 (the server's own)
    Internal,         // a bug in spojscore                    -> XX000
};

class Error : public std::runtime_error {
public:
    Error(ErrorKind kind, const std::string& message)
        : std::runtime_error(message), kind_(kind) {}
    ErrorKind kind() const noexcept { return kind_; }

private:
    ErrorKind kind_;
};

const char* error_kind_name(ErrorKind kind) noexcept;

}  // namespace spojscore
