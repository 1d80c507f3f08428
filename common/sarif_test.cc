#include "common/sarif.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>

#include "common/sarif_limits.h"

namespace forksafe {
namespace {

using nlohmann::json;

SarifOptions options(const std::string& root, const std::string& kind) {
  SarifOptions o;
  o.source_root = root;
  o.kind = kind;
  return o;
}

Finding sample(const std::string& file) {
  Finding f;
  f.rule = "fork-unsafe-call";
  f.level = Level::error;
  f.message = "printf() is not async-signal-safe (stdio)";
  f.location = {file, 12, 7, "main", "", 0};
  f.chain = {{{file, 10, 11, "main", "", 0}, "child side of fork() starts here"},
             {{file, 12, 7, "printf", "", 0}, "calls printf()"}};
  f.fix = "Use write(2).";
  f.properties = {{"pid", 42}};
  return f;
}

TEST(Sarif, WritesRelativeUrisAgainstTheSourceRoot) {
  json log = to_sarif({sample("/root/src/a dir/x.c")}, options("/root/src", "static"));
  const json& run = log["runs"][0];
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(run["originalUriBaseIds"]["SRCROOT"]["uri"], "file:///root/src/");
  const json& art = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(art["uri"], "a%20dir/x.c");
  EXPECT_EQ(art["uriBaseId"], "SRCROOT");
  EXPECT_EQ(run["results"][0]["codeFlows"][0]["threadFlows"][0]["locations"].size(), 2u);
  EXPECT_EQ(run["results"][0]["relatedLocations"][1]["id"], 2);
  EXPECT_EQ(run["properties"]["forksafeKind"], "static");
}

TEST(Sarif, RoundTripsFindings) {
  Finding f = sample("/root/src/x.c");
  json log = to_sarif({f}, options("/root/src", ""));
  std::vector<Finding> back;
  std::string error;
  ASSERT_TRUE(findings_from_sarif(json::parse(log.dump()), &back, &error)) << error;
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].rule, f.rule);
  EXPECT_EQ(back[0].level, Level::error);
  EXPECT_EQ(back[0].location.file, "/root/src/x.c");
  EXPECT_EQ(back[0].location.line, 12);
  EXPECT_EQ(back[0].chain.size(), 2u);
  EXPECT_EQ(back[0].chain[0].message, "child side of fork() starts here");
  EXPECT_EQ(back[0].fix, "Use write(2).");
  EXPECT_EQ(back[0].properties["pid"], 42);
  EXPECT_EQ(fingerprint(back[0]), fingerprint(f));
}

TEST(Sarif, RejectsWhatIsNotSarif) {
  std::vector<Finding> out;
  std::string error;
  EXPECT_FALSE(findings_from_sarif(json::array(), &out, &error));
  EXPECT_FALSE(findings_from_sarif({{"version", "2.0.0"}, {"runs", json::array()}}, &out, &error));
  EXPECT_FALSE(error.empty());
}

TEST(Sarif, MergeJoinsShardsAndDropsDuplicates) {
  json a = to_sarif({sample("/r/a.c")}, options("/r", "static"));
  json b = to_sarif({sample("/r/a.c"), sample("/r/b.c")}, options("/r", "static"));
  json merged = merge_sarif({a, b});
  ASSERT_EQ(merged["runs"].size(), 1u);
  EXPECT_EQ(merged["runs"][0]["results"].size(), 2u);
  EXPECT_EQ(merged["runs"][0]["invocations"].size(), 2u);
}

TEST(Sarif, MergeKeepsStaticAndRuntimeApartAndForeignRootsAbsolute) {
  json a = to_sarif({sample("/r/a.c")}, options("/r", "static"));
  json b = to_sarif({sample("/other/b.c")}, options("/other", "static"));
  json c = to_sarif({sample("/r/a.c")}, options("/r", "runtime"));
  json merged = merge_sarif({a, b, c});
  ASSERT_EQ(merged["runs"].size(), 2u);
  std::vector<Finding> out;
  std::string error;
  ASSERT_TRUE(findings_from_sarif(merged, &out, &error));
  ASSERT_EQ(out.size(), 3u);
  EXPECT_EQ(out[1].location.file, "/other/b.c");
  EXPECT_EQ(out[1].chain[0].location.file, "/other/b.c");
  // Each kind keeps its own category, for code scanning.
  EXPECT_EQ(merged["runs"][0]["automationDetails"]["id"], "forksafe/analyze/");
  EXPECT_EQ(merged["runs"][1]["automationDetails"]["id"], "forksafe/run/");
  // The other root's artifact is listed with its absolute URI.
  std::set<std::string> artifacts;
  for (const json& a : merged["runs"][0]["artifacts"]) artifacts.insert(a["location"]["uri"]);
  EXPECT_EQ(artifacts, (std::set<std::string>{"a.c", "file:///other/b.c"}));
}

