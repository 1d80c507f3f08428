// End-to-end tests of the mechanical fixes: `forksafe analyze --fix`,
// `--export-fixes` (read by clang-apply-replacements) and SARIF `fixes`, on
// copies of tests/analyzer/fix_fixtures/. Every fix must leave code that a
// real compiler (cc) builds and in which the finding it fixes is gone.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <tuple>
#include <vector>

#include "harness/run_command.h"

namespace {

namespace fs = std::filesystem;
using namespace forksafe::test;  // Outcome, run_command, make_temp_directory, read_file
using nlohmann::json;

const std::string kFixtures = FIX_FIXTURES;

void write_file(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

// A finding as the user tells it apart: rule, enclosing function, message.
using Key = std::tuple<std::string, std::string, std::string>;

Key key_of(const json& result) {
  const json& logical = result["locations"][0].value("logicalLocations", json::array({json::object()}));
  return {result["ruleId"], logical[0].value("fullyQualifiedName", ""), result["message"]["text"]};
}

class Fixes : public testing::Test {
 protected:
  void SetUp() override { dir = make_temp_directory("forksafe-fixes"); }
  void TearDown() override { fs::remove_all(dir); }

  // A fresh copy of fixture NAME in the test's directory.
  std::string copy(const std::string& name, const std::string& as = "") {
    std::string path = dir + "/" + (as.empty() ? name : as);
    fs::copy_file(kFixtures + "/" + name, path, fs::copy_options::overwrite_existing);
    return path;
  }

  Outcome analyze(const std::string& file, std::vector<std::string> extra = {},
                  const std::vector<std::string>& flags = {"-std=gnu11"}) {
    std::vector<std::string> args = {FORKSAFE_BINARY, "analyze", file};
    args.insert(args.end(), extra.begin(), extra.end());
    args.push_back("--");
    args.insert(args.end(), flags.begin(), flags.end());
    return run_command(args, 240);
  }

  json sarif_of(const std::string& file, const std::vector<std::string>& flags = {"-std=gnu11"}) {
    Outcome p = analyze(file, {"--format", "sarif"}, flags);
    EXPECT_TRUE(p.status == 0 || p.status == 1) << p.stderr_text;
    return json::parse(p.stdout_text);
  }

  std::multiset<Key> keys(const json& log) {
    std::multiset<Key> out;
    for (const json& r : log["runs"][0]["results"]) out.insert(key_of(r));
    return out;
  }

  // Compiles with the system's compiler, warnings about undeclared names as errors.
  Outcome compile(const std::string& file, const std::vector<std::string>& flags = {"-std=gnu11"}) {
    std::vector<std::string> args = {"cc", "-c", "-Werror=implicit-function-declaration", "-Werror=int-conversion"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {file, "-o", dir + "/out.o"});
    return run_command(args, 120);
  }

  std::string dir;
};

// The byte offsets of a SARIF fix, applied to TEXT from the end.
std::string apply_sarif_fix(std::string text, const json& fix) {
  std::vector<std::tuple<size_t, size_t, std::string>> edits;
  for (const json& change : fix["artifactChanges"]) {
    for (const json& r : change["replacements"]) {
      edits.emplace_back(r["deletedRegion"]["byteOffset"], r["deletedRegion"]["byteLength"], r["insertedContent"]["text"]);
    }
  }
  std::sort(edits.rbegin(), edits.rend());
  for (const auto& [offset, length, inserted] : edits) text.replace(offset, length, inserted);
  return text;
}

TEST_F(Fixes, EachSarifFixCompilesAndRemovesItsFindingAndNothingElse) {
  std::string original = copy("fixable.c");
  json log = sarif_of(original);
  std::multiset<Key> before = keys(log);
  int fixed = 0;
  for (const json& result : log["runs"][0]["results"]) {
    if (!result.contains("fixes")) continue;
    ++fixed;
    std::string file = copy("fixable.c", "one.c");
    write_file(file, apply_sarif_fix(read_file(file), result["fixes"][0]));
    Outcome built = compile(file);
    EXPECT_EQ(built.status, 0) << "after the fix of " << result["message"]["text"] << ":\n" << read_file(file)
                               << built.stderr_text;
    std::multiset<Key> after = keys(sarif_of(file)), expected = before;
    expected.erase(expected.find(key_of(result)));
    EXPECT_EQ(after, expected) << "after the fix of " << result["message"]["text"] << ":\n" << read_file(file);
  }
  // pipe, three opens, socket, dup, exit in the child, open in the second function.
  EXPECT_EQ(fixed, 8);
}

TEST_F(Fixes, FixAppliesThemAllAndLeavesOnlyTheFindingsWithoutOne) {
  std::string file = copy("fixable.c");
  Outcome p = analyze(file, {"--fix"});
  EXPECT_EQ(p.status, 1) << p.stderr_text;  // the report is of the code as it was
  EXPECT_NE(p.stderr_text.find("applied 8 fixes to 1 files"), std::string::npos) << p.stderr_text;
  std::string text = read_file(file);
  for (const char* fixed : {"pipe2(fds, O_CLOEXEC)", "O_WRONLY | O_APPEND | O_CLOEXEC", "O_RDONLY | O_CLOEXEC);",
                            "(sizeof(void*) == 8 ? O_RDWR : O_RDONLY) | O_CLOEXEC", "SOCK_STREAM | SOCK_CLOEXEC",
                            "fcntl(in, F_DUPFD_CLOEXEC, 0)", "_exit(127);", "O_RDONLY | O_CLOEXEC, 0)"}) {
    EXPECT_NE(text.find(fixed), std::string::npos) << fixed << " not in\n" << text;
  }
  EXPECT_EQ(compile(file).status, 0) << text;
  json again = sarif_of(file);
  std::set<std::string> left;
  for (const json& r : again["runs"][0]["results"]) {
    EXPECT_FALSE(r.contains("fixes")) << r.dump();
    left.insert(r["ruleId"].get<std::string>() + " " + r["message"]["text"].get<std::string>());
  }
  // DIE() (a macro), creat (no mechanical fix), the lock file (held across exec)
  EXPECT_EQ(left.size(), 3u) << testing::PrintToString(left);
  // Nothing left to do: a second --fix changes nothing.
  std::string fixed_text = read_file(file);
  EXPECT_NE(analyze(file, {"--fix"}).stderr_text.find("applied 0 fixes"), std::string::npos);
  EXPECT_EQ(read_file(file), fixed_text);
}

TEST_F(Fixes, AMacroExpandedCallGetsNoFix) {
  json log = sarif_of(copy("fixable.c"));
  bool seen = false;
  for (const json& r : log["runs"][0]["results"]) {
    if (r["ruleId"] != "fork-exit" || r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"] != "spawn_quietly") continue;
    seen = true;
    EXPECT_FALSE(r.contains("fixes")) << r.dump();
  }
  EXPECT_TRUE(seen);
}

TEST_F(Fixes, NoFixNeedsANameTheCodeDoesNotDeclare) {
  // gnu11 without _GNU_SOURCE: O_CLOEXEC is there, pipe2 is not.
  std::map<std::string, bool> fixable;
  json gnu = sarif_of(copy("no_gnu.c"));
  for (const json& r : gnu["runs"][0]["results"]) fixable[r["properties"]["callee"].get<std::string>()] = r.contains("fixes");
  EXPECT_EQ(fixable, (std::map<std::string, bool>{{"open", true}, {"pipe", false}}));
  // POSIX.1-2001 only: no O_CLOEXEC either.
  std::vector<std::string> old_posix = {"-std=c99", "-D_POSIX_C_SOURCE=200112L"};
  json posix = sarif_of(copy("no_gnu.c"), old_posix);
  EXPECT_EQ(posix["runs"][0]["results"].size(), 2u);
  for (const json& r : posix["runs"][0]["results"]) EXPECT_FALSE(r.contains("fixes")) << r.dump();
}

TEST_F(Fixes, ExportedYamlAppliedByClangApplyReplacementsGivesWhatFixGives) {
  const std::string tool = "/usr/bin/clang-apply-replacements-14";
  if (!fs::exists(tool)) GTEST_SKIP() << tool << " is not installed (Debian's clang-tools-14, scripts/setup.sh)";
  std::string by_fix = copy("fixable.c", "by_fix.c");
  ASSERT_EQ(analyze(by_fix, {"--fix"}).status, 1);
  std::string yaml_dir = dir + "/yaml";
  fs::create_directory(yaml_dir);
  std::string by_tool = copy("fixable.c");
  Outcome exported = analyze(by_tool, {"--export-fixes", yaml_dir + "/fixes.yaml"});
  ASSERT_EQ(exported.status, 1) << exported.stderr_text;
  std::string yaml = read_file(yaml_dir + "/fixes.yaml");
  EXPECT_NE(yaml.find("DiagnosticName:  forksafe-fd-no-cloexec"), std::string::npos) << yaml;
  Outcome applied = run_command({tool, yaml_dir}, 120);
  ASSERT_EQ(applied.status, 0) << applied.stderr_text;
  EXPECT_EQ(read_file(by_tool), read_file(by_fix));
}

TEST_F(Fixes, SarifRegionsEndWhereTheCallEnds) {
  json log = sarif_of(copy("fixable.c"));
  bool seen = false;
  for (const json& r : log["runs"][0]["results"]) {
    const json& region = r["locations"][0]["physicalLocation"]["region"];
    if (region["startLine"] != 17) continue;  // open(path,\n O_RDONLY): two lines
    seen = true;
    EXPECT_EQ(region["endLine"], 18);
    EXPECT_EQ(region["endColumn"], 26);  // after the ')'
  }
  EXPECT_TRUE(seen) << log.dump(1);
}

}  // namespace
