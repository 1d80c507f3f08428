// What the commands that report findings share: --fail-on and --list-rules.
#pragma once

#include <functional>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>

#include "common/finding.h"

namespace forksafe::cli {

// --fail-on: note, warning or error; "none" (nullopt) fails on nothing.
// Throws UsageError otherwise.
std::optional<Level> parse_fail_on(const std::string& text);
bool fails(const std::optional<Level>& fail_on, Level level);

// --list-rules: one line per rule `wanted` keeps: id, default level, what it finds.
void list_rules(std::ostream& out, const std::function<bool(std::string_view id)>& wanted);

}  // namespace forksafe::cli
