// Which files a run leaves out (--exclude, `Exclude:`) and from which headers
// it shows findings (--header-filter, `HeaderFilterRegex:`).
#pragma once

#include <optional>
#include <regex>
#include <set>
#include <string>
#include <vector>

namespace forksafe::analyzer {

class PathFilter {
 public:
  // A path glob relative to `base` (absolute globs are absolute): `*` and `?`
  // stay within one path component, `**` crosses them, a trailing `/` means
  // everything under the directory. Throws std::runtime_error when bad.
  void exclude(const std::string& glob, const std::string& base);
  // clang-tidy's -header-filter: a POSIX extended regex searched for in the
  // header's path. Throws std::runtime_error when it does not compile.
  void set_header_filter(const std::string& regex);

  bool excluded(const std::string& file) const;
  // Whether a finding in `file` is shown: never in an excluded file; always
  // in a main file (a translation unit's source); in a header only when it
  // matches the header filter, if there is one.
  bool shown(const std::string& file, const std::set<std::string>& main_files) const;

 private:
  struct Glob {
    std::string base;
    std::regex pattern;
  };
  std::vector<Glob> excludes_;
  std::optional<std::regex> header_filter_;
};

}  // namespace forksafe::analyzer
