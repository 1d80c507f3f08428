#include "common/sarif.h"

#include <gtest/gtest.h>

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
}

}  // namespace
}  // namespace forksafe
