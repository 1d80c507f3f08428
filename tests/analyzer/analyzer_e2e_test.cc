// End-to-end tests of `forksafe analyze` and `forksafe merge`.
//
// The fixture corpus (fixtures/) carries its expected findings inline, on the
// line each finding is reported at: `// expect: RULE [RULE...]`, `RULE xN` for
// N findings of one rule on that line. A run must report exactly those: any
// missing or extra finding fails.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

#include "harness/run_command.h"
#include "harness/sarif_validation.h"

namespace {

namespace fs = std::filesystem;
using namespace forksafe::test;  // Outcome, run_command, make_temp_directory, read_file
using nlohmann::json;

const std::string kSourceDir = FORKSAFE_SOURCE_DIR;
const std::string kFixtures = ANALYZER_FIXTURES;
const std::set<std::string> kRules = {"fork-unsafe-call", "fork-indirect-call", "fork-exit",
                                      "vfork-child",      "fd-no-cloexec",      "fork-no-exec"};

// How many findings of each (file, line, rule).
using Finding = std::tuple<std::string, int, std::string>;
using Findings = std::map<Finding, int>;
// How many SARIF results of each (uri, line, rule, fingerprint): for comparing runs.
using SarifResults = std::map<std::tuple<std::string, int, std::string, std::string>, int>;

std::string fixture(const std::string& name) { return kFixtures + "/" + name; }

std::vector<std::string> fixture_files() {
  std::vector<std::string> files;
  for (const auto& entry : fs::directory_iterator(kFixtures)) {
    auto extension = entry.path().extension();
    if (extension == ".c" || extension == ".cc") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The findings the `expect:` comments of FILES ask for (or those with another TAG).
Findings expected_findings(const std::vector<std::string>& files, const std::string& tag = "expect") {
  const std::regex expect(tag + R"(:\s*(.*)$)"), repeat(R"(x\d+)");
  Findings expected;
  for (const auto& path : files) {
    std::ifstream in(path);
    int number = 0;
    for (std::string line; std::getline(in, line);) {
      ++number;
      std::smatch m;
      if (!std::regex_search(line, m, expect)) continue;
      std::istringstream text(m[1].str());
      std::vector<std::string> words{std::istream_iterator<std::string>(text), {}};
      for (size_t i = 0; i < words.size(); ++i) {
        if (!kRules.count(words[i])) continue;
        int count = 1;
        if (i + 1 < words.size() && std::regex_match(words[i + 1], repeat)) count = std::stoi(words[i + 1].substr(1));
        expected[{path, number, words[i]}] += count;
      }
    }
  }
  return expected;
}

void write_file(const std::string& path, const std::string& text) { std::ofstream(path) << text; }

void write_database(const std::string& directory, const std::vector<std::string>& files,
                    const std::string& define = "-DNOTHING") {
  json commands = json::array();
  for (const auto& path : files) {
    bool cxx = path.ends_with(".cc");
    commands.push_back({{"directory", directory},
                        {"file", path},
                        {"arguments", {cxx ? "clang++" : "clang", cxx ? "-std=c++17" : "-std=gnu11", define, "-c",
                                       path, "-o", "/dev/null"}}});
  }
  write_file(directory + "/compile_commands.json", commands.dump());
}

// forksafe analyze ARGS (or forksafe merge ... when ARGS start with "merge"),
// without the progress lines a slow run prints on stderr every few seconds.
Outcome run(std::vector<std::string> args) {
  if (args.empty() || args[0] != "merge") args.insert(args.begin(), "analyze");
  args.insert(args.begin(), FORKSAFE_BINARY);
  Outcome outcome = run_command(args, 240);
  static const std::regex progress(R"(forksafe analyze: \[\d+/\d+\] .*\n)");
  outcome.stderr_text = std::regex_replace(outcome.stderr_text, progress, "");
  return outcome;
}

Findings found(const std::string& json_text) {
  Findings findings;
  for (const json& f : json::parse(json_text)) findings[{f["file"], f["line"], f["rule"]}] += 1;
  return findings;
}

SarifResults sarif_results(const json& log) {
  SarifResults out;
  for (const json& r : log["runs"]) {
    for (const json& res : r["results"]) {
      const json& loc = res["locations"][0]["physicalLocation"];
      out[{loc["artifactLocation"]["uri"], loc["region"]["startLine"], res["ruleId"],
           res["partialFingerprints"]["forksafe/v1"]}] += 1;
    }
  }
  return out;
}

// What A has more of than B (Python's Counter subtraction).
Findings minus(const Findings& a, const Findings& b) {
  Findings out;
  for (const auto& [key, count] : a) {
    auto other = b.find(key);
    int left = count - (other == b.end() ? 0 : other->second);
    if (left > 0) out[key] = left;
  }
  return out;
}

std::string describe(const Findings& findings) {
  std::string text = "[";
  for (const auto& [key, count] : findings) {
    const auto& [file, line, rule] = key;
    text += "\n  " + file + ":" + std::to_string(line) + " " + rule;
    if (count > 1) text += " x" + std::to_string(count);
  }
  return text + (findings.empty() ? "]" : "\n]");
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

std::string strip(const std::string& text) {
  auto begin = text.find_first_not_of(" \t\r\n"), end = text.find_last_not_of(" \t\r\n");
  return begin == std::string::npos ? "" : text.substr(begin, end - begin + 1);
}

std::string joined(const std::vector<std::string>& words) {
  std::string text;
  for (const auto& w : words) text += (text.empty() ? "" : "\n") + w;
  return text;
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

// A temporary build directory with a compile_commands.json for the fixtures.
class Corpus : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = make_temp_directory("forksafe-analyzer");
    files = fixture_files();
    write_database(dir, files);
  }
  void TearDown() override { fs::remove_all(dir); }

  // forksafe analyze -p DIR -j 2 ARGS, which must exit with EXPECT_STATUS.
  Outcome analyze(const std::vector<std::string>& args, int expect_status = 1) {
    std::vector<std::string> all = {"-p", dir, "-j", "2"};
    all.insert(all.end(), args.begin(), args.end());
    Outcome outcome = run(all);
    EXPECT_EQ(outcome.status, expect_status) << outcome.stderr_text;
    return outcome;
  }

  std::string dir;
  std::vector<std::string> files;
};

class Fixtures : public Corpus {};

TEST_F(Fixtures, EveryExpectedFindingAndNoOther) {
  auto p = analyze({"--all", "--format", "json", "--fail-on", "note"});
  EXPECT_EQ(p.stderr_text, "");
  Findings got = found(p.stdout_text), want = expected_findings(files);
  Findings missing = minus(want, got), extra = minus(got, want);
  EXPECT_TRUE(missing.empty() && extra.empty()) << "missing: " << describe(missing) << "\nextra: " << describe(extra);
}

TEST_F(Fixtures, NegativeFixtureAloneIsClean) {
  auto p = run({fixture("negatives.c"), "--fail-on", "note", "--", "-std=gnu11"});
  EXPECT_EQ(p.status, 0) << p.stderr_text;
  EXPECT_EQ(p.stdout_text, "") << p.stderr_text;
}

TEST_F(Fixtures, TextOutputIsCompilerStyleWithChainNotes) {
  auto p = analyze({"--all"});
  std::string cross = fixture("cross_a.c");
  // Each finding and note is followed by its source line and caret, as clang's are.
  std::vector<std::string> lines, all = lines_of(p.stdout_text);
  std::copy_if(all.begin(), all.end(), std::back_inserter(lines), [](const std::string& l) { return l.starts_with("/"); });
  EXPECT_EQ(all.size(), 3 * lines.size()) << p.stdout_text;
  std::vector<size_t> head;
  for (size_t i = 0; i < lines.size(); ++i) {
    if (lines[i].starts_with(cross + ":13:5: warning:")) head.push_back(i);
  }
  ASSERT_EQ(head.size(), 1u) << p.stdout_text;
  EXPECT_TRUE(lines[head[0]].ends_with("[fork-unsafe-call]")) << lines[head[0]];
  ASSERT_GE(lines.size(), head[0] + 5) << p.stdout_text;
  std::vector<std::string> notes(lines.begin() + head[0] + 1, lines.begin() + head[0] + 5);
  EXPECT_TRUE(notes[0].starts_with(cross + ":10:15: note: child side of fork()")) << joined(notes);
  EXPECT_TRUE(contains(notes[1], "note: calls log_start()")) << joined(notes);
  EXPECT_TRUE(contains(notes[2], "cross_b.c")) << joined(notes);  // log_start -> write_line in the other TU
  EXPECT_TRUE(contains(notes[3], "note: calls fprintf()")) << joined(notes);
}

TEST_F(Fixtures, ForkLikeWrapperMakesItsCallersWindows) {
  std::string src = dir + "/wrapper.c";
  write_file(src,
             "#include <stdio.h>\n#include <unistd.h>\n"
             "pid_t make_child(void) { return fork(); }\n"
             "void run(char** argv) {\n"
             "  if (make_child() == 0) {\n"
             "    puts(\"child\");\n"
             "    execv(argv[0], argv);\n"
             "    _exit(127);\n"
             "  }\n"
             "}\n");
  // make_child returns the fork result: it is fork-like without being told.
  Findings plain = found(run({src, "--format", "json", "--", "-std=gnu11"}).stdout_text);
  Findings wrapped = found(run({src, "--format", "json", "--fork-like", "make_child", "--", "-std=gnu11"}).stdout_text);
  EXPECT_EQ(plain, (Findings{{{src, 6, "fork-unsafe-call"}, 1}})) << describe(plain);
  EXPECT_EQ(wrapped, plain) << describe(wrapped);
}

TEST_F(Fixtures, ForkLikeNamedWithTheChildsValue) {
  std::string src = dir + "/spawner.c";
  write_file(src,
             "#include <stdio.h>\n#include <unistd.h>\n"
             "int start_child(void);  /* defined elsewhere: 1 in the child */\n"
             "void run(char** argv) {\n"
             "  if (start_child() == 1) {\n"
             "    puts(\"child\");\n"
             "    execv(argv[0], argv);\n"
             "    _exit(127);\n"
             "  }\n"
             "  puts(\"parent\");\n"
             "}\n");
  Findings told = found(run({src, "--format", "json", "--fork-like", "start_child=1", "--", "-std=gnu11"}).stdout_text);
  EXPECT_EQ(told, (Findings{{{src, 6, "fork-unsafe-call"}, 1}})) << describe(told);
  auto bad = run({src, "--fork-like", "start_child=one", "--", "-std=gnu11"});
  EXPECT_EQ(bad.status, 2);
  EXPECT_TRUE(contains(bad.stderr_text, "start_child=one")) << bad.stderr_text;
}

TEST_F(Fixtures, Profile2017DoesNotKnowDup3AndLinuxTrustsExecvp) {
  // How many findings of FILE analysed with FLAGS satisfy WANTED.
  auto count = [](const std::string& file, std::vector<std::string> flags, auto wanted) {
    std::vector<std::string> args = {file, "--format", "json"};
    args.insert(args.end(), flags.begin(), flags.end());
    args.insert(args.end(), {"--", "-std=gnu11"});
    json findings = json::parse(run(args).stdout_text);
    return std::count_if(findings.begin(), findings.end(), wanted);
  };
  auto dup3_in_child = [](const json& f) { return f["properties"].value("callee", "") == "dup3"; };
  auto execvp = [](const json& f) { return contains(f["message"].get<std::string>(), "execvp"); };
  std::string more = fixture("more_idioms.c"), idioms = fixture("idioms.c");
  EXPECT_EQ(count(more, {}, dup3_in_child), 0);
  EXPECT_EQ(count(more, {"--profile", "posix-2017"}, dup3_in_child), 1);
  EXPECT_EQ(count(idioms, {}, execvp), 1);
  EXPECT_EQ(count(idioms, {"--linux"}, execvp), 0);
}

// Demand-driven, parallel and sharded runs report what the full run reports.
class Modes : public Corpus {
 protected:
  Findings full() { return found(analyze({"--all", "--format", "json", "--fail-on", "note"}).stdout_text); }
};

TEST_F(Modes, DemandDrivenDefaultEqualsFullAnalysis) {
  EXPECT_EQ(found(analyze({"--format", "json"}).stdout_text), full());
}

TEST_F(Modes, FilesWithDatabaseStillSeeDefinitionsInOtherTus) {
  std::string cross = fixture("cross_a.c");
  Findings only = found(analyze({cross, "--format", "json"}).stdout_text), in_cross;
  for (const auto& [key, count] : full()) {
    if (std::get<0>(key) == cross) in_cross[key] = count;
  }
  EXPECT_EQ(only, in_cross) << describe(only) << "\n" << describe(in_cross);
}

TEST_F(Modes, OneThreadEqualsTwo) {
  auto one = run({"-p", dir, "-j", "1", "--all", "--format", "json"});
  EXPECT_EQ(found(one.stdout_text), full());
}

TEST_F(Modes, ShardsWithSummariesThenMergeEqualFull) {
  analyze({"--all", "--format", "sarif", "-o", dir + "/full.sarif"});
  const int n = 3;
  std::vector<std::string> summaries, shards;
  for (int k = 1; k <= n; ++k) summaries.push_back(dir + "/s" + std::to_string(k) + ".json");
  for (int k = 1; k <= n; ++k) {
    std::string shard = std::to_string(k) + "/" + std::to_string(n);
    auto p = run({"-p", dir, "--all", "--shard", shard, "--summaries-out", summaries[k - 1]});
    EXPECT_EQ(p.status, 0) << p.stderr_text;
  }
  for (int k = 1; k <= n; ++k) {
    std::string out = dir + "/r" + std::to_string(k) + ".sarif";
    std::vector<std::string> args = {"--summaries-in"};
    args.insert(args.end(), summaries.begin(), summaries.end());
    args.insert(args.end(), {"--shard", std::to_string(k) + "/" + std::to_string(n), "--format", "sarif", "-o", out});
    auto p = run(args);
    EXPECT_TRUE(p.status == 0 || p.status == 1) << p.status << ": " << p.stderr_text;
    shards.push_back(out);
  }
  std::string merged = dir + "/merged.sarif";
  std::vector<std::string> args = {"merge"};
  args.insert(args.end(), shards.begin(), shards.end());
  args.insert(args.end(), {"-o", merged});
  auto p = run(args);
  EXPECT_EQ(p.status, 0) << p.stderr_text;
  EXPECT_EQ(sarif_results(json::parse(read_file(merged))), sarif_results(json::parse(read_file(dir + "/full.sarif"))));
}

TEST_F(Modes, DemandDrivenShardsSeeAcrossTusWithoutSummaries) {
  Findings all;
  for (const char* shard : {"1/3", "2/3", "3/3"}) {
    for (const auto& [key, count] : found(run({"-p", dir, "--shard", shard, "--format", "json"}).stdout_text)) {
      all[key] += count;
    }
  }
  EXPECT_EQ(all, full());
}

TEST_F(Modes, ShardArgumentIsChecked) {
  auto p = run({"-p", dir, "--shard", "4/3"});
  EXPECT_EQ(p.status, 2);
  EXPECT_EQ(lines_of(strip(p.stderr_text)).size(), 1u) << p.stderr_text;
}

class Sarif : public Corpus {};

// The multitool's errors and warnings (its SARIF and GitHub rules) on PATH.
std::vector<std::string> validation_errors(const std::string& path, std::string& report) {
  return sarif_problems(SARIF_MULTITOOL, path, &report);
}

TEST_F(Sarif, ValidatesWithSarifMultitool) {
  std::string out = dir + "/out.sarif", report;
  analyze({"--all", "--format", "sarif", "-o", out});
  EXPECT_EQ(validation_errors(out, report), std::vector<std::string>{}) << report;
  // The validator does catch errors (so this test can fail).
  json log = json::parse(read_file(out));
  log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b";
  std::string broken = dir + "/broken.sarif";
  write_file(broken, log.dump());
  EXPECT_FALSE(validation_errors(broken, report).empty()) << report;
}

TEST_F(Sarif, ResultsCarryChainRelativeUrisAndProperties) {
  auto p = run({"-p", dir, "--all", "--format", "sarif", "--source-root", kSourceDir});
  json run0 = json::parse(p.stdout_text)["runs"][0];
  EXPECT_EQ(run0["properties"]["forksafeKind"], "static");
  EXPECT_TRUE(run0["originalUriBaseIds"].contains("SRCROOT")) << run0["originalUriBaseIds"].dump();
  std::vector<json> cross;
  for (const json& r : run0["results"]) {
    if (r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "tests/analyzer/fixtures/cross_a.c" &&
        contains(r["message"]["text"].get<std::string>(), "log_start")) {
      cross.push_back(r);
    }
  }
  ASSERT_EQ(cross.size(), 1u);
  const json& r = cross[0];
  EXPECT_EQ(r["properties"]["window"], "fork");
  EXPECT_EQ(r["properties"]["callee"], "fprintf");
  EXPECT_EQ(r["properties"]["reason"], "stdio");
  const json& flow = r["codeFlows"][0]["threadFlows"][0]["locations"];
  EXPECT_EQ(flow.size(), r["relatedLocations"].size());
  EXPECT_EQ(flow.size(), 4u);  // fork site, log_start, write_line, fprintf
}

TEST_F(Sarif, FingerprintsSurviveUnrelatedLineShifts) {
  std::string src = dir + "/shifted", orig = src + "/idioms.c";
  fs::create_directory(src);
  fs::copy_file(fixture("idioms.c"), orig);
  // The (rule, fingerprint) pairs and the lines of the results.
  auto prints = [&] {
    auto p = run({orig, "--format", "sarif", "--source-root", src, "--", "-std=gnu11"});
    std::set<std::pair<std::string, std::string>> rule_prints;
    std::set<int> lines;
    for (const auto& [key, count] : sarif_results(json::parse(p.stdout_text))) {
      rule_prints.insert({std::get<2>(key), std::get<3>(key)});
      lines.insert(std::get<1>(key));
    }
    return std::pair{rule_prints, lines};
  };
  auto [before, lines_before] = prints();
  write_file(orig, "// a new comment\n// and another\n\n" + read_file(orig));
  auto [after, lines_after] = prints();
  EXPECT_FALSE(before.empty());
  EXPECT_EQ(before, after);
  std::set<int> shifted;
  for (int line : lines_before) shifted.insert(line + 3);
  EXPECT_EQ(shifted, lines_after);
}

class Suppressions : public Corpus {};

TEST_F(Suppressions, BaselineHidesKnownFindingsAndShowsNewOnes) {
  std::string base = dir + "/baseline.json";
  analyze({"--all", "--write-baseline", base});
  auto p = analyze({"--all", "--baseline", base, "--fail-on", "note"}, 0);
  EXPECT_EQ(p.stdout_text, "");
  // A new finding in a copied fixture is reported despite the baseline.
  std::string extra = dir + "/new.c";
  write_file(extra,
             "#include <stdio.h>\n#include <unistd.h>\n"
             "void f(void) { if (fork() == 0) { puts(\"x\"); _exit(0); } }\n");
  auto with_extra = files;
  with_extra.push_back(extra);
  write_database(dir, with_extra);
  p = analyze({"--all", "--baseline", base, "--format", "json"});
  std::vector<Finding> shown;
  for (const auto& [key, count] : found(p.stdout_text)) shown.push_back(key);
  EXPECT_EQ(shown, std::vector<Finding>{Finding(extra, 3, "fork-unsafe-call")}) << p.stdout_text;
}

TEST_F(Suppressions, BaselineAppliesInAnotherCheckout) {
  std::string here = dir + "/here", elsewhere = dir + "/elsewhere", base = dir + "/baseline.json";
  for (const auto& checkout : {here, elsewhere}) {
    fs::create_directory(checkout);
    fs::copy_file(fixture("idioms.c"), checkout + "/idioms.c");
  }
  auto analyze_in = [](const std::string& checkout, std::vector<std::string> options) {
    std::vector<std::string> args = {checkout + "/idioms.c", "--source-root", checkout};
    args.insert(args.end(), options.begin(), options.end());
    args.insert(args.end(), {"--", "-std=gnu11"});
    return run(args);
  };
  EXPECT_EQ(analyze_in(here, {"--write-baseline", base}).status, 1);
  auto p = analyze_in(elsewhere, {"--baseline", base, "--fail-on", "note"});
  EXPECT_EQ(p.status, 0) << p.stderr_text;
  EXPECT_EQ(p.stdout_text, "") << p.stderr_text;
}

TEST_F(Suppressions, FailOnErrorIgnoresWarnings) {
  auto p = run({fixture("fds.c"), "--fail-on", "error", "--", "-std=gnu11"});  // only warnings there
  EXPECT_EQ(p.status, 0) << p.stderr_text;
  EXPECT_TRUE(contains(p.stdout_text, "[fd-no-cloexec]")) << p.stdout_text;
}

class Errors : public Corpus {
 protected:
  // The lines on stderr of a run that must fail with a usage error (2), no crash.
  std::vector<std::string> one_line(const Outcome& p) {
    EXPECT_EQ(p.status, 2) << p.stdout_text + p.stderr_text;
    EXPECT_FALSE(contains(p.stderr_text, "terminate")) << p.stderr_text;
    return lines_of(strip(p.stderr_text));
  }
};

TEST_F(Errors, MissingDatabase) {
  auto lines = one_line(run({"-p", dir + "/nowhere"}));
  ASSERT_EQ(lines.size(), 1u) << joined(lines);
  EXPECT_TRUE(contains(lines[0], "compile_commands.json")) << lines[0];
}

TEST_F(Errors, InvalidDatabase) {
  write_file(dir + "/compile_commands.json", "{ not json");
  auto lines = one_line(run({"-p", dir}));
  ASSERT_EQ(lines.size(), 1u) << joined(lines);
  EXPECT_TRUE(contains(lines[0], "not a valid compilation database")) << lines[0];
}

TEST_F(Errors, BadTusGetOneLineEachAndTheRestIsAnalysed) {
  Findings clean = found(run({"-p", dir, "--all", "--format", "json"}).stdout_text);
  std::string broken = dir + "/broken.c", missing = dir + "/missing.c";
  write_file(broken, "int f( { this is not C\n");
  auto with_bad = files;
  with_bad.insert(with_bad.end(), {broken, missing});
  write_database(dir, with_bad);
  auto p = run({"-p", dir, "--all", "--format", "json"});
  auto lines = one_line(p);
  EXPECT_EQ(lines.size(), 2u) << joined(lines);
  auto any_line = [&](const std::string& a, const std::string& b) {
    return std::any_of(lines.begin(), lines.end(), [&](const auto& l) { return contains(l, a) && contains(l, b); });
  };
  EXPECT_TRUE(any_line("broken.c", "parse error")) << joined(lines);
  EXPECT_TRUE(any_line("missing.c", "no such file")) << joined(lines);
  EXPECT_EQ(found(p.stdout_text), clean);
  EXPECT_GT(clean.size(), 10u);
}

// gcc's flags (a gcc build's database) are one note each, never an error of
// the TUs: busybox's -malign-data=abi once made every TU "fail to parse".
TEST_F(Errors, UnknownGccFlagsAreNotesNotParseFailures) {
  json db = json::parse(read_file(dir + "/compile_commands.json"));
  for (json& entry : db) entry["arguments"].push_back("-malign-data=abi");
  write_file(dir + "/compile_commands.json", db.dump());
  auto p = run({"-p", dir, "--all", "--format", "json"});
  EXPECT_EQ(p.status, 1) << p.stderr_text;
  EXPECT_EQ(p.stderr_text, "forksafe analyze: note: ignored compiler flag '-malign-data=abi' that clang does not know\n");
  EXPECT_GT(found(p.stdout_text).size(), 10u);
}

TEST_F(Errors, FileNotInDatabase) {
  std::string stray = dir + "/stray.c";
  write_file(stray, "");
  EXPECT_EQ(one_line(run({"-p", dir, stray})),
            std::vector<std::string>{"forksafe analyze: " + stray + ": not in compile_commands.json"});
}

TEST_F(Errors, RefusesToOverwriteAnInput) {
  std::string target = fixture("idioms.c"), before = read_file(target);
  EXPECT_EQ(one_line(run({target, "-o", target, "--", "-std=gnu11"})).size(), 1u);
  EXPECT_EQ(read_file(target), before);
}

TEST_F(Errors, MergeRejectsNonSarif) {
  std::string bogus = dir + "/bogus.sarif";
  write_file(bogus, "[1, 2]");
  EXPECT_EQ(one_line(run({"merge", bogus})).size(), 1u);
}

TEST_F(Errors, BadFlags) {
  for (const auto& args : std::vector<std::vector<std::string>>{{"--format", "xml", "-p", dir},
                                                                {"--fail-on", "fatal", "-p", dir},
                                                                {"--profile", "posix-1990", "-p", dir},
                                                                {"--no-such-flag"}}) {
    EXPECT_EQ(one_line(run(args)).size(), 1u) << joined(args);
  }
}

// A project with its own .forksafe.yaml files (fixtures/project/): the
// `expect:` comments hold under its configuration; `unconfigured:` ones
// also hold when a configuration replaces it that only excludes third_party/.
class Project : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = make_temp_directory("forksafe-project");
    sources = {root + "/src/main.c", root + "/src/sub/child.c", root + "/third_party/zlib/vendor.c"};
    write_database(dir, sources, "-DFROM_DATABASE");
  }
  void TearDown() override { fs::remove_all(dir); }

  Findings expected(const std::string& tag = "expect") {
    return expected_findings({root + "/src/main.c", root + "/src/sub/child.c", root + "/include/shown.h",
                              root + "/other/hidden.h", root + "/third_party/zlib/vendor.c"},
                             tag);
  }
  Findings unconfigured() {
    Findings all = expected();
    for (const auto& [key, count] : expected("unconfigured")) all[key] += count;
    return all;
  }
  // The configuration that replaces the project's in the `unconfigured:` runs.
  std::string only_exclusion() { return "{Exclude: ['" + root + "/third_party/**'], ForkLike: [start_worker=1]}"; }

  const std::string root = fixture("project");
  std::string dir;
  std::vector<std::string> sources;
};

TEST_F(Project, ConfigurationFoundFromEachSourceFile) {
  auto p = run({"-p", dir, "-j", "2", "--format", "json"});
  EXPECT_EQ(p.status, 0) << p.stderr_text;  // FailOn: error, and no finding is an error
  EXPECT_EQ(p.stderr_text, "");
  Findings got = found(p.stdout_text), want = expected();
  EXPECT_EQ(got, want) << "got: " << describe(got) << "\nwant: " << describe(want);
}

TEST_F(Project, GivenConfigurationReplacesEveryFile) {
  for (const char* option : {"--config", "--config-file"}) {
    std::vector<std::string> args = {"-p", dir, "--format", "json", option};
    if (std::string(option) == "--config") {
      args.push_back(only_exclusion());
    } else {
      write_file(dir + "/given.yaml", only_exclusion());
      args.push_back(dir + "/given.yaml");
    }
    auto p = run(args);
    EXPECT_EQ(p.status, 1) << p.stderr_text;  // the default --fail-on warning again
    Findings got = found(p.stdout_text), want = unconfigured();
    EXPECT_EQ(got, want) << option << " got: " << describe(got) << "\nwant: " << describe(want);
  }
  auto both = run({"-p", dir, "--config", "{}", "--config-file", dir + "/given.yaml"});
  EXPECT_EQ(both.status, 2);
}

TEST_F(Project, ExcludedTusAreNotEvenParsed) {
  // Without the exclusion the vendored TU is parsed, and does not compile.
  auto parsed = run({"-p", dir, "--format", "json", "--config", "{}"});
  EXPECT_EQ(parsed.status, 2);
  EXPECT_TRUE(contains(parsed.stderr_text, "vendor.c")) << parsed.stderr_text;
  auto excluded = run({"-p", dir, "--format", "json", "--config", "{}", "--exclude", root + "/third_party/**"});
  EXPECT_EQ(excluded.status, 1) << excluded.stderr_text;
  EXPECT_EQ(excluded.stderr_text, "");
  for (const auto& [key, count] : found(excluded.stdout_text)) {
    EXPECT_FALSE(contains(std::get<0>(key), "third_party")) << std::get<0>(key);
  }
  // Everything excluded: a clean run with an empty report, still written.
  std::string out = dir + "/none.sarif";
  auto nothing = run({"-p", dir, "--format", "sarif", "-o", out, "--exclude", root + "/**"});
  EXPECT_EQ(nothing.status, 0) << nothing.stderr_text;
  EXPECT_EQ(json::parse(read_file(out))["runs"][0]["results"].size(), 0u);
}

TEST_F(Project, CommandLineWinsOverTheFile) {
  auto p = run({"-p", dir, "--format", "json", "--fail-on", "warning"});
  EXPECT_EQ(p.status, 1) << p.stderr_text;
  // --header-filter replaces HeaderFilterRegex: hidden.h's finding shows, shown.h's does not.
  Findings filtered = found(run({"-p", dir, "--format", "json", "--header-filter", "/other/"}).stdout_text);
  auto in = [&](const std::string& header) {
    return std::any_of(filtered.begin(), filtered.end(), [&](const auto& f) { return std::get<0>(f.first) == header; });
  };
  EXPECT_TRUE(in(root + "/other/hidden.h")) << describe(filtered);
  EXPECT_FALSE(in(root + "/include/shown.h")) << describe(filtered);
  EXPECT_TRUE(in(root + "/src/main.c")) << describe(filtered);  // main files always
  // --checks is appended to each file's Checks.
  Findings only_exit = found(
      run({"-p", dir, "--format", "json", "--config", only_exclusion(), "--checks", "-*,forksafe-fork-exit"}).stdout_text);
  EXPECT_EQ(only_exit, (Findings{{{root + "/src/sub/child.c", 10, "fork-exit"}, 1}})) << describe(only_exit);
}

TEST_F(Project, DatabaseAsItsFileOrFoundAboveTheSource) {
  Findings by_dir = found(run({"-p", dir, "--format", "json"}).stdout_text);
  auto by_file = run({"-p", dir + "/compile_commands.json", "--format", "json"});
  EXPECT_EQ(by_file.status, 0) << by_file.stderr_text;
  EXPECT_EQ(found(by_file.stdout_text), by_dir);
  write_file(dir + "/other.json", "[]");
  EXPECT_EQ(run({"-p", dir + "/other.json"}).status, 2);
  // A copy of the project with its database at the top: found from the source, no -p.
  std::string copy = make_temp_directory("forksafe-copy");
  fs::copy(root, copy, fs::copy_options::recursive);
  write_database(copy, {copy + "/src/main.c"}, "-DFROM_DATABASE");
  auto found_above = run({copy + "/src/main.c", "--format", "json"});
  EXPECT_EQ(found_above.status, 0) << found_above.stderr_text;  // no #error: the database's flags
  EXPECT_EQ(found_above.stderr_text, "");
  EXPECT_FALSE(found(found_above.stdout_text).empty());
  // Without a database anywhere above: a note, and the file analysed without flags.
  fs::remove(copy + "/compile_commands.json");
  auto none = run({copy + "/src/main.c", "--format", "json"});
  EXPECT_EQ(none.status, 2);  // the #error
  EXPECT_TRUE(contains(none.stderr_text, "note: no compile_commands.json in " + copy + "/src or above"))
      << none.stderr_text;
  fs::remove_all(copy);
}

TEST_F(Project, BadConfigurationIsOneLineNamingTheFileAndKey) {
  std::string copy = dir + "/copy";
  fs::copy(root, copy, fs::copy_options::recursive);
  write_database(copy, {copy + "/src/main.c"}, "-DFROM_DATABASE");
  auto one_line = [](const Outcome& p) {
    EXPECT_EQ(p.status, 2) << p.stdout_text;
    EXPECT_EQ(lines_of(strip(p.stderr_text)).size(), 1u) << p.stderr_text;
    return strip(p.stderr_text);
  };
  write_file(copy + "/src/sub/.forksafe.yaml", "Chekcs: '-*'\n");
  write_database(copy, {copy + "/src/sub/child.c"}, "-DFROM_DATABASE");
  std::string line = one_line(run({"-p", copy}));
  EXPECT_TRUE(line.starts_with("forksafe analyze: " + copy + "/src/sub/.forksafe.yaml: Chekcs: unknown key")) << line;
  write_file(copy + "/.forksafe.yaml", "FailOn: sometimes\n");
  write_database(copy, {copy + "/src/main.c"}, "-DFROM_DATABASE");
  line = one_line(run({"-p", copy}));
  EXPECT_TRUE(line.starts_with("forksafe analyze: " + copy + "/.forksafe.yaml: FailOn: 'sometimes'")) << line;
  line = one_line(run({"-p", copy, "--config", "Profile: [1"}));
  EXPECT_TRUE(line.starts_with("forksafe analyze: --config:1: not valid YAML")) << line;
  line = one_line(run({"-p", copy, "--config-file", copy + "/missing.yaml"}));
  EXPECT_TRUE(contains(line, "missing.yaml")) << line;
}

class CommandLine : public Corpus {};

TEST_F(CommandLine, ListRulesShowsTheEnabledOnes) {
  auto all = run({"--list-rules"});
  EXPECT_EQ(all.status, 0) << all.stderr_text;
  std::vector<std::string> ids;
  for (const std::string& line : lines_of(all.stdout_text)) ids.push_back(line.substr(0, line.find(' ')));
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()), kRules) << all.stdout_text;
  EXPECT_TRUE(contains(all.stdout_text, "vfork-child           error")) << all.stdout_text;
  auto some = run({"--list-rules", "--checks", "-*,forksafe-fork-*,-forksafe-fork-exit"});
  EXPECT_EQ(lines_of(some.stdout_text).size(), 3u) << some.stdout_text;  // unsafe-call, indirect-call, no-exec
  auto runtime = run_command({FORKSAFE_BINARY, "run", "--list-rules"});
  EXPECT_EQ(runtime.status, 0) << runtime.stderr_text;
  for (const std::string& line : lines_of(runtime.stdout_text)) EXPECT_TRUE(line.starts_with("runtime-")) << line;
  EXPECT_GE(lines_of(runtime.stdout_text).size(), 5u);
}

