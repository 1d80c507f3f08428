#include "reports/text_report.h"

#include <gtest/gtest.h>

#include <sstream>

namespace forksafe::reports {
namespace {

std::string render(const ReportData& data) {
  std::ostringstream out;
  render_text(data, out);
  return out.str();
}

TEST(TextReport, PrintsFindingsInCompilerStyleWithTheChainAsNotes) {
  ReportFinding rf;
  rf.kind = "static";
  rf.finding.rule = "fork-exit";
  rf.finding.message = "exit() in the child";
  rf.finding.location = {"a.c", 12, 5, "child", "", 0};
  rf.finding.chain = {{{"a.c", 10, 3, "main", "", 0}, "child side of fork() starts here"},
                      {{"", 0, 0, "", "/lib/libc.so.6", 0x2a}, "calls exit()"}};
  rf.finding.fix = "Use _exit().";
  ReportData data;
  data.inputs.resize(1);
  data.findings = {rf};
  std::string text = render(data);
  EXPECT_NE(text.find("a.c:12:5: warning: exit() in the child [fork-exit]\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  a.c:10:3: note: 1. child side of fork() starts here (in main)\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  /lib/libc.so.6+0x2a: note: 2. calls exit()\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  fix: Use _exit().\n"), std::string::npos) << text;
  EXPECT_NE(text.find("1 findings (0 errors, 1 warnings, 0 notes) from 1 input\n"), std::string::npos) << text;
}

TEST(TextReport, PrintsRuntimeFacts) {
  ReportFinding rf;
  rf.kind = "runtime";
  rf.finding.rule = "runtime-deadlock";
  rf.finding.properties = {{"pid", 42}, {"finalizer", "close_peer"}};
  ReportData data;
  data.findings = {rf};
  EXPECT_NE(render(data).find("  runtime: finalizer=close_peer pid=42\n"), std::string::npos) << render(data);
}

TEST(TextReport, PrintsTheScenarioMatrixAndTheBenchTable) {
  ReportData data;
  data.scenarios = {{{"scenario", "ssh-stderr"}, {"spawner", "broken"}, {"expected", "deadlock"}, {"outcome", "ok"},
                     {"passed", false}, {"seconds", 1.5}, {"detail", ""}, {"injected", true}}};
  data.bench = {{{"series", "fixed"}, {"size_gib", 0.5}, {"ms_median", 0.25}},
                {{"series", "fork-exec"}, {"size_gib", 0.5}, {"ms_median", 6.2}}};
  std::string text = render(data);
  EXPECT_NE(text.find("scenarios: 0 of 1 cells passed\n"), std::string::npos) << text;
  EXPECT_NE(text.find("  FAIL  ssh-stderr"), std::string::npos) << text;
  EXPECT_NE(text.find("broken + run"), std::string::npos) << text;
  EXPECT_NE(text.find("heap GiB  fixed  fork-exec\n"), std::string::npos) << text;
  EXPECT_NE(text.find("     0.5   0.25       6.20\n"), std::string::npos) << text;
}

TEST(TextReport, KeepsTerminalEscapesFromInputsOffTheScreen) {
  ReportFinding rf;
  rf.finding.rule = "fork-exit";
  rf.finding.message = "exit\x1b[2J\x1b]0;owned\x07 here";
  rf.finding.location.file = "a\rb.c";
  ReportData data;
  data.findings = {rf};
  std::string text = render(data);
  EXPECT_EQ(text.find('\x1b'), std::string::npos);
  EXPECT_EQ(text.find('\r'), std::string::npos);
  EXPECT_NE(text.find("a?b.c: warning: exit?[2J?]0;owned? here [fork-exit]"), std::string::npos) << text;
}

}  // namespace
}  // namespace forksafe::reports
