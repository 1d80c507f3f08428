// `forksafe bench spawn` end to end: the records it writes and its errors.
// Speed is never asserted here; the figures are the benchmark's business.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "tests/spawn/command_output.h"

namespace {

forksafe::testing::CommandOutput forksafe_bench(std::vector<std::string> args) {
  args.insert(args.begin(), {FORKSAFE_BINARY, "bench"});
  return forksafe::testing::run_command(args);
}

TEST(BenchSpawn, WritesOneRecordPerStrategyAndSize) {
  char json_path[] = "/tmp/forksafe-bench-XXXXXX";
  close(mkstemp(json_path));
  auto run = forksafe_bench({"spawn", "--sizes", "0,0.01", "--runs", "2", "-o", json_path});
  std::ifstream in(json_path);
  std::stringstream text;
  text << in.rdbuf();
  std::remove(json_path);
  ASSERT_EQ(run.exit_code, 0) << run.err;
  auto records = nlohmann::json::parse(text.str());
  ASSERT_EQ(records.size(), 14u);  // 7 strategies, 2 sizes
  std::set<std::string> strategies;
  for (const auto& r : records) {
    std::string strategy = r["strategy"];
    strategies.insert(strategy + (r["ensurestart"].is_null() ? "" : r["ensurestart"].get<bool>() ? "/T" : "/F"));
    EXPECT_GE(r["runs"].get<int>(), 2);  // more when two rounds span under 2 s
    EXPECT_TRUE(r["size_gib"] == 0.0 || r["size_gib"] == 0.01) << r.dump();
    EXPECT_GT(r["ms_median"].get<double>(), 0);
    EXPECT_LE(r["ms_min"].get<double>(), r["ms_median"].get<double>());
    EXPECT_LE(r["ms_median"].get<double>(), r["ms_max"].get<double>());
    EXPECT_EQ(r["ensurestart"].is_null(), strategy != "runbgcommand");
  }
  EXPECT_EQ(strategies, (std::set<std::string>{"runbgcommand/T", "runbgcommand/F", "fork-exec", "posix_spawn",
                                               "fixed", "fixed-detached", "posix_spawn-setsid"}));
  EXPECT_NE(run.out.find("heap GiB"), std::string::npos);
  EXPECT_NE(run.out.find("fixed-detached"), std::string::npos);
}

TEST(BenchSpawn, BadInputExitsTwoWithOneLine) {
  std::vector<std::vector<std::string>> cases = {
      {"frobnicate"}, {}, {"spawn", "--sizes"}, {"spawn", "--sizes=-1"}, {"spawn", "--runs=-1"},
      {"spawn", "extra-argument"}, {"spawn", "--no-such-flag"},
  };
  for (const char* sizes : {"0,big", "x,1", "-1", "", "1,", "0,,1", "nan", "inf", "100000"}) {
    cases.push_back({"spawn", "--sizes", sizes});
  }
  for (const char* runs : {"0", "abc", "99999999999"}) cases.push_back({"spawn", "--runs", runs});
  for (const char* output : {"", "/no/such/dir/bench.json", "/tmp"}) cases.push_back({"spawn", "-o", output});
  for (const auto& args : cases) {
    auto run = forksafe_bench(args);
    EXPECT_EQ(run.exit_code, 2) << testing::PrintToString(args);
    EXPECT_EQ(std::count(run.err.begin(), run.err.end(), '\n'), 1) << run.err;
    EXPECT_EQ(run.err.rfind("forksafe bench: ", 0), 0u) << run.err;
  }
}

TEST(BenchSpawn, HelpListsTheJobs) {
  auto run = forksafe_bench({"--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_NE(run.out.find("spawn"), std::string::npos);
}

TEST(BenchSpawn, SpawnHelpShowsUsageAndRunsNothing) {
  auto run = forksafe_bench({"spawn", "--help"});
  EXPECT_EQ(run.exit_code, 0);
  EXPECT_EQ(run.out.rfind("usage: forksafe bench spawn", 0), 0u) << run.out;
  EXPECT_EQ(run.out.find("heap GiB"), std::string::npos) << "--help ran the benchmark";
  EXPECT_EQ(run.err, "");
}

}  // namespace