TEST_F(CommandLine, FailOnNoneReportsButNeverFails) {
  auto p = run({fixture("idioms.c"), "--fail-on", "none", "--", "-std=gnu11"});
  EXPECT_EQ(p.status, 0) << p.stderr_text;
  EXPECT_TRUE(contains(p.stdout_text, "warning:")) << p.stdout_text;
}

TEST_F(CommandLine, QuietLeavesOnlyErrorsAndVerboseSaysMore) {
  json db = json::parse(read_file(dir + "/compile_commands.json"));
  for (json& entry : db) entry["arguments"].push_back("-malign-data=abi");
  write_file(dir + "/compile_commands.json", db.dump());
  auto quiet = analyze({"--quiet", "--format", "json"});
  EXPECT_EQ(quiet.stderr_text, "");  // not the ignored flag's note
  auto verbose = analyze({"--verbose", "--format", "json"});
  EXPECT_TRUE(contains(verbose.stderr_text, "forksafe analyze: configuration: none (defaults)")) << verbose.stderr_text;
  EXPECT_TRUE(contains(verbose.stderr_text, "forksafe analyze: parsed ")) << verbose.stderr_text;
  EXPECT_TRUE(contains(verbose.stderr_text, "0 of " + std::to_string(files.size()) + " translation units excluded"))
      << verbose.stderr_text;
  EXPECT_EQ(found(quiet.stdout_text), found(verbose.stdout_text));
}

