// The extension's version, shown in the User-Agent. Keep equal to default_version in
// spojscore.control.
#pragma once

namespace spojscore {

inline constexpr char kVersion[] = "0.2.0";

}  // namespace spojscore
