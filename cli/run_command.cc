// forksafe run [OPTIONS] -- CMD ARGS: runs a command with libforksafe_inject.so
// preloaded, then turns what its forked children did into findings.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "cli/command.h"
#include "common/companion.h"
#include "common/output_file.h"
#include "common/rules.h"
#include "common/sarif.h"
#include "injector/launcher/environment.h"
#include "injector/launcher/event_log.h"
#include "injector/launcher/record_counts.h"
#include "injector/launcher/subprocess.h"
#include "injector/launcher/summary.h"
#include "injector/launcher/symbolizer.h"
#include "injector/launcher/target.h"

extern char** environ;

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace forksafe::cli {

namespace {

constexpr const char* kUsage =
    "forksafe run [--gc-at fork|fd|alloc|exec|none] [--gc-symbol NAME] [--timeout S]\n"
    "             [--watchdog kill|report] [--log FILE] [-o FILE.sarif] [--fail-on LEVEL] -- CMD ARGS\n\n"
    "Runs CMD with libforksafe_inject.so preloaded. In every forked child it forces the\n"
    "registered finalizers (forksafe/gc.h, --gc-symbol) to run at --gc-at, records calls that\n"
    "are not async-signal-safe before exec, descriptors leaked across exec, and children that\n"
    "never reach exec (watchdog). Exit status: CMD's, or 1 when CMD succeeded and findings\n"
    "reach --fail-on; 2 for usage errors.";

// Removes the temporary log at the end unless the user asked to keep one.
struct TemporaryLog {
  std::string path;
  bool remove = false;
  ~TemporaryLog() {
    if (remove) ::unlink(path.c_str());
  }
};

void choose_log(const std::string& requested, TemporaryLog* log) {
  if (!requested.empty()) {
    std::error_code error;
    log->path = fs::absolute(requested).string();
    if (fs::exists(log->path, error) && fs::file_size(log->path, error) > 0) {
      throw UsageError("--log " + requested + " exists and is not empty (records are appended); remove it or choose another");
    }
    return;
  }
  const char* tmp = std::getenv("TMPDIR");
  std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/forksafe-run-XXXXXX.jsonl";
  int fd = mkstemps(pattern.data(), 6);
  if (fd < 0) throw UsageError("cannot create a temporary log in " + fs::path(pattern).parent_path().string());
  ::close(fd);
  log->path = pattern;
  log->remove = true;
}

void validate(const std::string& gc_at, const std::string& watchdog, int timeout) {
  if (gc_at != "fork" && gc_at != "fd" && gc_at != "alloc" && gc_at != "exec" && gc_at != "none") {
    throw UsageError("--gc-at must be fork, fd, alloc, exec or none, not '" + gc_at + "'");
  }
  if (watchdog != "kill" && watchdog != "report") {
    throw UsageError("--watchdog must be kill or report, not '" + watchdog + "'");
  }
  if (timeout < 0) throw UsageError("--timeout must be 0 (off) or a number of seconds");
}

void write_sarif(const std::string& path, const std::vector<Finding>& findings, int argc, char** argv) {
  SarifOptions options;
  options.kind = "runtime";
  options.source_root = fs::current_path().string();
  options.command_line.assign({"forksafe"});
  options.command_line.insert(options.command_line.end(), argv, argv + argc);
  write_output(path, [&](std::ostream& out) { dump_json(out, to_sarif(findings, options)); });
}

}  // namespace

int run_command(int argc, char** argv) {
  launcher::InjectorOptions injector;
  std::string watchdog = "kill", log_option, output, fail_on = "warning";
  po::options_description options("options");
  options.add_options()
      ("gc-at", po::value(&injector.gc_at)->default_value("exec"), "when finalizers run in each child: fork, fd (first descriptor opened), alloc (first allocation), exec, none")
      ("gc-symbol", po::value(&injector.gc_symbol), "also call this function (found with dlsym) as the collector, e.g. PyGC_Collect")
      ("timeout", po::value(&injector.timeout_seconds)->default_value(10), "seconds a child may stay between fork and exec (0: no watchdog)")
      ("watchdog", po::value(&watchdog)->default_value("kill"), "kill: report the stuck child and kill it; report: only report")
      ("log", po::value(&log_option), "keep the injector's JSON Lines records in FILE")
      ("output,o", po::value(&output), "write findings as SARIF 2.1.0 to FILE")
      ("fail-on", po::value(&fail_on)->default_value("warning"), "note, warning or error: lowest level that makes the run fail");
  std::optional<int> exit_now;
  std::vector<std::string> command;
  parse_options(argc, argv, options, {}, kUsage, &exit_now, &command);
  if (exit_now) return *exit_now;
  if (command.empty()) throw UsageError("no command: forksafe run [OPTIONS] -- CMD ARGS");
  validate(injector.gc_at, watchdog, injector.timeout_seconds);
  injector.watchdog_kills = watchdog == "kill";
  Level fail_level;
  if (!parse_level(fail_on, &fail_level)) throw UsageError("--fail-on must be note, warning or error, not '" + fail_on + "'");

  std::string program = launcher::resolve_program(command[0]);
  if (program.empty()) throw UsageError("command not found: " + command[0]);
  if (std::string obstacle = launcher::preload_obstacle(program); !obstacle.empty()) {
    throw UsageError("cannot inject: " + obstacle);
  }
  std::string library = find_companion("libforksafe_inject.so");
  if (library.empty()) throw UsageError("libforksafe_inject.so is neither next to forksafe nor in ../lib/forksafe");
  TemporaryLog log;
  choose_log(log_option, &log);
  injector.log_path = log.path;
  launcher::RecordCounts record_counts;
  injector.counts_path = record_counts.path();
  refuse_output_over_inputs("-o", output, {log.path, program});
  // Say so before the command runs, not after.
  check_output_writable(log.path);
  check_output_writable(output);

  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry) env.push_back(*entry);
  // Like system(): an interrupt goes to the command; we stay to write the report.
  signal(SIGINT, SIG_IGN);
  signal(SIGQUIT, SIG_IGN);
  // Descendants that outlive the command (double-forked background commands)
  // still write records: wait for them a while, at least as long as the
  // watchdog may take to report one stuck before exec.
  int still_running = 0;
  int status = launcher::spawn_and_wait_for_descendants(
      command, launcher::injector_environment(env, injector, library), injector.timeout_seconds + 2, &still_running);
  if (status < 0) throw UsageError("cannot start " + program);

  std::ifstream records(log.path);
  launcher::EventLog events = launcher::read_event_log(records, command);
  events.counts.lost_records = record_counts.lost(events.counts.records);
  std::string symbolizer = launcher::symbolize(&events.findings);
  std::vector<Finding> findings = launcher::deduplicate(events.findings);
  if (!output.empty()) write_sarif(output, findings, argc, argv);
  std::cerr << launcher::summary_text(status, events.counts, findings, symbolizer);
  if (still_running > 0) {
    std::cerr << "forksafe run: " << still_running
              << " background processes still running: what they do from now on is not in this report\n";
  }

  if (status != 0) return status;
  for (const Finding& f : findings) {
    if (f.level >= fail_level) return kExitFindings;
  }
  return kExitClean;
}

}  // namespace forksafe::cli
