// Every kind of SARIF log the project writes (static from `forksafe analyze`,
// runtime from `forksafe run`, merged by `forksafe merge`) validated by the
// SARIF Multitool with its SARIF rules and GitHub code scanning's
// (`--rule-kind "Sarif;Gh"`): zero errors, zero warnings.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "harness/run_command.h"
#include "harness/sarif_validation.h"

namespace {

namespace fs = std::filesystem;
using namespace forksafe::test;  // Outcome, run_command, make_temp_directory, read_file, sarif_problems
using nlohmann::json;

std::vector<std::string> problems(const std::string& path, std::string* report) {
  return sarif_problems(SARIF_MULTITOOL, path, report);
}

class GitHubSarif : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir = make_temp_directory("forksafe-github-sarif");
    // Static: the analyzer's C fixtures and the fix fixture (results with `fixes`).
    std::vector<std::string> args = {FORKSAFE_BINARY, "analyze"};
    for (const auto& entry : fs::directory_iterator(ANALYZER_FIXTURES)) {
      if (entry.path().extension() == ".c") args.push_back(entry.path().string());
    }
    args.insert(args.end(), {std::string(FIX_FIXTURES) + "/fixable.c", "--format", "sarif", "-o", dir + "/static.sarif",
                             "--source-root", FORKSAFE_SOURCE_DIR, "--", "-std=gnu11"});
    analyzed = run_command(args, 300);
    // Runtime: a deadlock, unsafe calls and a leaked pipe (ssh_stderr_gc), exit in a child (child_exit).
    ran = run_command({FORKSAFE_BINARY, "run", "--timeout", "2", "-o", dir + "/runtime.sarif", "--source-root",
                       FORKSAFE_SOURCE_DIR, "--", std::string(PROGRAMS_DIR) + "/ssh_stderr_gc", "broken"},
                      120);
    ran_exit = run_command({FORKSAFE_BINARY, "run", "-o", dir + "/exit.sarif", "--source-root", FORKSAFE_SOURCE_DIR, "--",
                            std::string(PROGRAMS_DIR) + "/child_exit", "exit"},
                           120);
    merged = run_command({FORKSAFE_BINARY, "merge", dir + "/static.sarif", dir + "/runtime.sarif", dir + "/exit.sarif", "-o",
                          dir + "/merged.sarif"},
                         120);
  }
  static void TearDownTestSuite() { fs::remove_all(dir); }

  static json log(const std::string& name) { return json::parse(read_file(dir + "/" + name)); }

  static std::string dir;
  static Outcome analyzed, ran, ran_exit, merged;
};

std::string GitHubSarif::dir;
Outcome GitHubSarif::analyzed, GitHubSarif::ran, GitHubSarif::ran_exit, GitHubSarif::merged;

TEST_F(GitHubSarif, StaticLogHasNoErrorsOrWarnings) {
  ASSERT_EQ(analyzed.status, 1) << analyzed.stderr_text;
  json static_log = log("static.sarif");
  ASSERT_GT(static_log["runs"][0]["results"].size(), 10u);
  std::string report;
  EXPECT_EQ(problems(dir + "/static.sarif", &report), std::vector<std::string>{}) << report;
  // GitHub's rules do run, and catch what code scanning cannot show: a result without a location.
  static_log["runs"][0]["results"][0].erase("locations");
  std::string broken = dir + "/broken.sarif";
  std::ofstream(broken) << static_log.dump();
  std::vector<std::string> found = problems(broken, &report);
  EXPECT_TRUE(std::any_of(found.begin(), found.end(), [](const std::string& line) { return line.find(": error GH") != std::string::npos; }))
      << report;
}

TEST_F(GitHubSarif, RuntimeLogsHaveNoErrorsOrWarnings) {
  ASSERT_NE(ran.status, 2) << ran.stderr_text;
  ASSERT_EQ(ran_exit.status, 1) << ran_exit.stderr_text;
  std::set<std::string> rules;
  for (const char* name : {"runtime.sarif", "exit.sarif"}) {
    json runtime_log = log(name);
    for (const json& r : runtime_log["runs"][0]["results"]) rules.insert(r["ruleId"]);
    std::string report;
    EXPECT_EQ(problems(dir + "/" + name, &report), std::vector<std::string>{}) << name << ":\n" << report;
  }
  EXPECT_TRUE(rules.count("runtime-deadlock") && rules.count("runtime-exit")) << testing::PrintToString(rules);
}

TEST_F(GitHubSarif, MergedLogHasNoErrorsOrWarningsAndKeepsStaticAndRuntimeApart) {
  ASSERT_EQ(merged.status, 0) << merged.stderr_text;
  EXPECT_EQ(merged.stderr_text, "");  // nothing GitHub would reject
  json merged_log = log("merged.sarif");
  std::vector<std::string> categories;
  for (const json& run : merged_log["runs"]) categories.push_back(run["automationDetails"]["id"]);
  EXPECT_EQ(categories, (std::vector<std::string>{"forksafe/analyze/", "forksafe/run/"}));
  std::string report;
  EXPECT_EQ(problems(dir + "/merged.sarif", &report), std::vector<std::string>{}) << report;
}

TEST_F(GitHubSarif, EveryWriterIsCompactUnlessAskedToBePretty) {
  for (const char* name : {"static.sarif", "runtime.sarif", "merged.sarif"}) {
    std::string text = read_file(dir + "/" + name);
    EXPECT_EQ(text.find('\n'), text.size() - 1) << name << " is not one line";
  }
  Outcome pretty = run_command({FORKSAFE_BINARY, "merge", "--pretty", dir + "/static.sarif", dir + "/runtime.sarif"}, 120);
  ASSERT_EQ(pretty.status, 0) << pretty.stderr_text;
  EXPECT_EQ(pretty.stdout_text.rfind("{\n  \"$schema\": ", 0), 0u) << pretty.stdout_text.substr(0, 200);
  Outcome compact = run_command({FORKSAFE_BINARY, "merge", dir + "/static.sarif", dir + "/runtime.sarif"}, 120);
  EXPECT_EQ(json::parse(pretty.stdout_text), json::parse(compact.stdout_text));  // the same log, laid out
}

}  // namespace
