// `.forksafe.yaml`: the analyzer's configuration in a repository, found like
// `.clang-tidy` by walking up from each source file, or given whole with
// --config / --config-file. docs/analyzer.md lists the keys.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "analyzer/glob_list.h"
#include "common/json_input.h"

namespace forksafe::analyzer {

inline constexpr const char* kConfigFileName = ".forksafe.yaml";

struct Config {
  std::string file;  // where it was read from ("--config" for a string)
  std::optional<std::string> checks;         // Checks: clang-tidy glob list
  std::optional<std::string> profile;        // Profile: posix-2024 or posix-2017
  std::optional<bool> linux_glibc;           // Linux: true / false
  std::vector<std::string> fork_like;        // ForkLike: NAME[=VALUE] ...
  std::vector<std::string> safe;             // Safe: NAME ...
  std::map<std::string, std::string> unsafe;  // Unsafe: NAME: REASON
  std::vector<std::string> safe_lists;       // SafeList: FILE..., made absolute
  std::optional<std::string> header_filter;  // HeaderFilterRegex: REGEX
  std::vector<std::string> exclude;          // Exclude: GLOB ...
  std::string exclude_base;                  // the directory Exclude globs are relative to
  std::optional<std::string> fail_on;        // FailOn: note, warning, error or none
};

// One line: "FILE: KEY: what is wrong" (or "FILE:LINE: ..." for bad YAML);
// an input error, so the command says it and exits 2.
struct ConfigError : InputError {
  using InputError::InputError;
};

// Reads YAML `text`; `file` names it in errors, relative paths in it are
// relative to `dir`. Throws ConfigError for bad YAML, unknown keys and bad values.
Config parse_config(const std::string& text, const std::string& file, const std::string& dir);
Config read_config_file(const std::string& path);

// "NAME" or "NAME=VALUE" (the child's return value, default 0); false when
// VALUE is not an integer.
bool parse_fork_like(const std::string& spec, std::string* name, long long* child_value);

// The configuration of each directory: the one given, or the nearest
// .forksafe.yaml in the directory or its parents (each file read once).
class ConfigFinder {
 public:
  explicit ConfigFinder(std::optional<Config> given = std::nullopt);
  // nullptr when there is none. Throws ConfigError for a bad file.
  const Config* for_directory(const std::string& dir);
  const Config* for_file(const std::string& file);

 private:
  std::shared_ptr<const Config> given_;
  std::map<std::string, std::shared_ptr<const Config>> by_directory_;
};

// Which rules are on for a file: "forksafe-*", then the Checks: of the file's
// configuration, then --checks, as one clang-tidy glob list (the last
// matching glob decides, so "-*,forksafe-fork-*" keeps only fork-*).
class EnabledRules {
 public:
  EnabledRules(ConfigFinder* finder, std::string command_line_checks);
  bool enabled(const std::string& rule, const std::string& file);
  // The glob list for a file in `dir`, for --list-rules.
  const GlobList& for_directory(const std::string& dir);

 private:
  ConfigFinder* finder_;
  std::string command_line_;
  std::map<const Config*, GlobList> lists_;
};

}  // namespace forksafe::analyzer
