// forksafe: one command, one subcommand per job.
#include <cstring>
#include <iostream>
#include <string_view>

#include "cli/command.h"
#include "common/version.h"

namespace forksafe::cli {
int exec_analyzer(int argc, char** argv);
int run_command(int argc, char** argv);
int scenarios_command(int argc, char** argv);
int report_command(int argc, char** argv);
int bench_command(int argc, char** argv);
int merge_command(int argc, char** argv);

std::span<const Command> commands() {
  static const Command kCommands[] = {
      {"analyze", "find code that is not async-signal-safe between fork and exec (static)", exec_analyzer},
      {"run", "run a command under the injector and report what its children do (runtime)", run_command},
      {"scenarios", "run the deadlock scenarios with the broken and the fixed spawner", scenarios_command},
      {"report", "render SARIF and JSON results as HTML, text or JSON", report_command},
      {"bench", "measure spawn latency against heap size, and the tools' own cost", bench_command},
      {"merge", "join SARIF files (e.g. shards of one analysis) into one", merge_command},
  };
  return kCommands;
}
}  // namespace forksafe::cli

namespace {

void print_help() {
  std::cout << "usage: forksafe [--help] [--version] COMMAND [ARGS...]\n\n"
               "Finds, proves and fixes bugs between fork() and exec().\n\ncommands:\n";
  for (const auto& c : forksafe::cli::commands()) {
    std::cout << "  " << c.name << std::string(12 - std::strlen(c.name), ' ') << c.summary << "\n";
  }
  std::cout << "\n'forksafe COMMAND --help' describes a command.\n"
               "exit status: 0 clean, 1 findings, 2 usage or input error\n";
}

}  // namespace

int main(int argc, char** argv) {
  using namespace forksafe::cli;
  if (argc < 2) {
    print_help();
    return kExitUsage;
  }
  std::string_view first = argv[1];
  if (first == "--help" || first == "-h" || first == "help") {
    print_help();
    return kExitClean;
  }
  if (first == "--version") {
    std::cout << "forksafe " << forksafe::kVersion << "\n";
    return kExitClean;
  }
  for (const auto& c : commands()) {
    if (first == c.name) return run_guarded(c, argc - 1, argv + 1);
  }
  std::cerr << "forksafe: unknown command '" << first << "' (see 'forksafe --help')\n";
  return kExitUsage;
}
