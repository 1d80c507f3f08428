#include "analyzer/suppressions.h"

#include <fstream>

namespace forksafe::analyzer {

bool names_rule(const std::string& line, const std::string& marker, const std::string& rule) {
  for (size_t at = line.find(marker); at != std::string::npos; at = line.find(marker, at + 1)) {
    size_t after = at + marker.size();
    // NOLINT must not match the start of NOLINTNEXTLINE / NOLINTBEGIN.
    if (after < line.size() && std::isalpha(static_cast<unsigned char>(line[after]))) continue;
    if (after >= line.size() || line[after] != '(') return true;  // no list: every rule
    size_t close = line.find(')', after);
    std::string list = line.substr(after + 1, close == std::string::npos ? std::string::npos : close - after - 1);
    size_t start = 0;
    while (start <= list.size()) {
      size_t comma = list.find(',', start);
      std::string item = list.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      item.erase(0, item.find_first_not_of(' '));
      item.erase(item.find_last_not_of(' ') + 1);
      if (item == "forksafe-" + rule || item == "forksafe-*" || item == "*") return true;
      if (comma == std::string::npos) break;
      start = comma + 1;
    }
  }
  return false;
}

const std::vector<std::string>& Suppressions::lines(const std::string& file) {
  auto it = files_.find(file);
  if (it != files_.end()) return it->second;
  std::vector<std::string> text;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) text.push_back(line);
  return files_.emplace(file, std::move(text)).first->second;
}

bool Suppressions::suppressed(const Finding& finding) {
  const auto& text = lines(finding.location.file);
  int line = finding.location.line;  // 1-based
  if (line < 1 || line > static_cast<int>(text.size())) return false;
  if (names_rule(text[line - 1], "NOLINT", finding.rule)) return true;
  if (line >= 2 && names_rule(text[line - 2], "NOLINTNEXTLINE", finding.rule)) return true;
  // Inside a NOLINTBEGIN ... NOLINTEND block for this rule.
  int depth = 0;
  for (int i = 0; i < line - 1; ++i) {
    if (names_rule(text[i], "NOLINTBEGIN", finding.rule)) ++depth;
    if (names_rule(text[i], "NOLINTEND", finding.rule) && depth > 0) --depth;
  }
  return depth > 0;
}

}  // namespace forksafe::analyzer
