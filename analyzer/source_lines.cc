#include "analyzer/source_lines.h"

#include <fstream>

namespace forksafe::analyzer {

const std::vector<std::string>& SourceLines::of(const std::string& file) {
  auto it = files_.find(file);
  if (it != files_.end()) return it->second;
  std::vector<std::string> text;
  std::ifstream in(file);
  for (std::string line; std::getline(in, line);) text.push_back(line);
  return files_.emplace(file, std::move(text)).first->second;
}

const std::string* SourceLines::line(const std::string& file, int number) {
  const std::vector<std::string>& lines = of(file);
  if (number < 1 || number > static_cast<int>(lines.size())) return nullptr;
  return &lines[number - 1];
}

}  // namespace forksafe::analyzer
