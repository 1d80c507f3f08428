#include "analyzer/suppressions.h"

#include <algorithm>

#include "analyzer/glob_list.h"

namespace forksafe::analyzer {

std::vector<std::string> directives(const std::string& line, const std::string& marker) {
  std::vector<std::string> out;
  for (size_t at = line.find(marker); at != std::string::npos; at = line.find(marker, at + 1)) {
    size_t after = at + marker.size();
    // NOLINT must not match the start of NOLINTNEXTLINE / NOLINTBEGIN.
    if (after < line.size() && std::isalpha(static_cast<unsigned char>(line[after]))) continue;
    if (after >= line.size() || line[after] != '(') {
      out.push_back("*");  // no list: every rule
      continue;
    }
    size_t close = line.find(')', after);
    out.push_back(line.substr(after + 1, close == std::string::npos ? std::string::npos : close - after - 1));
  }
  return out;
}

namespace {

bool any_names(const std::vector<std::string>& lists, const std::string& rule) {
  return std::any_of(lists.begin(), lists.end(),
                     [&](const std::string& list) { return GlobList(list).contains(check_name(rule)); });
}

}  // namespace

bool names_rule(const std::string& line, const std::string& marker, const std::string& rule) {
  return any_names(directives(line, marker), rule);
}

bool Suppressions::suppressed(const Finding& finding) {
  const auto& text = sources_.of(finding.location.file);
  int line = finding.location.line;  // 1-based
  if (line < 1 || line > static_cast<int>(text.size())) return false;
  if (names_rule(text[line - 1], "NOLINT", finding.rule)) return true;
  if (line >= 2 && names_rule(text[line - 2], "NOLINTNEXTLINE", finding.rule)) return true;
  // The NOLINTBEGIN blocks still open at the line: as in clang-tidy, a
  // NOLINTEND closes the last NOLINTBEGIN with the same list.
  std::vector<std::string> open;
  for (int i = 0; i < line - 1; ++i) {
    for (const std::string& list : directives(text[i], "NOLINTBEGIN")) open.push_back(list);
    for (const std::string& list : directives(text[i], "NOLINTEND")) {
      auto begin = std::find(open.rbegin(), open.rend(), list);
      if (begin != open.rend()) open.erase(std::next(begin).base());
    }
  }
  return any_names(open, finding.rule);
}

}  // namespace forksafe::analyzer
