// One SPOJ user profile page (/users/HANDLE/), parsed, and fetching one. Pure data: no
// libxml2 types leak out.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cancel.hpp"
#include "fetch_options.hpp"

namespace spojscore {

inline constexpr std::size_t kMaxHandleBytes = 32;

enum class ProfileKind {
    Profile,        // div#user-profile-left with an @handle, and the solved list (possibly empty)
    UnknownHandle,  // a whole SPOJ page (footer seen) without div#user-profile-left: no such user
    Blocked,        // bot challenge, maintenance, login wall or error page
    Unrecognised,   // anything else, a profile cut short included
};

struct ProfilePage {
    ProfileKind kind = ProfileKind::Unrecognised;
    std::string handle;                             // from "@handle" (without @), lower-case
    std::string full_name;                          // the <h3> of #user-profile-left, may be empty
    std::optional<std::int64_t> world_rank;         // "World Rank: #28304 (0.6 points)"
    std::optional<double> points;                   // the site's displayed points (0.6 above)
    std::optional<std::int64_t> problems_solved;    // dt "Problems solved" / dd
    std::optional<std::int64_t> solutions_submitted;
    std::vector<std::string> solved;                // classical codes, sorted, unique: only the table
                                                    // after the "List of solved classical problems"
                                                    // heading; empty cells ignored
    int skipped_cells = 0;                          // non-empty cells of that table without a valid
                                                    // /status/CODE,handle/ link
    std::string detail;                             // why UnknownHandle/Blocked/Unrecognised
};

// Parses one profile page. `content_type` is the HTTP Content-Type header value (may be
// empty); charset as for list pages (header, else <meta>, else UTF-8). Never throws for
// bad HTML: the result's kind says what the page was. A Profile needs #user-profile-left
// with a valid "@handle", and the solved heading (unless "Problems solved" is 0): a
// heading with no table, or an empty table, is 0 solved. The page counts as cut short
// (Unrecognised) unless the site footer (#footer, #footer-srl or "All Rights Reserved")
// comes after the solved table (or, without one, after #user-profile-left). A start tag
// with more than 256 attributes makes it Unrecognised before libxml2 sees it. Throws
// Error(SizeLimit) before parsing when the tree could take more than max(64 MB, 8 x the
// page) (html_limits.hpp), Error(Cancelled) when `cancel` says stop.
ProfilePage parse_profile_page(std::string_view body, std::string_view content_type = {},
                               const CancelCheck& cancel = {});

// ^[a-z0-9_]{1,32}$
bool valid_handle(std::string_view handle) noexcept;

// Throws Error(InvalidArgument) naming the handle (escaped, at most 40 bytes shown)
// unless valid_handle.
void require_valid_handle(std::string_view handle);

// <base_url>/users/<handle>/ (trailing slashes of base_url dropped). Checks the handle.
std::string profile_url(std::string_view base_url, std::string_view handle);

// Fetches and parses one profile with the list fetcher's safety (Fetcher: one request,
// the same limits, redirects rules and cancel callback). The handle is checked before
// anything else. Throws Error: InvalidArgument for a bad handle or bad options, Network,
// SizeLimit, Cancelled (fetch), Layout for a Blocked/Unrecognised page or a profile of
// another handle, and InvalidArgument "unknown SPOJ user ..." for UnknownHandle. Never
// returns anything but a Profile.
ProfilePage fetch_profile(const FetchOptions& options, std::string_view handle);

// Throws unless `page` is a Profile: InvalidArgument "unknown SPOJ user" for
// UnknownHandle, Layout for Blocked/Unrecognised. `who` names the page in the message
// ("profile of \"x\"", "page"), and `url`, when given, is appended.
void require_profile(const ProfilePage& page, const std::string& who, std::string_view url = {});

const char* profile_kind_name(ProfileKind kind) noexcept;

}  // namespace spojscore
