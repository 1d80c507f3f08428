#include "reports/load_inputs.h"

#include <gtest/gtest.h>

#include "common/rules.h"
#include "common/sarif.h"
#include "reports/test_files.h"

namespace forksafe::reports {
namespace {

using nlohmann::json;

Finding finding(const std::string& rule, const std::string& fix) {
  Finding f;
  f.rule = rule;
  f.message = "exit() in the child";
  f.location = {"/src/a.c", 12, 5, "child", "", 0};
  f.fix = fix;
  return f;
}

std::string sarif(const std::vector<Finding>& findings, const std::string& kind) {
  SarifOptions options;
  options.kind = kind;
  options.command_line = {"forksafe", "analyze", "a.c"};
  return to_sarif(findings, options).dump();
}

std::string error_of(const std::vector<std::string>& paths) {
  try {
    load_inputs(paths);
  } catch (const InputError& e) {
    return e.what();
  }
  return "no error";
}

TEST(LoadInputs, ReadsStaticAndRuntimeSarifWithTheirKinds) {
  TempDir dir;
  std::string a = dir.write("static.sarif", sarif({finding("fork-exit", "use _exit")}, "static"));
  std::string b = dir.write("runtime.sarif", sarif({finding("runtime-exit", ""), finding("runtime-exit", "")}, "runtime"));
  ReportData data = load_inputs({a, b});
  ASSERT_EQ(data.findings.size(), 3u);
  EXPECT_EQ(data.findings[0].kind, "static");
  EXPECT_EQ(data.findings[0].input, 0u);
  EXPECT_EQ(data.findings[0].finding.fix, "use _exit");
  EXPECT_EQ(data.findings[2].kind, "runtime");
  EXPECT_EQ(data.findings[2].input, 1u);
  ASSERT_EQ(data.inputs.size(), 2u);
  EXPECT_EQ(data.inputs[1].format, "sarif");
  EXPECT_EQ(data.inputs[1].kinds, "runtime");
  EXPECT_EQ(data.inputs[1].items, 2u);
  EXPECT_EQ(data.inputs[0].command_line, "forksafe analyze a.c");
  EXPECT_EQ(data.inputs[0].tool.rfind("forksafe ", 0), 0u);
  EXPECT_EQ(data.inputs[0].modified.size(), 20u);  // 2026-11-25T18:40:00Z
}

TEST(LoadInputs, SaysTheKindOfARunWithoutFindings) {
  TempDir dir;
  ReportData data = load_inputs({dir.write("clean.sarif", sarif({}, "runtime"))});
  EXPECT_TRUE(data.findings.empty());
  EXPECT_EQ(data.inputs[0].kinds, "runtime");
  EXPECT_EQ(data.inputs[0].items, 0u);
}

TEST(LoadInputs, FillsAMissingFixFromTheRule) {
  TempDir dir;
  ReportData data = load_inputs({dir.write("r.sarif", sarif({finding("runtime-exit", "")}, "runtime"))});
  EXPECT_EQ(data.findings[0].finding.fix, find_rule("runtime-exit")->fix);
}

TEST(LoadInputs, TellsTheKindOfEachRunOfAMergedLog) {
  TempDir dir;
  json merged = merge_sarif({json::parse(sarif({finding("fork-exit", "")}, "static")),
                             json::parse(sarif({finding("runtime-exit", "")}, "runtime"))});
  ReportData data = load_inputs({dir.write("merged.sarif", merged.dump())});
  ASSERT_EQ(data.findings.size(), 2u);
  EXPECT_EQ(data.findings[0].kind, "static");
  EXPECT_EQ(data.findings[1].kind, "runtime");
  EXPECT_EQ(data.inputs[0].kinds, "static, runtime");
}

TEST(LoadInputs, ReadsScenarioCellsAndFillsOptionalFields) {
  TempDir dir;
  std::string file = dir.write("s.json", R"([
    {"scenario": "ssh-stderr", "spawner": "broken", "expected": "deadlock", "outcome": "deadlock",
     "passed": true, "seconds": 2.01, "detail": "child stuck", "injected": true},
    {"scenario": "ssh-stderr", "spawner": "fixed", "expected": "ok", "outcome": "ok", "passed": true, "seconds": 0.1}])");
  ReportData data = load_inputs({file});
  ASSERT_EQ(data.scenarios.size(), 2u);
  EXPECT_EQ(data.scenarios[0]["injected"], true);
  EXPECT_EQ(data.scenarios[1]["injected"], false);
  EXPECT_EQ(data.scenarios[1]["detail"], "");
  EXPECT_EQ(data.inputs[0].format, "scenarios");
  EXPECT_EQ(data.inputs[0].items, 2u);
}

TEST(LoadInputs, ReadsBenchPointsAndNamesTheirSeries) {
  TempDir dir;
  std::string file = dir.write("b.json", R"([
    {"strategy": "runbgcommand", "ensurestart": true, "size_gib": 1.0, "ms_median": 52.1, "ms_min": 50, "ms_max": 60.2, "runs": 20},
    {"strategy": "runbgcommand", "ensurestart": false, "size_gib": 1.0, "ms_median": 14.7, "ms_min": 14, "ms_max": 15, "runs": 20},
    {"strategy": "posix_spawn", "size_gib": 0, "ms_median": 0.7, "ms_min": 0.6, "ms_max": 0.9, "runs": 20}])");
  ReportData data = load_inputs({file});
  ASSERT_EQ(data.bench.size(), 3u);
  EXPECT_EQ(data.bench[0]["series"], "runbgcommand, wait for start");
  EXPECT_EQ(data.bench[1]["series"], "runbgcommand, no wait");
  EXPECT_EQ(data.bench[2]["series"], "posix_spawn");
  EXPECT_TRUE(data.bench[2]["ensurestart"].is_null());
}

