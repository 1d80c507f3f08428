// Every subcommand with every class of bad input (issue 11): exit 2, one line
// on stderr that names the file, nothing written over an output, no input
// changed (every file of the work directory is compared before and after:
// type, inode, mode and a checksum of its bytes), never a hang or a crash.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "harness/run_command.h"

namespace {

namespace fs = std::filesystem;
using namespace forksafe::test;  // Outcome, run_command, make_temp_directory, read_file
using nlohmann::json;

// FORKSAFE_UNDER_TEST runs the same tests on another build (e.g. one from
// before the fixes, to see them fail).
const std::string kForksafe = std::getenv("FORKSAFE_UNDER_TEST") ? std::getenv("FORKSAFE_UNDER_TEST") : FORKSAFE_BINARY;

// What a file is, for "did anything change": type, inode, mode, size, FNV-1a of the bytes.
std::string identity(const fs::path& p) {
  struct stat st;
  if (::lstat(p.c_str(), &st) != 0) return "gone";
  std::ostringstream out;
  out << (st.st_mode & S_IFMT) << " " << st.st_ino << " " << (st.st_mode & 07777) << " " << st.st_size;
  if (S_ISREG(st.st_mode)) {
    std::ifstream in(p, std::ios::binary);
    unsigned long long hash = 1469598103934665603ull;
    for (char c; in.get(c);) hash = (hash ^ static_cast<unsigned char>(c)) * 1099511628211ull;
    out << " " << std::hex << hash;
  } else if (S_ISLNK(st.st_mode)) {
    out << " -> " << fs::read_symlink(p).string();
  }
  return out.str();
}

std::map<std::string, std::string> snapshot(const std::string& dir) {
  std::map<std::string, std::string> files;
  for (const auto& e : fs::recursive_directory_iterator(dir)) files[e.path().string()] = identity(e.path());
  return files;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

void write(const std::string& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

std::string sarif_with(const std::string& runs) { return R"({"version": "2.1.0", "runs": )" + runs + "}"; }

std::string result(const std::string& extra = "") {
  return R"({"ruleId": "fork-unsafe-call", "message": {"text": "m"})" + extra + "}";
}

std::string run_of(const std::string& version, const std::string& results) {
  return R"({"tool": {"driver": {"name": "forksafe", "version": ")" + version + R"("}}, "results": )" + results + "}";
}

class BadInputs : public ::testing::Test {
 protected:
  void SetUp() override {
    dir = fs::canonical(make_temp_directory("forksafe-bad-inputs")).string();
    fs::create_directories(dir + "/src");
    fs::create_directories(dir + "/build");
    write(dir + "/src/a.c", "#include <unistd.h>\nint main(void) { if (fork() == 0) _exit(0); return 0; }\n");
    write(dir + "/good.sarif", sarif_with("[" + run_of("1.0", "[" + result() + "]") + "]"));
    database({"a.c"});
  }
  void TearDown() override { fs::remove_all(dir); }

  // compile_commands.json in build/ for FILES under src/.
  void database(const std::vector<std::string>& files, const std::string& directory = "") {
    json db = json::array();
    for (const auto& f : files) {
      db.push_back({{"directory", directory.empty() ? dir + "/src" : directory},
                    {"file", f},
                    {"arguments", {"cc", "-c", f}}});
    }
    write(dir + "/build/compile_commands.json", db.dump());
  }

  // Runs `forksafe ARGS` in the work directory.
  Outcome forksafe(const std::vector<std::string>& args, const std::vector<std::string>& env = {}) {
    std::vector<std::string> argv = {"sh", "-c", "cd \"$0\" && exec \"$@\"", dir, kForksafe};
    argv.insert(argv.end(), args.begin(), args.end());
    return run_command(argv, 120, env);
  }

  // The contract for a bad input: exit 2, one line "forksafe CMD: ..." naming
  // `names`, and every file in the work directory as it was.
  void expect_refused(const std::vector<std::string>& args, const std::string& names) {
    auto before = snapshot(dir);
    Outcome out = forksafe(args);
    std::string what = args[0] + " " + names;
    EXPECT_EQ(out.status, 2) << what << "\n" << out.stderr_text;
    auto lines = lines_of(out.stderr_text);
    ASSERT_EQ(lines.size(), 1u) << what << ": " << out.stderr_text;
    EXPECT_EQ(lines[0].rfind("forksafe " + args[0] + ": ", 0), 0u) << lines[0];
    EXPECT_NE(lines[0].find(names), std::string::npos) << what << ": " << lines[0];
    EXPECT_EQ(lines[0].find("LIBCLANG"), std::string::npos) << lines[0];
    EXPECT_EQ(snapshot(dir), before) << what << ": a file changed";
  }

  std::string dir;
};

// --- data loss ---------------------------------------------------------------

TEST_F(BadInputs, AnalyzeNeverWritesOverASourceOfTheDatabase) {
  for (const char* option : {"-o", "--summaries-out", "--write-baseline"}) {
    for (const std::string& source : {std::string("src/a.c"), dir + "/src/a.c"}) {
      expect_refused({"analyze", "-p", "build", option, source}, "src/a.c");
    }
  }
}

TEST_F(BadInputs, AnalyzeResolvesRelativePathsAgainstTheUsersDirectory) {
  write(dir + "/empty-baseline.json", R"({"forksafeBaseline": 1, "findings": []})");
  Outcome out = forksafe({"analyze", "-p", "build", "--format", "sarif", "-o", "out.sarif", "--baseline",
                          "empty-baseline.json", "--write-baseline", "new-baseline.json"});
  EXPECT_NE(out.status, 2) << out.stderr_text;
  EXPECT_TRUE(fs::exists(dir + "/out.sarif"));
  EXPECT_TRUE(fs::exists(dir + "/new-baseline.json"));
  EXPECT_FALSE(fs::exists(dir + "/src/out.sarif"));
  EXPECT_FALSE(fs::exists(dir + "/src/new-baseline.json"));
}

TEST_F(BadInputs, RunNeverWritesTheSarifOverItsOwnLog) {
  expect_refused({"run", "-o", "same.jsonl", "--log", "same.jsonl", "--", "true"}, "same.jsonl");
  write(dir + "/kept.jsonl", "");
  expect_refused({"run", "-o", "kept.jsonl", "--log", "./kept.jsonl", "--", "true"}, "kept.jsonl");
}

TEST_F(BadInputs, ReportAndMergeNeverDeleteAnInputNamedLikeATemporary) {
  fs::copy_file(dir + "/good.sarif", dir + "/in.partial");
  for (const char* command : {"report", "merge"}) {
    std::string before = identity(dir + "/in.partial");
    Outcome out = forksafe({command, "in.partial", "-o", "in"});
    EXPECT_EQ(out.status, 0) << command << ": " << out.stderr_text;
    EXPECT_EQ(identity(dir + "/in.partial"), before) << command;
    EXPECT_TRUE(fs::is_regular_file(dir + "/in")) << command;
  }
}

TEST_F(BadInputs, OutputsOverInputsAreRefused) {
  expect_refused({"report", "good.sarif", "-o", "./src/../good.sarif"}, "good.sarif");
  expect_refused({"merge", "good.sarif", "-o", "good.sarif"}, "good.sarif");
  fs::create_symlink("good.sarif", dir + "/alias.sarif");
  expect_refused({"merge", "good.sarif", "-o", "alias.sarif"}, "alias.sarif");
}

TEST_F(BadInputs, ASymlinkOrDeviceOutputIsWrittenThroughNotReplaced) {
  write(dir + "/target.txt", "old");
  fs::create_symlink("target.txt", dir + "/link.txt");
  for (const std::vector<std::string>& args :
       {std::vector<std::string>{"report", "good.sarif", "--format", "json", "-o", "link.txt"},
        {"merge", "good.sarif", "-o", "link.txt"},
        {"analyze", "-p", "build", "--format", "sarif", "-o", "link.txt"}}) {
    Outcome out = forksafe(args);
    EXPECT_NE(out.status, 2) << args[0] << ": " << out.stderr_text;
    EXPECT_TRUE(fs::is_symlink(dir + "/link.txt")) << args[0] << " replaced the symlink";
    EXPECT_NE(read_file(dir + "/target.txt"), "old") << args[0] << " did not write through the symlink";
  }
  for (const char* command : {"report", "merge"}) {
    EXPECT_EQ(forksafe({command, "good.sarif", "-o", "/dev/null"}).status, 0) << command;
  }
  struct stat st;
  ASSERT_EQ(::stat("/dev/null", &st), 0);
  EXPECT_TRUE(S_ISCHR(st.st_mode));
}

TEST_F(BadInputs, AFullDiskIsAnErrorOnEveryOutput) {
  expect_refused({"report", "good.sarif", "-o", "/dev/full"}, "/dev/full");
  expect_refused({"merge", "good.sarif", "-o", "/dev/full"}, "/dev/full");
  expect_refused({"analyze", "-p", "build", "--format", "sarif", "-o", "/dev/full"}, "/dev/full");
  expect_refused({"analyze", "-p", "build", "--summaries-out", "/dev/full"}, "/dev/full");
  expect_refused({"run", "-o", "/dev/full", "--", "true"}, "/dev/full");
  expect_refused({"bench", "spawn", "--sizes", "0", "--runs", "1", "-o", "/dev/full"}, "/dev/full");
}

TEST_F(BadInputs, AnOutputInAMissingDirectoryIsRefusedBeforeTheWork) {
  expect_refused({"scenarios", "-o", "no/such/dir/cells.json"}, "no/such/dir/cells.json");
  expect_refused({"bench", "spawn", "--sizes", "0", "--runs", "1", "-o", "no/dir/b.json"}, "no/dir/b.json");
  expect_refused({"run", "--log", "no/such/dir/log.jsonl", "--", "touch", "ran"}, "no/such/dir/log.jsonl");
  EXPECT_FALSE(fs::exists(dir + "/ran")) << "the command ran although its log could not be kept";
}

// --- hangs and crashes -------------------------------------------------------

TEST_F(BadInputs, AFifoOrDirectoryAsASourceIsNamedNotWaitedOn) {
  ASSERT_EQ(::mkfifo((dir + "/src/fifo.c").c_str(), 0600), 0);
  fs::create_directories(dir + "/src/dir.c");
  for (const char* name : {"fifo.c", "dir.c"}) {
    database({name});
    expect_refused({"analyze", "-p", "build"}, std::string("src/") + name);
    expect_refused({"analyze", "-p", "build", "--all"}, std::string("src/") + name);
  }
}

TEST_F(BadInputs, DeeplyNestedJsonIsRefusedWithALine) {
  write(dir + "/deep.sarif", R"({"version": "2.1.0", "runs": [{"properties": )" + std::string(100000, '[') +
                                 std::string(100000, ']') + "}]}");
  expect_refused({"report", "deep.sarif"}, "deep.sarif: invalid JSON: nested deeper");
  expect_refused({"merge", "deep.sarif", "good.sarif"}, "deep.sarif: invalid JSON: nested deeper");
}

// --- wrong or silent results -------------------------------------------------

TEST_F(BadInputs, AnalyzeSaysWhatIsWrongWithTheDatabase) {
  database({"a.c", "missing.c"});
  expect_refused({"analyze", "-p", "build"}, "src/missing.c: no such file");
  write(dir + "/build/compile_commands.json", "[]");
  expect_refused({"analyze", "-p", "build"}, "compile_commands.json: has no compile commands");
  write(dir + "/build/compile_commands.json", R"([{"directory": "/tmp"}])");
  expect_refused({"analyze", "-p", "build"}, "compile_commands.json: entry 1 needs");
  write(dir + "/build/compile_commands.json", "[{");
  expect_refused({"analyze", "-p", "build"}, "compile_commands.json: invalid JSON");
  // Valid JSON that libclang's reader refuses (an object where it wants a
  // string): its own "LIBCLANG TOOLING ERROR" lines must not show.
  write(dir + "/build/compile_commands.json",
        R"([{"directory": ")" + dir + R"(/src", "file": "a.c", "command": "cc -c a.c", "extra": {"n": 1}}])");
  expect_refused({"analyze", "-p", "build"}, "compile_commands.json (libclang rejected it)");
}

TEST_F(BadInputs, ARelativeDirectoryInTheDatabaseIsRelativeToTheDatabase) {
  write(dir + "/src/a.c", "#include <stdio.h>\n#include <unistd.h>\n"
                          "int main(void) { if (fork() == 0) { printf(\"x\"); execl(\"/bin/true\", \"true\", (char*)0); } }\n");
  database({"a.c"}, "../src");
  Outcome out = forksafe({"analyze", "-p", "build", "--format", "json"});
  EXPECT_EQ(out.status, 1) << out.stderr_text;  // the printf in the child is found: the file was analysed
  json findings = json::parse(out.stdout_text, nullptr, false);
  ASSERT_TRUE(findings.is_array()) << out.stdout_text;
  EXPECT_FALSE(findings.empty()) << "nothing analysed, and nothing said";
}

TEST_F(BadInputs, ReportAndMergeRefuseInvalidShapesNamingTheFile) {
  write(dir + "/null-run.sarif", sarif_with("[null]"));
  write(dir + "/results-object.sarif", sarif_with("[" + run_of("1", "{}") + "]"));
  write(dir + "/bad-level.sarif", sarif_with("[" + run_of("1", "[" + result(R"(, "level": "Error")") + "]") + "]"));
  for (const char* command : {"report", "merge"}) {
    expect_refused({command, "good.sarif", "null-run.sarif"}, "null-run.sarif: run 1 is not an object");
    expect_refused({command, "results-object.sarif"}, "results-object.sarif: run 1: \"results\" must be an array");
    expect_refused({command, "bad-level.sarif"}, "bad-level.sarif: run 1, result 1: \"level\" must be none");
    expect_refused({command, "src"}, "src: is a directory");
  }
}

TEST_F(BadInputs, MergeKeepsRunsOfDifferentToolVersionsApart) {
  write(dir + "/v2.sarif", sarif_with("[" + run_of("2.0", "[" + result() + "]") + "]"));
  Outcome out = forksafe({"merge", "good.sarif", "v2.sarif"});
  ASSERT_EQ(out.status, 0) << out.stderr_text;
  json merged = json::parse(out.stdout_text);
  ASSERT_EQ(merged["runs"].size(), 2u) << out.stdout_text;
  EXPECT_EQ(merged["runs"][0]["tool"]["driver"]["version"], "1.0");
  EXPECT_EQ(merged["runs"][1]["tool"]["driver"]["version"], "2.0");
}

TEST_F(BadInputs, ANonUtf8FileNameDoesNotLoseTheReport) {
  std::string name = dir + "/src/caf\xe9.c";  // Latin-1, not UTF-8
  write(name, "#include <stdio.h>\n#include <unistd.h>\n"
              "int main(void) { if (fork() == 0) { printf(\"x\"); execl(\"/bin/true\", \"true\", (char*)0); } }\n");
  for (const char* format : {"sarif", "json"}) {
    Outcome out = forksafe({"analyze", name, "--format", format, "--", "-std=gnu11"});
    EXPECT_EQ(out.status, 1) << format << ": " << out.stderr_text;
    json report = json::parse(out.stdout_text, nullptr, false);
    EXPECT_FALSE(report.is_discarded()) << format << ": " << out.stdout_text;
    if (std::string(format) == "sarif") {
      EXPECT_NE(out.stdout_text.find("caf%E9.c"), std::string::npos) << "URI not percent-encoded";
      write(dir + "/latin1.sarif", out.stdout_text);
      EXPECT_EQ(forksafe({"report", "latin1.sarif", "-o", "latin1.html"}).status, 0);
    }
  }
}

// --- security ----------------------------------------------------------------

TEST_F(BadInputs, ReportShowsNoFileOutsideTheSourceRoots) {
  const std::string secret = "forksafe-secret-token-7f3a9";
  write(dir + "/outside.txt", secret + "\n");
  std::string results;
  for (const std::string& uri : {std::string("file:///proc/self/environ"), "file://" + dir + "/outside.txt",
                                 std::string("../outside.txt"), std::string("/etc/passwd")}) {
    std::string base = uri[0] == '.' ? R"(, "uriBaseId": "SRCROOT")" : "";
    results += (results.empty() ? "" : ", ") +
               result(R"(, "locations": [{"physicalLocation": {"artifactLocation": {"uri": ")" + uri + "\"" + base +
                      R"(}, "region": {"startLine": 1}}}])");
  }
  write(dir + "/src/hostile.sarif",
        sarif_with(R"([{"tool": {"driver": {"name": "x"}}, "originalUriBaseIds": {"SRCROOT": {"uri": "file://)" +
                   dir + R"(/src/"}}, "results": [)" + results + "]}]"));
  Outcome out = run_command({"sh", "-c", "cd \"$0\"/src && exec \"$1\" report hostile.sarif -o ../r.html", dir,
                             kForksafe},
                            120, {"FORKSAFE_TEST_TOKEN=" + secret});
  ASSERT_EQ(out.status, 0) << out.stderr_text;
  std::string html = read_file(dir + "/r.html");
  EXPECT_EQ(html.find(secret), std::string::npos) << "the report embeds a file outside its source root";
  EXPECT_EQ(html.find("root:x:0:0"), std::string::npos) << "the report embeds /etc/passwd";
}

}  // namespace
