#include "cli/rule_options.h"

#include <iomanip>

#include "cli/command.h"
#include "common/rules.h"

namespace forksafe::cli {

std::optional<Level> parse_fail_on(const std::string& text) {
  if (text == "none") return std::nullopt;
  Level level;
  if (!parse_level(text, &level)) throw UsageError("--fail-on wants note, warning, error or none, not '" + text + "'");
  return level;
}

bool fails(const std::optional<Level>& fail_on, Level level) { return fail_on && level >= *fail_on; }

void list_rules(std::ostream& out, const std::function<bool(std::string_view id)>& wanted) {
  for (const Rule& rule : all_rules()) {
    if (!wanted(rule.id)) continue;
    out << std::left << std::setw(22) << rule.id << std::setw(9) << level_name(rule.default_level)
        << rule.short_description << "\n";
  }
}

}  // namespace forksafe::cli
