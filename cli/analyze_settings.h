// What one run of `forksafe analyze` is told, from its configuration file
// (.forksafe.yaml, --config, --config-file) and its options: an option given
// on the command line wins over the file's key; lists (--fork-like,
// --safe-list, --exclude) add to the file's.
#pragma once

#include <boost/program_options.hpp>
#include <map>
#include <optional>
#include <string>

#include "analyzer/config.h"
#include "analyzer/path_filter.h"
#include "analyzer/safety_db.h"
#include "common/finding.h"

namespace forksafe::cli {

struct AnalyzeSettings {
  analyzer::SafetyOptions safety;
  std::map<std::string, long long> fork_like;  // name -> the child's value
  analyzer::PathFilter paths;
  std::optional<Level> fail_on;  // nullopt: --fail-on none
};

// `config` is the run's configuration (nullptr: none); relative paths of the
// options are relative to `cwd`. Throws UsageError for bad values.
AnalyzeSettings analyze_settings(const analyzer::Config* config, const boost::program_options::variables_map& vm,
                                 const std::string& cwd);

// The configuration --config or --config-file gives, if any (not both).
std::optional<analyzer::Config> given_config(const boost::program_options::variables_map& vm, const std::string& cwd);

}  // namespace forksafe::cli
