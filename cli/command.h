// The `forksafe` subcommands: one entry per job, one file per command
// (cli/<name>_command.cc).
#pragma once

#include <boost/program_options.hpp>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace forksafe::cli {

struct Command {
  const char* name;
  const char* summary;
  int (*run)(int argc, char** argv);  // argv[0] is the command name
};

std::span<const Command> commands();

// Runs a command; a UsageError or any other exception becomes one line on
// stderr ("forksafe NAME: what") and exit status 2.
int run_guarded(const Command& command, int argc, char** argv);

// Thrown for anything the user got wrong (bad flag, missing file, invalid
// input): main prints "forksafe CMD: what" on one line and exits 2.
struct UsageError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

// Exit codes shared by every command.
inline constexpr int kExitClean = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitUsage = 2;

// Parses a subcommand's options. Prints help and returns kExitClean through
// *exit_now for --help; throws UsageError for unknown or malformed options.
// Anything after a literal "--" is left in *rest (when rest is given).
boost::program_options::variables_map parse_options(
    int argc, char** argv, const boost::program_options::options_description& options,
    const boost::program_options::positional_options_description& positional,
    const std::string& usage, std::optional<int>* exit_now,
    std::vector<std::string>* rest = nullptr);

}  // namespace forksafe::cli