TEST(Sarif, AFileMergeOverGitHubsResultLimitKeepsTheFirstAndSaysSoInTheRun) {
  std::vector<Finding> many;
  for (size_t i = 0; i < kMaxResultsPerRun + 3; ++i) {
    Finding f = sample("/r/a.c");
    f.message = "finding " + std::to_string(i);
    many.push_back(std::move(f));
  }
  std::string path = testing::TempDir() + "/many.sarif";
  {
    std::ofstream out(path);
    out << to_sarif(many, options("/r", "static")).dump();
  }
  SarifFileMerge merge({path});
  std::ostringstream out;
  std::vector<std::string> warnings = merge.write(out, true);
  std::remove(path.c_str());
  json merged = json::parse(out.str());
  const json& run = merged["runs"][0];
  ASSERT_EQ(run["results"].size(), kMaxResultsPerRun);
  EXPECT_EQ(run["results"].back()["message"]["text"], "finding " + std::to_string(kMaxResultsPerRun - 1));
  ASSERT_EQ(warnings.size(), 1u);
  EXPECT_NE(warnings[0].find("left out the last 3 results"), std::string::npos) << warnings[0];
  EXPECT_EQ(run["invocations"][0]["toolExecutionNotifications"][0]["message"]["text"], warnings[0]);
  EXPECT_EQ(out.str().rfind("{\n  \"$schema\": ", 0), 0u);  // --pretty, streamed
}

TEST(Sarif, RulesCarryWhatGitHubCodeScanningShows) {
  json log = to_sarif({}, options("/r", "static"));
  const json& rules = log["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_FALSE(rules.empty());
  for (const json& rule : rules) {
    EXPECT_NE(rule["help"]["markdown"].get<std::string>().find("**How to fix.**"), std::string::npos) << rule["id"];
    EXPECT_FALSE(rule["help"]["text"].get<std::string>().empty());
    const json& p = rule["properties"];
    EXPECT_TRUE(p["tags"].is_array() && !p["tags"].empty()) << rule["id"];
    EXPECT_TRUE(p.contains("precision")) << rule["id"];
    EXPECT_TRUE(p["security-severity"].is_string()) << rule["id"];
    EXPECT_EQ(p["problem.severity"], rule["defaultConfiguration"]["level"]) << rule["id"];  // no rule is a note
    EXPECT_FALSE(rule.contains("helpUri"));
  }
}

TEST(Sarif, ResultsHaveRegionEndsFixesArtifactsAndTheRunItsCategory) {
  Finding f = sample("/r/a.c");
  f.location.end_line = 12;
  f.location.end_column = 20;
  f.edits = {{"/r/a.c", 100, 9, "pipe2(fds, O_CLOEXEC)"}};
  SarifOptions o = options("/r", "static");
  o.working_directory = "/r/build";
  json log = to_sarif({f}, o);
  const json& run = log["runs"][0];
  EXPECT_EQ(run["automationDetails"]["id"], "forksafe/analyze/");
  EXPECT_EQ(run["invocations"][0]["workingDirectory"]["uri"], "file:///r/build/");
  EXPECT_EQ(run["artifacts"], json::parse(R"([{"location": {"uri": "a.c", "uriBaseId": "SRCROOT"}}])"));
  const json& result = run["results"][0];
  EXPECT_EQ(result["locations"][0]["physicalLocation"]["region"],
            json::parse(R"({"startLine": 12, "startColumn": 7, "endLine": 12, "endColumn": 20})"));
  const json& change = result["fixes"][0]["artifactChanges"][0];
  EXPECT_EQ(result["fixes"][0]["description"]["text"], "Use write(2).");
  EXPECT_EQ(change["artifactLocation"]["uri"], "a.c");
  json replacement = {{"deletedRegion", {{"byteOffset", 100}, {"byteLength", 9}}},
                      {"insertedContent", {{"text", "pipe2(fds, O_CLOEXEC)"}}}};
  EXPECT_EQ(change["replacements"][0], replacement);
  // Read back as they were written.
  std::vector<Finding> back;
  std::string error;
  ASSERT_TRUE(findings_from_sarif(log, &back, &error)) << error;
  ASSERT_EQ(back.size(), 1u);
  EXPECT_EQ(back[0].edits, f.edits);
  EXPECT_EQ(back[0].location.end_column, 20);
}

}  // namespace
}  // namespace forksafe
