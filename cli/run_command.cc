// forksafe run [OPTIONS] -- CMD ARGS: runs a command with libforksafe_inject.so
// preloaded, then turns what its forked children did into findings.
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <sstream>

#include "cli/command.h"
#include "cli/rule_options.h"
#include "common/companion.h"
#include "common/output_file.h"
#include "common/rules.h"
#include "common/sarif.h"
#include "common/sarif_limits.h"
#include "injector/launcher/build_paths.h"
#include "injector/launcher/environment.h"
#include "injector/launcher/event_log.h"
#include "injector/launcher/noise.h"
#include "injector/launcher/record_counts.h"
#include "injector/launcher/subprocess.h"
#include "injector/launcher/suppression_file.h"
#include "injector/launcher/summary.h"
#include "injector/launcher/symbolizer.h"
#include "injector/launcher/target.h"
#include "injector/launcher/tree_watch.h"

extern char** environ;

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace forksafe::cli {

namespace {

constexpr const char* kUsage =
    "forksafe run [--gc-at auto|fork|fd|alloc|exec|none] [--gc-symbol NAME] [--timeout S]\n"
    "             [--watchdog kill|report] [--log FILE] [-o FILE.sarif] [--fail-on LEVEL]\n"
    "             [--source-root DIR] [--suppressions FILE] -- CMD ARGS\n"
    "       forksafe run --list-rules\n\n"
    "Runs CMD with libforksafe_inject.so preloaded. In every forked child it forces the\n"
    "registered finalizers (forksafe/gc.h, --gc-symbol) and CPython's collector to run at\n"
    "--gc-at, records calls that are not async-signal-safe before exec, descriptors leaked\n"
    "across exec, children that end without exec, and children stuck before exec (watchdog). Exit status: CMD's, or 1 when CMD succeeded and findings\n"
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

// "%p" becomes this process's pid: one file per run where many run at once
// (forksafe run as CTest's TEST_LAUNCHER).
std::string with_pid(std::string path) {
  for (size_t at; (at = path.find("%p")) != std::string::npos;) path.replace(at, 2, std::to_string(getpid()));
  return path;
}

void validate(const std::string& gc_at, const std::string& watchdog, int timeout) {
  if (gc_at != "auto" && gc_at != "fork" && gc_at != "fd" && gc_at != "alloc" && gc_at != "exec" && gc_at != "none") {
    throw UsageError("--gc-at must be auto, fork, fd, alloc, exec or none, not '" + gc_at + "'");
  }
  if (watchdog != "kill" && watchdog != "report") {
    throw UsageError("--watchdog must be kill or report, not '" + watchdog + "'");
  }
  if (timeout < 0) throw UsageError("--timeout must be 0 (off) or a number of seconds");
}

void write_runtime_sarif(const std::string& path, const std::vector<Finding>& findings, const std::string& source_root,
                         const std::vector<std::string>& notes, bool pretty, int argc, char** argv) {
  SarifOptions options;
  options.notes = notes;
  options.kind = "runtime";
  options.source_root = source_root;
  options.working_directory = fs::current_path().string();
  options.command_line.assign({"forksafe"});
  options.command_line.insert(options.command_line.end(), argv, argv + argc);
  write_sarif(path, to_sarif(findings, options), pretty, std::cerr, "forksafe run");
}

// What was left out as not the program's, and what made the run fail.
std::string noise_and_verdict(const std::map<int, std::string>& at_start, size_t inherited, size_t outside,
                              const std::string& source_root, const std::vector<Finding>& findings,
                              std::optional<Level> fail_level) {
  std::ostringstream out;
  if (inherited > 0) {
    out << "forksafe run: " << inherited << " leaked-descriptor records left out: descriptors already open when "
        << "forksafe run started (";
    const char* separator = "";
    for (const auto& [fd, target] : at_start) {
      out << separator << fd << " " << target;
      separator = ", ";
    }
    out << ")\n";
  }
  if (outside > 0) {
    out << "forksafe run: " << outside << " findings with no frame under --source-root " << source_root
        << " kept as notes\n";
  }
  std::map<std::string, int> failing;
  for (const Finding& f : findings) {
    if (fails(fail_level, f.level)) ++failing[f.rule];
  }
  if (!failing.empty()) {
    out << "forksafe run: fails on";
    const char* separator = " ";
    for (const auto& [rule, count] : failing) {
      out << separator << count << " " << rule;
      separator = ", ";
    }
    out << " (--fail-on " << level_name(*fail_level) << ")\n";
  }
  return out.str();
}

}  // namespace

int run_command(int argc, char** argv) {
  // First, before the launcher opens anything: what its caller left open.
  std::map<int, std::string> at_start = launcher::open_descriptors();
  launcher::InjectorOptions injector;
  std::string watchdog = "kill", log_option, output, fail_on = "warning", source_root, suppressions_path;
  bool pretty = false;
  po::options_description options("options");
  options.add_options()
      ("gc-at", po::value(&injector.gc_at)->default_value("auto"), "when finalizers run in each child: auto (the first allocation, descriptor opened or exec; CPython: when Python code resumes after fork, then at each descriptor opened and exec), fork, fd, alloc, exec, none")
      ("gc-symbol", po::value(&injector.gc_symbol), "also call this function (found with dlsym) as the collector, e.g. PyGC_Collect")
      ("timeout", po::value(&injector.timeout_seconds)->default_value(10), "seconds a child may stay between fork and exec (0: no watchdog)")
      ("watchdog", po::value(&watchdog)->default_value("kill"), "kill: report the stuck child and kill it; report: only report")
      ("log", po::value(&log_option), "keep the injector's JSON Lines records in FILE (%p: this run's pid)")
      ("output,o", po::value(&output), "write findings as SARIF 2.1.0 to FILE (%p: this run's pid, one file per test under a test launcher)")
      ("pretty", po::bool_switch(&pretty), "indent the SARIF (default: compact)")
      ("fail-on", po::value(&fail_on)->default_value("warning"), "note, warning, error or none: lowest level that makes the run fail")
      ("list-rules", "list the rules of runtime findings (id, level, what) and exit")
      ("suppressions", po::value(&suppressions_path), "a file of findings to leave out: lines of rule, program and where globs (docs/injector.md)")
      ("source-root", po::value(&source_root), "the user's code: findings with no frame under DIR become notes; URIs relative to it (default: the current directory)");
  std::optional<int> exit_now;
  std::vector<std::string> command;
  po::variables_map vm = parse_options(argc, argv, options, {}, kUsage, &exit_now, &command);
  if (exit_now) return *exit_now;
  if (vm.count("list-rules")) {
    list_rules(std::cout, [](std::string_view id) { return id.starts_with("runtime-"); });
    return kExitClean;
  }
  if (command.empty()) throw UsageError("no command: forksafe run [OPTIONS] -- CMD ARGS");
  validate(injector.gc_at, watchdog, injector.timeout_seconds);
  injector.watchdog_kills = watchdog == "kill";
  std::optional<Level> fail_level = parse_fail_on(fail_on);
  std::error_code error;
  if (!source_root.empty() && !fs::is_directory(source_root, error)) {
    throw UsageError("--source-root " + source_root + ": no such directory");
  }
  std::vector<launcher::SuppressionRule> suppressions;
  if (!suppressions_path.empty()) {
    std::ifstream in(suppressions_path);
    std::string problem;
    if (!in) throw UsageError("--suppressions " + suppressions_path + ": cannot read it");
    if (!launcher::parse_suppressions(in, &suppressions, &problem)) {
      throw UsageError("--suppressions " + suppressions_path + ": " + problem);
    }
  }
  std::string sarif_root = fs::weakly_canonical(source_root.empty() ? fs::current_path() : fs::path(source_root), error).string();

  std::string program = launcher::resolve_program(command[0]);
  if (program.empty()) throw UsageError("command not found: " + command[0]);
  if (std::string obstacle = launcher::preload_obstacle(program); !obstacle.empty()) {
    throw UsageError("cannot inject: " + obstacle);
  }
  std::string library = find_companion("libforksafe_inject.so");
  if (library.empty()) throw UsageError("libforksafe_inject.so is neither next to forksafe nor in ../lib/forksafe");
  output = with_pid(output);
  TemporaryLog log;
  choose_log(with_pid(log_option), &log);
  injector.log_path = log.path;
  launcher::RecordCounts record_counts;
  injector.counts_path = record_counts.path();
  injector.inherited_fds = launcher::inherited_fds_value(at_start);
  refuse_output_over_inputs("-o", output, {log.path, program});
  // Say so before the command runs, not after.
  check_output_writable(log.path);
  check_output_writable(output);

  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry) env.push_back(*entry);
  // Descendants that outlive the command (double-forked background commands)
  // still write records: wait for them a while, at least as long as the
  // watchdog may take to report one stuck before exec. Meanwhile the tree is
  // watched from outside for children whose own watchdog could not fire.
  launcher::TreeWatch watch;
  watch.root = getpid();
  watch.timeout_seconds = injector.timeout_seconds;
  watch.kill = injector.watchdog_kills;
  watch.log_path = log.path;
  watch.watchdog_signal = SIGRTMAX - 1;
  launcher::Supervision supervision;
  supervision.grace_seconds = injector.timeout_seconds + 4;
  supervision.tick = [&watch] { launcher::check_tree(&watch); };
  // Without a watchdog timer to look for, wait out the grace.
  if (watch.timeout_seconds > 0) supervision.settled = [&watch] { return !launcher::any_in_window(watch); };
  int status = launcher::supervise(command, launcher::injector_environment(env, injector, library), &supervision);
  if (status < 0) throw UsageError("cannot start " + program);

  std::ifstream records(log.path);
  launcher::ReadOptions reading;
  reading.seen = record_counts.seen();
  size_t inherited = record_counts.inherited_leaks();  // and those left out as they are read:
  reading.leave_out = [&](const Finding& f) {
    bool leave = launcher::is_inherited_leak(f, at_start);
    inherited += leave ? launcher::records_of(f) : 0;
    return leave;
  };
  reading.by_user_frames = !source_root.empty();
  launcher::EventLog events = launcher::read_event_log(records, command, reading);
  events.counts.lost_records = record_counts.lost(events.counts.records);
  events.counts.deduplicated = record_counts.deduplicated();
  record_counts.add_spawns(&events.counts);
  std::string symbolizer = launcher::symbolize(&events.findings);
  launcher::resolve_build_paths(&events.findings, sarif_root);
  size_t suppressed = launcher::apply_suppressions(&events.findings, suppressions);
  if (!source_root.empty()) launcher::keep_to_source_root(&events.findings, sarif_root);
  std::vector<Finding> findings = launcher::deduplicate(events.findings);
  size_t outside = std::count_if(findings.begin(), findings.end(),
                                 [](const Finding& f) { return f.properties.contains("outside_source_root"); });
  if (!output.empty()) {
    write_runtime_sarif(output, findings, sarif_root, launcher::not_followed_notes(events.counts), pretty, argc, argv);
  }
  std::cerr << launcher::summary_text(status, events.counts, findings, symbolizer);
  if (suppressed > 0) {
    std::cerr << "forksafe run: " << suppressed << " records suppressed by " << suppressions_path << "\n";
  }
  std::cerr << noise_and_verdict(at_start, inherited, outside, sarif_root, findings, fail_level);
  if (supervision.still_running > 0) {
    std::cerr << "forksafe run: " << supervision.still_running
              << " background processes still running: what they do from now on is not in this report\n";
  }
  if (supervision.interrupted_by) {
    std::cerr << "forksafe run: interrupted by SIG" << sigabbrev_np(supervision.interrupted_by)
              << ": the report covers what ran until then\n";
    return 128 + supervision.interrupted_by;
  }
  if (status != 0) return status;
  for (const Finding& f : findings) {
    if (fails(fail_level, f.level)) return kExitFindings;
  }
  return kExitClean;
}

}  // namespace forksafe::cli
