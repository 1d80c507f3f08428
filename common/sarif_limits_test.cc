#include "common/sarif_limits.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <random>
#include <sstream>

namespace forksafe {
namespace {

using nlohmann::json;

json result(const std::string& level, int n) {
  return {{"ruleId", "fork-unsafe-call"}, {"level", level}, {"message", {{"text", "r" + std::to_string(n)}}}};
}

TEST(SarifLimits, ARunOverTheResultLimitLosesItsNotesFirstAndSaysSo) {
  json run = {{"results", json::array()}};
  run["results"].push_back(result("error", 0));
  for (size_t i = 1; i < kMaxResultsPerRun; ++i) run["results"].push_back(result("warning", static_cast<int>(i)));
  for (int i = 0; i < 7; ++i) run["results"].push_back(result("note", -i));
  run["results"].push_back(result("warning", 99999));
  std::vector<std::string> cuts = fit_run(run);
  ASSERT_EQ(run["results"].size(), kMaxResultsPerRun);
  EXPECT_EQ(run["results"][0]["message"]["text"], "r0");
  for (const json& r : run["results"]) EXPECT_NE(r["level"], "note");
  // The most severe kept, in their order: the error, then the first warnings.
  EXPECT_EQ(run["results"].back()["message"]["text"], "r24999");
  ASSERT_EQ(cuts.size(), 1u);
  EXPECT_NE(cuts[0].find("left out 8 of 25008 results (7 notes, 1 warnings)"), std::string::npos) << cuts[0];
  const json& notes = run["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_EQ(notes[0]["level"], "warning");
  EXPECT_EQ(notes[0]["message"]["text"], cuts[0]);
}

TEST(SarifLimits, ARunWithinTheLimitsIsLeftAlone) {
  json run = {{"results", json::array({result("note", 1)})}};
  json before = run;
  EXPECT_TRUE(fit_run(run).empty());
  EXPECT_EQ(run, before);
}

TEST(SarifLimits, ALongCodeFlowKeepsItsFirstStepsAndItsLast) {
  json steps = json::array();
  for (size_t i = 0; i < kMaxThreadFlowLocationsPerResult + 5; ++i) steps.push_back({{"executionOrder", i}});
  json r = result("warning", 1);
  r["codeFlows"] = {{{"threadFlows", {{{"locations", steps}}}}}};
  EXPECT_EQ(fit_result(r), 5u);
  const json& kept = r["codeFlows"][0]["threadFlows"][0]["locations"];
  ASSERT_EQ(kept.size(), kMaxThreadFlowLocationsPerResult);
  EXPECT_EQ(kept[0]["executionOrder"], 0);
  EXPECT_EQ(kept[kMaxThreadFlowLocationsPerResult - 2]["executionOrder"], kMaxThreadFlowLocationsPerResult - 2);
  EXPECT_EQ(kept.back()["executionOrder"], kMaxThreadFlowLocationsPerResult + 4);
}

TEST(SarifLimits, GzipSizeIsTheSameFedInPiecesAndTellsTextThatPacksFromTextThatDoesNot) {
  std::mt19937 random(7);
  std::string noise;
  for (int i = 0; i < 1 << 20; ++i) noise += "0123456789abcdef"[random() % 16];
  GzipSize whole;
  whole.add(noise);
  size_t whole_size = whole.finish();
  GzipSize pieces;
  for (size_t at = 0; at < noise.size(); at += 1000) pieces.add(std::string_view(noise).substr(at, 1000));
  EXPECT_EQ(pieces.finish(), whole_size);
  // Hex digits carry 4 bits a byte: about half; a repeated letter almost nothing.
  EXPECT_GT(whole_size, noise.size() * 45 / 100);
  EXPECT_LT(whole_size, noise.size() * 60 / 100);
  GzipSize same;
  same.add(std::string(noise.size(), 'a'));
  EXPECT_LT(same.finish(), noise.size() / 100);
}

TEST(SarifLimits, OnlyAFileOverTenMegabytesGzippedIsSaidToBeRejected) {
  EXPECT_EQ(gzip_limit_text(kMaxGzippedBytes), "");
  EXPECT_NE(gzip_limit_text(kMaxGzippedBytes + 1).find("10 MB"), std::string::npos);
}

TEST(SarifLimits, WriteSarifWarnsOnStderrAndInTheFileWhenTooLargeGzipped) {
  // 14 MB of 64 different letters gzip to about 10.5 MB.
  std::mt19937 random(11);
  const char* letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string noise(14 << 20, ' ');
  for (char& c : noise) c = letters[random() % 64];
  json log = {{"version", "2.1.0"}, {"runs", json::array({{{"results", json::array()}, {"properties", {{"noise", noise}}}}})}};
  std::string path = testing::TempDir() + "/big.sarif";
  std::ostringstream warnings;
  write_sarif(path, log, false, warnings, "forksafe test");
  EXPECT_NE(warnings.str().find("forksafe test: warning: the SARIF file is "), std::string::npos) << warnings.str();
  std::ifstream in(path);
  json written = json::parse(in);
  const json& notes = written["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 1u);
  EXPECT_NE(notes[0]["message"]["text"].get<std::string>().find("10 MB"), std::string::npos);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace forksafe
