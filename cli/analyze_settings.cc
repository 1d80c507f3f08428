#include "cli/analyze_settings.h"

#include <stdexcept>

#include "analyzer/compile_db.h"
#include "cli/command.h"
#include "cli/rule_options.h"

namespace forksafe::cli {

using namespace forksafe::analyzer;

namespace {

// The option's value when the user gave it, else the file's, else the default.
std::string chosen(const boost::program_options::variables_map& vm, const char* option,
                   const std::optional<std::string>& from_file) {
  if (!vm[option].defaulted() || !from_file) return vm[option].as<std::string>();
  return *from_file;
}

void add_fork_like(const std::string& spec, const std::string& where, std::map<std::string, long long>* out) {
  std::string name;
  long long child = 0;
  if (!parse_fork_like(spec, &name, &child)) throw UsageError(where + " " + spec + ": the value after = is not an integer");
  (*out)[name] = child;
}

}  // namespace

std::optional<Config> given_config(const boost::program_options::variables_map& vm, const std::string& cwd) {
  if (vm.count("config") && vm.count("config-file")) throw UsageError("give --config or --config-file, not both");
  if (vm.count("config")) return parse_config(vm["config"].as<std::string>(), "--config", cwd);
  if (vm.count("config-file")) return read_config_file(absolute_path(vm["config-file"].as<std::string>(), cwd));
  return std::nullopt;
}

AnalyzeSettings analyze_settings(const Config* config, const boost::program_options::variables_map& vm,
                                 const std::string& cwd) {
  const Config none;
  const Config& file = config ? *config : none;
  AnalyzeSettings s;
  s.safety.profile = chosen(vm, "profile", file.profile);
  s.safety.linux_glibc = vm["linux"].as<bool>() || file.linux_glibc.value_or(false);
  s.safety.user_files = file.safe_lists;
  if (vm.count("safe-list")) s.safety.user_files.push_back(absolute_path(vm["safe-list"].as<std::string>(), cwd));
  s.safety.safe = file.safe;
  s.safety.unsafe = file.unsafe;
  for (const std::string& spec : file.fork_like) add_fork_like(spec, file.file + ": ForkLike:", &s.fork_like);
  if (vm.count("fork-like")) {
    for (const std::string& spec : vm["fork-like"].as<std::vector<std::string>>()) add_fork_like(spec, "--fork-like", &s.fork_like);
  }
  try {
    for (const std::string& glob : file.exclude) s.paths.exclude(glob, file.exclude_base);
    if (vm.count("exclude")) {
      for (const std::string& glob : vm["exclude"].as<std::vector<std::string>>()) s.paths.exclude(glob, cwd);
    }
    if (vm.count("header-filter")) {
      s.paths.set_header_filter(vm["header-filter"].as<std::string>());
    } else if (file.header_filter) {
      s.paths.set_header_filter(*file.header_filter);
    }
  } catch (const std::runtime_error& e) {
    throw UsageError(std::string("--exclude / --header-filter: ") + e.what());
  }
  s.fail_on = parse_fail_on(chosen(vm, "fail-on", file.fail_on));
  return s;
}

}  // namespace forksafe::cli