TEST(LoadInputs, NamesTheFileThatIsMissing) {
  TempDir dir;
  std::string error = error_of({dir.path("nope.sarif")});
  EXPECT_EQ(error.rfind(dir.path("nope.sarif") + ": cannot read", 0), 0u) << error;
}

TEST(LoadInputs, RejectsADirectory) {
  TempDir dir;
  EXPECT_NE(error_of({dir.path("")}).find("is a directory"), std::string::npos);
}

TEST(LoadInputs, RejectsInvalidJsonWithWhereItBroke) {
  TempDir dir;
  std::string error = error_of({dir.write("bad.json", "{\"runs\": [")});
  EXPECT_NE(error.find("bad.json: invalid JSON: "), std::string::npos) << error;
  EXPECT_EQ(error.find("json.exception"), std::string::npos) << error;
  EXPECT_EQ(error.find('\n'), std::string::npos);
}

TEST(LoadInputs, RejectsJsonOfAnUnknownShape) {
  TempDir dir;
  for (const char* text : {"{\"hello\": 1}", "[1, 2]", "[]", "\"text\"", "[{\"scenario\": 1}, {\"strategy\": 2}]"}) {
    EXPECT_NE(error_of({dir.write("odd.json", text)}).find("odd.json: unknown input"), std::string::npos) << text;
  }
}

TEST(LoadInputs, RejectsSarifOfAnotherVersion) {
  TempDir dir;
  std::string error = error_of({dir.write("old.sarif", R"({"version": "1.0.0", "runs": []})")});
  EXPECT_NE(error.find("not a SARIF 2.1.0 log"), std::string::npos) << error;
}

TEST(LoadInputs, RejectsSarifWithWronglyTypedParts) {
  TempDir dir;
  std::string error = error_of({dir.write("odd.sarif", R"({"version": "2.1.0", "runs": [{"results": [{"ruleId": 5}]}]})")});
  EXPECT_NE(error.find("odd.sarif: malformed sarif"), std::string::npos) << error;
}

TEST(LoadInputs, NamesTheScenarioFieldThatIsWrong) {
  TempDir dir;
  std::string error = error_of({dir.write("s.json", R"([{"scenario": "x", "spawner": "broken", "expected": "ok",
      "outcome": "ok", "passed": "yes", "seconds": 1}])")});
  EXPECT_NE(error.find("s.json: scenario result 1: \"passed\" must be a boolean"), std::string::npos) << error;
}

TEST(LoadInputs, NamesTheBenchFieldThatIsMissing) {
  TempDir dir;
  std::string error = error_of({dir.write("b.json", R"([{"strategy": "fixed", "size_gib": 0, "ms_min": 1, "ms_max": 1, "runs": 1}])")});
  EXPECT_NE(error.find("b.json: measurement 1: \"ms_median\" must be a number"), std::string::npos) << error;
}

}  // namespace
}  // namespace forksafe::reports
