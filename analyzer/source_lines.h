// The lines of source files, each file read once: for NOLINT comments and for
// the source lines quoted under findings.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace forksafe::analyzer {

class SourceLines {
 public:
  // Empty when the file cannot be read.
  const std::vector<std::string>& of(const std::string& file);
  // Line `number` (1-based) of `file`; nullptr when there is none.
  const std::string* line(const std::string& file, int number);

 private:
  std::map<std::string, std::vector<std::string>> files_;
};

}  // namespace forksafe::analyzer
