// `forksafe bench spawn` end to end: the records it writes and its errors.
// Speed is never asserted here; the figures are the benchmark's business.
#include <gtest/gtest.h>
#include <unistd.h>

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
  ASSERT_EQ(records.size(), 12u);
  std::set<std::string> strategies;
  for (const auto& r : records) {
    std::string strategy = r["strategy"];
    strategies.insert(strategy + (r["ensurestart"].is_null() ? "" : r["ensurestart"].get<bool>() ? "/T" : "/F"));
    EXPECT_EQ(r["runs"], 2);
    EXPECT_TRUE(r["size_gib"] == 0.0 || r["size_gib"] == 0.01) << r.dump();
    EXPECT_GT(r["ms_median"].get<double>(), 0);
    EXPECT_LE(r["ms_min"].get<double>(), r["ms_median"].get<double>());
    EXPECT_LE(r["ms_median"].get<double>(), r["ms_max"].get<double>());
    EXPECT_EQ(r["ensurestart"].is_null(), strategy != "runbgcommand");
  }
  EXPECT_EQ(strategies, (std::set<std::string>{"runbgcommand/T", "runbgcommand/F", "fork-exec", "posix_spawn",
                                               "fixed", "fixed-detached"}));
  EXPECT_NE(run.out.find("heap GiB"), std::string::npos);
  EXPECT_NE(run.out.find("fixed-detached"), std::string::npos);
}

TEST(BenchSpawn, BadInputExitsTwoWithOneLine) {
  for (std::vector<std::string> args : std::vector<std::vector<std::string>>{
           {"frobnicate"},
           {},
           {"spawn", "--sizes", "0,big"},
           {"spawn", "--sizes", "-1"},
           {"spawn", "--sizes", "100000"},
           {"spawn", "--runs", "0"},
           {"spawn", "--no-such-flag"},
       }) {
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

}  // namespace
