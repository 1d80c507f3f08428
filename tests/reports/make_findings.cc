// Writes synthetic findings for the report tests, until the analyzer and the
// injector produce real ones: C sources with one fork window per finding,
// and a SARIF log (made by common's to_sarif) whose chains point into them.
//
//   make_findings static|runtime|hostile COUNT OUT.sarif SOURCE_DIR
//
// static: the analyzer's rules; runtime: the injector's, with pids, stacks
// (the last frame unsymbolized), finalizers and leaked descriptors; hostile:
// runtime-like findings whose every string, file name and source line is
// markup that would run script if a report let it through.
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <string_view>
#include <vector>

#include "common/rules.h"
#include "common/sarif.h"

namespace {

using forksafe::Finding;
using forksafe::Level;
using forksafe::Location;

// What runs in the window of one synthetic finding.
struct Case {
  const char* static_rule;
  const char* runtime_rule;
  const char* unsafe_line;  // the unsafe call, as a C statement
  const char* callee;
  const char* reason;
};

constexpr Case kCases[] = {
    {"fork-unsafe-call", "runtime-unsafe-call", "char *buf = malloc(64);", "malloc", "allocates"},
    {"fork-indirect-call", "runtime-deadlock", "peer->finalize(peer);", "peer->finalize", "unknown code"},
    {"fork-exit", "runtime-exit", "exit(1);", "exit", "runs atexit handlers"},
    {"fork-unsafe-call", "runtime-unsafe-call", "syslog(LOG_INFO, \"spawning\");", "syslog", "takes a lock"},
    {"fd-no-cloexec", "runtime-leaked-fd", "int fd = open(\"/tmp/log\", O_WRONLY);", "open", "no O_CLOEXEC"},
    {"fork-unsafe-call", "runtime-unsafe-call", "printf(\"child %d\\n\", getpid());", "printf", "stdio"},
};

constexpr int kBlockLines = 14;  // lines of block()
constexpr const char* kHostileCode = "</style><script>window.__pwned = 3;</script> ";  // before a hostile unsafe call

struct Options {
  std::string mode;
  int count = 0;
  std::string out;
  std::string source_dir;
  bool hostile() const { return mode == "hostile"; }
  bool runtime() const { return mode != "static"; }
};

// The code of finding `i`, starting at line `first`. Lines (relative):
// 2 the unsafe call in helper, 7 fork(), 9 the call into helper.
std::string block(int i, const Case& c, bool hostile) {
  std::string n = std::to_string(i);
  std::string unsafe = hostile ? std::string(kHostileCode) + c.unsafe_line : c.unsafe_line;
  return "/* window " + n + " */\n" +
         "static void helper_" + n + "(struct peer *peer) {\n" +
         "  " + unsafe + "\n" +
         "  (void)peer;\n" +
         (hostile ? "  /* </script><script>document.title = 'pwned'</script> <!-- \xff\xfe */\n" : "  /* nothing else */\n") +
         "}\n" +
         "void spawn_" + n + "(const char *cmd, struct peer *peer) {\n" +
         "  pid_t pid = fork();\n" +
         "  if (pid == 0) {\n" +
         "    helper_" + n + "(peer);\n" +
         "    execlp(cmd, cmd, (char *)0);\n" +
         "    _exit(127);\n" +
         "  }\n" +
         "}\n";
}

Finding make_finding(int i, const std::string& file, int first, const Options& options) {
  const Case& c = kCases[i % std::size(kCases)];
  std::string n = std::to_string(i);
  std::string markup = options.hostile() ? "<script>window.__pwned = 1;</script>\"><img src=x onerror=\"window.__pwned = 2\"> " : "";
  Finding f;
  f.rule = options.runtime() ? c.runtime_rule : c.static_rule;
  f.level = forksafe::find_rule(f.rule)->default_level;
  if (!options.runtime() && i % 9 == 4) f.level = Level::note;  // all three levels appear
  std::string spawn = markup + "spawn_" + n, helper = markup + "helper_" + n;
  // Columns of the calls in block()'s lines: "  pid_t pid = fork();", "    helper_N(peer);" and the unsafe line.
  int callee = 3 + static_cast<int>(std::string(c.unsafe_line).find(c.callee) +
                                    (options.hostile() ? std::string_view(kHostileCode).size() : 0));
  f.location = {file, first + 2, callee, helper, "", 0};
  f.message = markup + c.callee + "() is not async-signal-safe (" + c.reason + ") and runs between fork and exec";
  f.chain = {{{file, first + 7, 15, spawn, "", 0}, markup + "child side of fork() starts here"},
             {{file, first + 9, 5, spawn, "", 0}, markup + "calls helper_" + n + "()"},
             {{file, first + 2, callee, helper, "", 0}, markup + "calls " + c.callee + "(): " + c.reason}};
  if (options.runtime()) {
    f.chain.push_back({{"", 0, 0, "", "/lib/x86_64-linux-gnu/libc.so.6", 0x9a0f0ull + i}, markup + "inside libc"});
    f.properties = {{"pid", 5000 + i % 40}, {"ppid", i % 40 < 4 ? 4000 : 5000 + i % 4}, {"function", markup + c.callee},
                    {"command", {"python3", "-m", markup + "worker"}},
                    // Each process's own program and command line, as the injector records them.
                    {"exe", "/usr/bin/python3.11"},
                    {"process_command", "python3 -m " + markup + "worker --job " + std::to_string(i % 40)}};
    if (f.rule == "runtime-deadlock") {
      f.properties["finalizer"] = markup + "sshpeer.__del__";
      f.properties["last_call"] = "read";
    }
    if (f.rule == "runtime-leaked-fd") {
      f.properties["fd"] = 3 + i % 5;
      f.properties["target"] = markup + "pipe:[" + std::to_string(81000 + i) + "]";
    }
    if (options.hostile()) {
      // Names that are special to JavaScript objects.
      f.properties["__proto__"] = markup + "proto";
      f.properties["constructor"] = markup + "constructor";
    }
  } else {
    f.properties = {{"window", "fork"}, {"callee", c.callee}, {"reason", c.reason}};
  }
  f.fix = markup + forksafe::find_rule(f.rule)->fix.data();
  return f;
}

int usage() {
  std::cerr << "usage: make_findings static|runtime|hostile COUNT OUT.sarif SOURCE_DIR\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 5) return usage();
  Options options{argv[1], std::atoi(argv[2]), argv[3], argv[4]};
  if ((options.mode != "static" && options.mode != "runtime" && !options.hostile()) || options.count <= 0) return usage();

  std::filesystem::create_directories(options.source_dir);
  std::string root = std::filesystem::canonical(options.source_dir).string();
  // About 250 windows per file, as in a large code base.
  int files = std::max(1, std::min(40, options.count / 250));
  std::vector<std::string> names, sources(files);
  std::vector<int> next_line(files, 3);
  for (int k = 0; k < files; ++k) {
    std::string name = options.hostile() ? "x\"><img src=x onerror=\"window.__pwned = 4\">_" + std::to_string(k) + ".c"
                                         : "spawner_" + std::to_string(k) + ".c";
    names.push_back(root + "/" + (options.runtime() && !options.hostile() ? "rt_" : "") + name);
    sources[k] = "#include <stdlib.h>\n#include <unistd.h>\n";  // 2 lines before the first window
  }
  std::vector<Finding> findings;
  for (int i = 0; i < options.count; ++i) {
    int k = i % files;
    int first = next_line[k];
    sources[k] += block(i, kCases[i % std::size(kCases)], options.hostile());
    next_line[k] += kBlockLines;
    findings.push_back(make_finding(i, names[k], first, options));
  }
  for (int k = 0; k < files; ++k) std::ofstream(names[k], std::ios::binary) << sources[k];

  forksafe::SarifOptions sarif;
  sarif.source_root = root;
  sarif.kind = options.runtime() ? "runtime" : "static";
  sarif.command_line = {"make_findings", options.mode, std::to_string(options.count)};
  std::ofstream out(options.out, std::ios::binary);
  out << forksafe::to_sarif(findings, sarif).dump(1, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return out ? 0 : 1;
}
