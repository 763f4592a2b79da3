#include "error.hpp"

namespace spojscore {

const char* error_kind_name(ErrorKind kind) noexcept {
    switch (kind) {
        case ErrorKind::InvalidArgument: return "invalid argument";
        case ErrorKind::Network: return "network";
        case ErrorKind::Layout: return "layout";
        case ErrorKind::SizeLimit: return "size limit";
        case ErrorKind::Busy: return "busy";
        case ErrorKind::Refused: return "refused";
        case ErrorKind::Cancelled: return "cancelled";
        case ErrorKind::Internal: return "internal";
    }
    return "unknown";
}

}  // namespace spojscore

#include "no_postgres.hpp"
