// forksafe scenarios: the deadlock matrix, broken vs fixed spawner.
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "common/output_file.h"
#include "scenarios/runner.h"

namespace po = boost::program_options;
namespace sc = forksafe::scenarios;

namespace forksafe::cli {
namespace {

constexpr double kMaxTimeoutSeconds = 24 * 60 * 60;

std::vector<const sc::Scenario*> chosen_scenarios(const std::string& only) {
  std::vector<const sc::Scenario*> chosen;
  if (only.empty()) {
    for (const auto& s : sc::catalog()) chosen.push_back(&s);
    return chosen;
  }
  if (const sc::Scenario* s = sc::find_scenario(only)) return {s};
  std::string names;
  for (const auto& s : sc::catalog()) names += std::string(names.empty() ? "" : ", ") + s.name;
  throw UsageError("unknown scenario '" + only + "' (one of: " + names + ")");
}

std::vector<std::string> chosen_spawners(const std::string& spawner) {
  if (spawner == "all") return {"broken", "fixed"};
  if (spawner == "broken" || spawner == "fixed") return {spawner};
  throw UsageError("--spawner must be broken, fixed or all, not '" + spawner + "'");
}

std::vector<std::string> words_of(const std::string& text) {
  std::vector<std::string> words;
  std::istringstream in(text);
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

// Whether `program` would be found by exec: a path, or a name on PATH.
bool is_runnable(const std::string& program) {
  if (program.find('/') != std::string::npos) return access(program.c_str(), X_OK) == 0;
  std::istringstream path(std::getenv("PATH") ? std::getenv("PATH") : "");
  for (std::string dir; std::getline(path, dir, ':');) {
    if (access(((dir.empty() ? "." : dir) + "/" + program).c_str(), X_OK) == 0) return true;
  }
  return false;
}

void print_row(const sc::CellResult& r) {
  std::printf("%-22s %-7s %-17s %-17s %-6s %7.2f  %s\n", r.scenario.c_str(), r.spawner.c_str(),
              r.expected.c_str(), r.outcome.c_str(), r.passed ? "yes" : "NO", r.seconds, r.detail.c_str());
  std::fflush(stdout);
}

}  // namespace

int scenarios_command(int argc, char** argv) {
  std::string only, spawner, output, wrap;
  double timeout = 0;
  bool pretty = false;
  po::options_description options("options");
  options.add_options()
      ("only", po::value(&only), "run only the scenario NAME")
      ("spawner", po::value(&spawner)->default_value("all"), "broken, fixed or all")
      ("timeout", po::value(&timeout)->default_value(2.0), "seconds before a cell counts as stuck and is killed")
      ("wrap", po::value(&wrap), "prefix each cell's command with these words, e.g. 'forksafe run --'")
      ("output,o", po::value(&output), "write the results as JSON (docs/formats.md) to FILE")
      ("pretty", po::bool_switch(&pretty), "indent the JSON (default: compact)");
  std::string usage =
      "forksafe scenarios [--only NAME] [--spawner broken|fixed|all] [--timeout S] "
      "[--wrap 'CMD ...'] [-o FILE.json]\n\n"
      "Runs each deadlock scenario with the broken and the fixed spawner and judges\n"
      "each cell from outside. Exit status: 0 when every cell shows what it should\n"
      "(broken: its failure; fixed: ok), 1 otherwise, 2 on bad usage.\n\nscenarios:\n";
  for (const auto& s : sc::catalog()) usage += "  " + std::string(s.name) + ": " + s.summary + "\n";
  std::optional<int> exit_now;
  auto given = parse_options(argc, argv, options, {}, usage, &exit_now);
  if (exit_now) return *exit_now;

  sc::MatrixSettings settings;
  if (given.count("only") && only.empty()) throw UsageError("--only needs a scenario name");
  settings.scenarios = chosen_scenarios(only);
  settings.spawners = chosen_spawners(spawner);
  // The deadline is kept in nanoseconds: beyond a day it would overflow long before it mattered.
  if (!(timeout > 0 && timeout <= kMaxTimeoutSeconds)) {
    throw UsageError("--timeout must be a number of seconds above 0 and at most 86400");
  }
  settings.cell.timeout_seconds = timeout;
  settings.cell.wrap = words_of(wrap);
  if (!settings.cell.wrap.empty() && !is_runnable(settings.cell.wrap[0])) {
    throw UsageError("--wrap: cannot run '" + settings.cell.wrap[0] + "'");
  }
  settings.cell.programs_dir = sc::default_programs_dir();
  if (settings.cell.programs_dir.empty()) {
    throw UsageError("cannot find the scenario programs (scenarios/ next to forksafe, or ../lib/forksafe/scenarios)");
  }
  if (given.count("output") && output.empty()) throw UsageError("-o needs a file name");
  check_output_writable(output);  // before the long run

  std::printf("%-22s %-7s %-17s %-17s %-6s %7s  %s\n", "scenario", "spawner", "expected", "outcome", "passed",
              "seconds", "detail");
  auto results = sc::run_matrix(settings, print_row);

  nlohmann::json cells = nlohmann::json::array();
  bool all_passed = true;
  for (const auto& r : results) {
    cells.push_back(sc::to_json(r));
    all_passed = all_passed && r.passed;
  }
  if (!output.empty()) write_output(output, [&](std::ostream& out) { dump_json(out, cells, pretty); });
  return all_passed ? kExitClean : kExitFindings;
}

}  // namespace forksafe::cli
