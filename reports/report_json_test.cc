#include "reports/report_json.h"

#include <gtest/gtest.h>

namespace forksafe::reports {
namespace {

ReportFinding make(const std::string& rule, Level level, const std::string& file) {
  ReportFinding rf;
  rf.finding.rule = rule;
  rf.finding.level = level;
  rf.finding.location.file = file;
  rf.kind = "static";
  return rf;
}

TEST(ReportJson, CountsFindingsByRuleLevelAndFile) {
  ReportData data;
  data.findings = {make("fork-exit", Level::warning, "a.c"), make("fork-exit", Level::warning, "b.c"),
                   make("vfork-child", Level::error, "a.c")};
  data.scenarios = {{{"passed", true}}, {{"passed", false}}};
  auto out = report_json(data, "2026-01-01T00:00:00Z");
  EXPECT_EQ(out["summary"]["findings"], 3);
  EXPECT_EQ(out["summary"]["by_rule"]["fork-exit"], 2);
  EXPECT_EQ(out["summary"]["by_level"]["error"], 1);
  EXPECT_EQ(out["summary"]["by_level"]["note"], 0);
  EXPECT_EQ(out["summary"]["by_file"]["a.c"], 2);
  EXPECT_EQ(out["summary"]["scenario_cells"], 2);
  EXPECT_EQ(out["summary"]["scenario_cells_passed"], 1);
  EXPECT_EQ(out["generated"], "2026-01-01T00:00:00Z");
}

TEST(ReportJson, NumbersFindingsAndDescribesOnlyTheRulesUsed) {
  ReportData data;
  data.findings = {make("fork-exit", Level::warning, "a.c"), make("not-ours", Level::note, "a.c")};
  auto out = report_json(data, "");
  EXPECT_EQ(out["findings"][1]["id"], 1);
  EXPECT_EQ(out["findings"][1]["rule"], "not-ours");
  EXPECT_EQ(out["rules"].size(), 1u);
  EXPECT_TRUE(out["rules"]["fork-exit"]["fix"].get<std::string>().find("_exit") != std::string::npos);
}

TEST(ReportJson, CarriesUnsymbolizedFramesAsModuleAndOffset) {
  ReportFinding rf = make("runtime-unsafe-call", Level::warning, "");
  rf.finding.chain = {{{"", 0, 0, "", "/lib/libc.so.6", 0x1f00}, "malloc"}};
  ReportData data;
  data.findings = {rf};
  auto step = report_json(data, "")["findings"][0]["chain"][0];
  EXPECT_EQ(step["location"]["module"], "/lib/libc.so.6");
  EXPECT_EQ(step["location"]["offset"], 0x1f00);
  EXPECT_EQ(step["message"], "malloc");
}

}  // namespace
}  // namespace forksafe::reports
