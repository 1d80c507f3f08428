#include "analyzer/config.h"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>

#include "analyzer/compile_db.h"

namespace forksafe::analyzer {
namespace {

namespace fs = std::filesystem;

[[noreturn]] void bad(const std::string& file, const std::string& key, const std::string& what) {
  throw ConfigError(file + ": " + key + ": " + what);
}

std::string scalar(const YAML::Node& node, const std::string& file, const std::string& key) {
  if (!node.IsScalar()) bad(file, key, "wants a string");
  return node.Scalar();
}

// A string or a list of strings.
std::vector<std::string> strings(const YAML::Node& node, const std::string& file, const std::string& key) {
  if (node.IsScalar()) return {node.Scalar()};
  if (!node.IsSequence()) bad(file, key, "wants a string or a list of strings");
  std::vector<std::string> out;
  for (const YAML::Node& item : node) out.push_back(scalar(item, file, key));
  return out;
}

std::string one_of(const YAML::Node& node, const std::string& file, const std::string& key,
                   const std::vector<std::string>& allowed) {
  std::string value = scalar(node, file, key);
  std::string choices;
  for (const std::string& a : allowed) {
    if (a == value) return value;
    choices += (choices.empty() ? "" : ", ") + a;
  }
  bad(file, key, "'" + value + "' is not one of " + choices);
}

}  // namespace

bool parse_fork_like(const std::string& spec, std::string* name, long long* child_value) {
  auto equals = spec.find('=');
  *name = spec.substr(0, equals);
  *child_value = 0;
  if (equals == std::string::npos) return !name->empty();
  try {
    size_t used = 0;
    *child_value = std::stoll(spec.substr(equals + 1), &used);
    return !name->empty() && used == spec.size() - equals - 1;
  } catch (const std::logic_error&) {
    return false;
  }
}

Config parse_config(const std::string& text, const std::string& file, const std::string& dir) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    throw ConfigError(file + ":" + std::to_string(e.mark.line + 1) + ": not valid YAML: " + e.msg);
  }
  Config c;
  c.file = file;
  c.exclude_base = dir;
  if (root.IsNull()) return c;
  if (!root.IsMap()) throw ConfigError(file + ": not a map of keys (Checks:, Profile: ...)");
  for (const auto& entry : root) {
    const std::string key = entry.first.IsScalar() ? entry.first.Scalar() : "?";
    const YAML::Node& value = entry.second;
    if (key == "Checks") {
      std::string globs;
      for (const std::string& g : strings(value, file, key)) globs += (globs.empty() ? "" : ",") + g;
      c.checks = globs;
    } else if (key == "Profile") {
      c.profile = one_of(value, file, key, {"posix-2024", "posix-2017"});
    } else if (key == "Linux") {
      c.linux_glibc = one_of(value, file, key, {"true", "false"}) == "true";
    } else if (key == "ForkLike") {
      for (const std::string& spec : strings(value, file, key)) {
        std::string name;
        long long child = 0;
        if (!parse_fork_like(spec, &name, &child)) bad(file, key, "'" + spec + "' is not NAME or NAME=INTEGER");
        c.fork_like.push_back(spec);
      }
    } else if (key == "Safe") {
      c.safe = strings(value, file, key);
    } else if (key == "Unsafe") {
      if (!value.IsMap()) bad(file, key, "wants a map of NAME: REASON");
      for (const auto& item : value) c.unsafe[scalar(item.first, file, key)] = scalar(item.second, file, key);
    } else if (key == "SafeList") {
      for (const std::string& path : strings(value, file, key)) c.safe_lists.push_back(absolute_path(path, dir));
    } else if (key == "HeaderFilterRegex") {
      c.header_filter = scalar(value, file, key);
      try {
        std::regex check(*c.header_filter, std::regex::extended);
      } catch (const std::regex_error&) {
        bad(file, key, "'" + *c.header_filter + "' is not a valid regular expression");
      }
    } else if (key == "Exclude") {
      c.exclude = strings(value, file, key);
      for (const std::string& glob : c.exclude) {
        if (glob.empty()) bad(file, key, "an empty glob");
      }
    } else if (key == "FailOn") {
      c.fail_on = one_of(value, file, key, {"note", "warning", "error", "none"});
    } else {
      bad(file, key, "unknown key (Checks, Profile, Linux, ForkLike, Safe, Unsafe, SafeList, HeaderFilterRegex, "
                     "Exclude, FailOn)");
    }
  }
  return c;
}

Config read_config_file(const std::string& path) {
  std::error_code ec;
  if (!fs::is_regular_file(path, ec)) throw ConfigError(path + ": no such configuration file");
  std::ifstream in(path);
  if (!in) throw ConfigError(path + ": cannot read it");
  std::ostringstream text;
  text << in.rdbuf();
  return parse_config(text.str(), path, fs::path(path).parent_path().string());
}

ConfigFinder::ConfigFinder(std::optional<Config> given) {
  if (given) given_ = std::make_shared<const Config>(std::move(*given));
}

const Config* ConfigFinder::for_directory(const std::string& dir) {
  if (given_) return given_.get();
  auto it = by_directory_.find(dir);
  if (it != by_directory_.end()) return it->second.get();
  std::shared_ptr<const Config> found;
  std::error_code ec;
  fs::path here(dir);
  if (fs::is_regular_file(here / kConfigFileName, ec)) {
    found = std::make_shared<const Config>(read_config_file((here / kConfigFileName).string()));
  } else if (here.has_parent_path() && here.parent_path() != here) {
    const Config* parent = for_directory(here.parent_path().string());
    if (parent) found = by_directory_[here.parent_path().string()];
  }
  by_directory_[dir] = found;
  return found.get();
}

const Config* ConfigFinder::for_file(const std::string& file) {
  return for_directory(fs::path(file).parent_path().string());
}

EnabledRules::EnabledRules(ConfigFinder* finder, std::string command_line_checks)
    : finder_(finder), command_line_(std::move(command_line_checks)) {}

const GlobList& EnabledRules::for_directory(const std::string& dir) {
  const Config* config = finder_->for_directory(dir);
  auto it = lists_.find(config);
  if (it != lists_.end()) return it->second;
  std::string globs = "forksafe-*";
  if (config && config->checks) globs += "," + *config->checks;
  if (!command_line_.empty()) globs += "," + command_line_;
  return lists_.emplace(config, GlobList(globs)).first->second;
}

bool EnabledRules::enabled(const std::string& rule, const std::string& file) {
  return for_directory(fs::path(file).parent_path().string()).contains(check_name(rule));
}

}  // namespace forksafe::analyzer
