// `forksafe scenarios` end to end: the real binary, the real scenario
// programs, real deadlocks caught by real timeouts.
#include <dirent.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "tests/spawn/command_output.h"

namespace {

struct ScenariosRun {
  pid_t pid = -1;
  int exit_code = -1;
  std::string out;
  nlohmann::json cells;
};

ScenariosRun forksafe_scenarios(std::vector<std::string> args) {
  char json_path[] = "/tmp/forksafe-scenarios-XXXXXX";
  close(mkstemp(json_path));
  args.insert(args.begin(), {FORKSAFE_BINARY, "scenarios", "-o", json_path});
  auto output = forksafe::testing::run_command(args);
  ScenariosRun run{output.pid, output.exit_code, output.out, {}};
  std::ifstream json(json_path);
  std::stringstream text;
  text << json.rdbuf();
  if (!text.str().empty()) run.cells = nlohmann::json::parse(text.str());
  std::remove(json_path);
  return run;
}

// Processes still carrying the runner's cell marker in their environment.
std::vector<pid_t> processes_left_by(pid_t runner) {
  std::string marker = "FORKSAFE_CELL=" + std::to_string(runner) + ":";
  std::vector<pid_t> left;
  DIR* proc = opendir("/proc");
  while (dirent* entry = readdir(proc)) {
    pid_t pid = std::atoi(entry->d_name);
    if (pid <= 0) continue;
    std::ifstream environ("/proc/" + std::string(entry->d_name) + "/environ");
    std::string variable;
    while (std::getline(environ, variable, '\0')) {
      if (variable.rfind(marker, 0) == 0) left.push_back(pid);
    }
  }
  closedir(proc);
  return left;
}

void expect_every_cell_as_designed(const ScenariosRun& run, size_t cells) {
  EXPECT_EQ(run.exit_code, 0) << run.out;
  ASSERT_EQ(run.cells.size(), cells) << run.out;
  for (const auto& cell : run.cells) {
    std::string name = cell["scenario"].get<std::string>() + "/" + cell["spawner"].get<std::string>();
    EXPECT_TRUE(cell["passed"].get<bool>()) << name << ": " << cell.dump();
    EXPECT_EQ(cell["outcome"], cell["expected"]) << name;
    if (cell["spawner"] == "broken") {
      EXPECT_NE(cell["outcome"], "ok") << name << " should show its failure";
    } else {
      EXPECT_EQ(cell["outcome"], "ok") << name;
    }
  }
  EXPECT_TRUE(processes_left_by(run.pid).empty()) << "processes of the matrix left running";
}

TEST(Scenarios, FullMatrixTwiceEveryBrokenCellFailsEveryFixedCellPasses) {
  for (int round = 0; round < 2; ++round) {
    ScenariosRun run = forksafe_scenarios({});
    expect_every_cell_as_designed(run, 10);
    for (const auto& cell : run.cells) EXPECT_FALSE(cell.contains("injected"));
  }
}

TEST(Scenarios, FixedCellsRepeatedlyPass) {
  for (int round = 0; round < 5; ++round) {
    expect_every_cell_as_designed(forksafe_scenarios({"--spawner", "fixed"}), 5);
  }
}

TEST(Scenarios, DuplicateOutputRepeatedlyShows) {
  for (int round = 0; round < 5; ++round) {
    ScenariosRun run = forksafe_scenarios({"--only", "exit-duplicate-output", "--spawner", "broken"});
    expect_every_cell_as_designed(run, 1);
    EXPECT_EQ(run.cells[0]["outcome"], "duplicate-output");
  }
}

TEST(Scenarios, WrappedCellsAreMarkedInjected) {
  ScenariosRun run = forksafe_scenarios({"--only", "ssh-stderr", "--wrap", "/usr/bin/env FORKSAFE_WRAPPED=1"});
  expect_every_cell_as_designed(run, 2);
  for (const auto& cell : run.cells) EXPECT_EQ(cell.value("injected", false), true);
}

// The documented `forksafe scenarios --wrap 'forksafe run --'`: each cell
// seen through the injector, whose findings fail the broken cells' runs.
TEST(Scenarios, WrappedInForksafeRunEveryCellPasses) {
  ScenariosRun run = forksafe_scenarios({"--wrap", std::string(FORKSAFE_BINARY) + " run --"});
  expect_every_cell_as_designed(run, 10);
  for (const auto& cell : run.cells) EXPECT_EQ(cell.value("injected", false), true);
}

// With the injector's watchdog before the runner's timeout, the injector
// kills the stuck child and its deadlock finding is the cell's deadlock.
TEST(Scenarios, InjectorsWatchdogTurnsAStuckChildIntoTheDeadlock) {
  for (const char* name : {"ssh-stderr", "lock-held", "static-destructor"}) {
    ScenariosRun run = forksafe_scenarios({"--only", name, "--spawner", "broken", "--timeout", "20", "--wrap",
                                           std::string(FORKSAFE_BINARY) + " run --timeout 1 --"});
    expect_every_cell_as_designed(run, 1);
    ASSERT_EQ(run.cells.size(), 1u);
    EXPECT_NE(run.cells[0]["detail"].get<std::string>().find("runtime-deadlock"), std::string::npos)
        << name << ": " << run.cells[0].dump();
    EXPECT_LT(run.cells[0]["seconds"].get<double>(), 20) << name << ": judged by the runner's timeout";
  }
}

TEST(Scenarios, TableOnStdout) {
  ScenariosRun run = forksafe_scenarios({"--only", "lock-held", "--spawner", "fixed"});
  EXPECT_NE(run.out.find("scenario"), std::string::npos);
  EXPECT_NE(run.out.find("lock-held"), std::string::npos);
}

TEST(Scenarios, FailingCellMeansExitStatusOne) {
  // A timeout too short for the fixed ssh-stderr cell to finish (it starts
  // two programs) makes it "deadlock" where "ok" is expected.
  ScenariosRun run = forksafe_scenarios({"--only", "ssh-stderr", "--spawner", "fixed", "--timeout", "0.000001"});
  EXPECT_EQ(run.exit_code, 1);
  ASSERT_EQ(run.cells.size(), 1u);
  EXPECT_FALSE(run.cells[0]["passed"].get<bool>());
  EXPECT_TRUE(processes_left_by(run.pid).empty());
}

TEST(Scenarios, BadUsageExitsTwoWithOneLineAndRunsNothing) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"--only", "no-such-scenario"},
           {"--only", ""},
           {"--only"},
           {"--spawner", "sometimes"},
           {"--spawner", "nope"},
           {"--timeout", "0"},
           {"--timeout", "-1"},
           {"--timeout=-1"},
           {"--timeout", "abc"},
           {"--timeout", "nan"},
           {"--timeout", "inf"},
           {"--timeout", "1e300"},
           {"--timeout"},
           {"-o", ""},
           {"-o", "/no/such/dir/cells.json"},
           {"-o", "/tmp"},
           {"--wrap", "/no/such/wrapper --"},
           {"--wrap", "no-such-wrapper-program"},
           {"extra-argument"},
           {"--no-such-flag"},
       }) {
    args.insert(args.begin(), {FORKSAFE_BINARY, "scenarios"});
    auto run = forksafe::testing::run_command(args);
    EXPECT_EQ(run.exit_code, 2) << testing::PrintToString(args);
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_EQ(run.err.rfind("forksafe scenarios: ", 0), 0u) << run.err;
    EXPECT_EQ(run.out, "") << "ran cells despite bad usage: " << testing::PrintToString(args);
  }
}

TEST(Scenarios, HelpListsTheScenariosAndRunsNothing) {
  auto run = forksafe::testing::run_command({FORKSAFE_BINARY, "scenarios", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out.rfind("usage: forksafe scenarios", 0), 0u) << run.out;
  EXPECT_NE(run.out.find("ssh-stderr"), std::string::npos);
  EXPECT_EQ(run.out.find("spawner expected"), std::string::npos) << "--help ran the matrix";
  EXPECT_EQ(run.err, "");
}

}  // namespace