TEST_F(CommandLine, SourceLineAndCaretUnderTheCallAndColourOnRequest) {
  auto plain = analyze({fixture("cross_a.c")});
  auto lines = lines_of(plain.stdout_text);
  auto head = std::find_if(lines.begin(), lines.end(),
                           [&](const std::string& l) { return l.starts_with(fixture("cross_a.c") + ":13:5: warning:"); });
  ASSERT_TRUE(head != lines.end() && head + 2 < lines.end()) << plain.stdout_text;
  EXPECT_EQ(*(head + 1), "    log_start(argv[0]);  // expect: fork-unsafe-call");
  EXPECT_EQ(*(head + 2), "    ^~~~~~~~~");
  EXPECT_FALSE(contains(plain.stdout_text, "\033[")) << "colour on a pipe";
  auto colour = analyze({fixture("cross_a.c"), "--color", "always"});
  EXPECT_TRUE(contains(colour.stdout_text, "\033[1;35mwarning: \033[0m")) << colour.stdout_text;
  EXPECT_EQ(run({"-p", dir, "--color", "sometimes"}).status, 2);
}

TEST_F(CommandLine, LiveProgressOnATerminalNeverOnStdout) {
  // script(1) gives the run a terminal for stdout and stderr.
  std::string out = dir + "/out.json";
  auto command = [&](const std::string& extra) {
    return std::string(FORKSAFE_BINARY) + " analyze -p " + dir + " --all -j 2 --format json -o " + out + extra;
  };
  auto live = run_command({"script", "-qec", command(""), "/dev/null"}, 240);
  EXPECT_TRUE(contains(live.stdout_text, "\r\033[K[1/" + std::to_string(files.size()) + "] /")) << live.stdout_text;
  EXPECT_TRUE(contains(live.stdout_text, "[" + std::to_string(files.size()) + "/")) << live.stdout_text;
  EXPECT_FALSE(json::parse(read_file(out), nullptr, false).is_discarded());  // whole, valid JSON
  auto quiet = run_command({"script", "-qec", command(" --quiet"), "/dev/null"}, 240);
  EXPECT_FALSE(contains(quiet.stdout_text, "[1/")) << quiet.stdout_text;
}

}  // namespace
