#include "injector/launcher/suppression_file.h"

#include <fnmatch.h>

#include <sstream>

#include "injector/launcher/noise.h"

namespace forksafe::launcher {

bool parse_suppressions(std::istream& in, std::vector<SuppressionRule>* rules, std::string* error) {
  int number = 0;
  for (std::string line; std::getline(in, line);) {
    ++number;
    line = line.substr(0, line.find('#'));
    std::istringstream fields(line);
    SuppressionRule rule;
    if (!(fields >> rule.rule)) continue;  // blank or a comment
    std::string extra;
    if (!(fields >> rule.program >> rule.where) || fields >> extra) {
      *error = "line " + std::to_string(number) + ": expected three fields: rule program where";
      return false;
    }
    rules->push_back(rule);
  }
  return true;
}

namespace {

bool glob(const std::string& pattern, const std::string& text) {
  return fnmatch(pattern.c_str(), text.c_str(), 0) == 0;
}

bool matches_place(const std::string& pattern, const Location& l) {
  return (!l.function.empty() && glob(pattern, l.function)) || (!l.file.empty() && glob(pattern, l.file)) ||
         (!l.file.empty() && glob(pattern, l.file + ":" + std::to_string(l.line)));
}

bool matches(const SuppressionRule& rule, const Finding& f) {
  if (!glob(rule.rule, f.rule) || !glob(rule.program, f.properties.value("exe", ""))) return false;
  if (rule.where == "*" || matches_place(rule.where, f.location)) return true;
  for (const Step& step : f.chain) {
    if (matches_place(rule.where, step.location)) return true;
  }
  return false;
}

}  // namespace

size_t apply_suppressions(std::vector<Finding>* findings, const std::vector<SuppressionRule>& rules) {
  size_t records = 0;
  std::erase_if(*findings, [&](const Finding& f) {
    for (const SuppressionRule& rule : rules) {
      if (!matches(rule, f)) continue;
      records += records_of(f);
      return true;
    }
    return false;
  });
  return records;
}

}  // namespace forksafe::launcher
