#include "injector/launcher/event_log.h"

#include <cstdint>
#include <cstdlib>
#include <map>
#include <string_view>
#include <utility>

#include "common/rules.h"
#include "injector/launcher/python_traceback.h"

namespace forksafe::launcher {

using nlohmann::json;

namespace {

// record[key] as a whole number, or `fallback` when it is missing, of
// another type or out of range (a float would convert with undefined
// behaviour: the log is the traced program's to write too).
template <typename T>
T number(const json& record, const char* key, T fallback) {
  auto it = record.find(key);
  if (it == record.end() || !it->is_number_integer()) return fallback;
  if (it->is_number_unsigned()) {
    auto v = it->get<std::uint64_t>();
    return std::in_range<T>(v) ? static_cast<T>(v) : fallback;
  }
  auto v = it->get<std::int64_t>();
  return std::in_range<T>(v) ? static_cast<T>(v) : fallback;
}

// Frames of the C library and the loader are where a call lands, not who made
// it: the location reported is the first frame outside them.
bool is_system_module(const std::string& module) {
  std::string name = module.substr(module.rfind('/') + 1);  // owned: a view of the temporary would dangle
  for (std::string_view prefix : {"libc.so", "libc-", "ld-linux", "libpthread", "[vdso]"}) {
    if (name.substr(0, prefix.size()) == prefix) return true;
  }
  return false;
}

std::vector<Location> frames_of(const json& record) {
  std::vector<Location> frames;
  for (const json& frame : record.value("frames", json::array())) {
    Location location;
    location.module = frame.value("module", "");
    location.offset = number(frame, "offset", 0ull);
    frames.push_back(location);
  }
  return frames;
}

// "pipe:[1234]" -> "pipe", "socket:[5]" -> "socket", a path stays a path:
// messages keep nothing that changes from run to run.
std::string target_kind(const std::string& target) {
  auto colon = target.find(":[");
  return colon == std::string::npos ? target : target.substr(0, colon);
}

// In a CPython child the Python frames are the program's own view: the
// chain runs through them (outermost first) and the result's location is the
// innermost one; the interpreter's C frames are left out.
void add_python_frames(const json& record, Finding* f, const std::string& last_step) {
  std::vector<PythonFrame> frames = parse_python_traceback(record.value("python", ""));
  if (frames.empty()) return;
  json traceback = json::array();
  f->chain.clear();
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    traceback.push_back({{"file", it->file}, {"line", it->line}, {"function", it->function}});
    Location location;
    location.file = it->file;
    location.line = it->line;
    location.function = it->function;
    f->chain.push_back({location, std::next(it) == frames.rend() ? last_step : "calls"});
  }
  f->location = f->chain.back().location;
  f->properties["python_traceback"] = traceback;  // outermost first
  // A forced collection's frames sit above those of the code it interrupted:
  // the first of them is the finalizer that ran (SshPeer.__del__).
  size_t depth = number(record, "python_gc_depth", 0ul);
  if (record.contains("python_gc_depth") && frames.size() > depth) {
    const PythonFrame& finalizer = frames[frames.size() - depth - 1];
    f->properties["collector"] = record.value("finalizer", "");
    f->properties["finalizer"] = qualified_name(finalizer);
    f->properties["finalizer_at"] = finalizer.file + ":" + std::to_string(finalizer.line);
  }
}

Finding finding_for(const json& record, const char* rule_id, std::string message,
                    const std::string& last_step) {
  Finding f;
  f.rule = rule_id;
  const Rule* rule = find_rule(rule_id);
  f.level = rule->default_level;
  f.fix = rule->fix;
  std::vector<Location> frames = frames_of(record);
  if (!frames.empty()) {
    f.location = frames.front();
    for (const Location& frame : frames) {
      if (!is_system_module(frame.module)) {
        f.location = frame;
        break;
      }
    }
  }
  // The chain runs from the outermost frame down to the call in the window.
  for (auto it = frames.rbegin(); it != frames.rend(); ++it) {
    f.chain.push_back({*it, std::next(it) == frames.rend() ? last_step : "calls"});
  }
  // A deep stack comes as its outermost and innermost frames: say where the gap is.
  size_t outer = number(record, "outer_frames", size_t{0});
  if (record.contains("frames_omitted") && outer > 0 && outer < f.chain.size()) {
    int omitted = number(record, "frames_omitted", 0);
    f.chain[outer - 1].message = "calls, through " + std::to_string(omitted) + " frames left out,";
    f.properties["frames_omitted"] = omitted;
  }
  f.properties["pid"] = number(record, "pid", 0);
  f.properties["ppid"] = number(record, "ppid", 0);
  if (record.contains("exe")) f.properties["exe"] = record["exe"];
  // The process's own command line; "command" is the one forksafe run traced.
  if (record.contains("command")) f.properties["process_command"] = record["command"];
  if (record.contains("finalizer")) f.properties["finalizer"] = record["finalizer"];
  add_python_frames(record, &f, last_step);
  if (f.properties.contains("collector")) {
    message += " (in finalizer '" + f.properties["finalizer"].get<std::string>() + "' at " +
               f.properties["finalizer_at"].get<std::string>() + ", run by a Python garbage collection forced by forksafe)";
  } else if (f.properties.contains("finalizer")) {
    message += " (in finalizer '" + f.properties["finalizer"].get<std::string>() + "', forced by forksafe)";
  }
  f.message = std::move(message);
  return f;
}

Finding unsafe_call(const json& record) {
  std::string function = record.value("function", "?");
  bool is_exit = function == "exit";
  Finding f = finding_for(record, is_exit ? "runtime-exit" : "runtime-unsafe-call",
                          is_exit ? "exit() ran in a forked child before exec (atexit handlers, "
                                    "static destructors, stdio buffers flushed twice)"
                                  : function + "() called in a forked child before exec",
                          "calls " + function + "() in the window between fork and exec");
  f.properties["function"] = function;
  return f;
}

Finding leaked_fd(const json& record) {
  json descriptor = record.value("descriptor", json::object());
  int fd = number(descriptor, "fd", -1);
  std::string target = descriptor.value("target", "?");
  std::string exec = record.value("exec", "?");
  Finding f = finding_for(record, "runtime-leaked-fd",
                          "descriptor " + std::to_string(fd) + " (" + target_kind(target) +
                              ") has no FD_CLOEXEC and is inherited by " + exec.substr(exec.rfind('/') + 1),
                          "exec of " + exec + " with descriptor " + std::to_string(fd) + " open");
  f.properties["fd"] = fd;
  f.properties["target"] = target;
  f.properties["exec"] = exec;
  return f;
}

// The program a holder runs, by its name only ("cat"): pids and full
// command lines go to the properties, the message stays the same run to run.
std::string program_name(const json& holder) {
  std::string command = holder.value("command", "?");
  std::string program = command.substr(0, command.find(' '));
  return program.substr(program.rfind('/') + 1);
}

// "cat (as its descriptor 2)", or "" when nobody could be seen holding it.
std::string holders_text(const json& holders) {
  std::string text;
  for (const json& h : holders) {
    text += (text.empty() ? "" : " and ") + program_name(h) + " (as its descriptor " +
            std::to_string(number(h, "fd", -1)) + ")";
  }
  return text;
}

// The blocked call, the pipe end it waits on and who holds the other end.
std::string blocked_text(const json& blocked, std::string* last_step, json* properties) {
  std::string call = blocked["syscall"];
  std::string shown = call.find(' ') == std::string::npos ? call + "()" : call;
  *last_step = "blocked in " + shown;
  (*properties)["blocked_in"] = call;
  std::string text = ": blocked in " + shown;
  if (!blocked.contains("descriptor")) return text;
  int fd = number(blocked["descriptor"], "fd", -1);
  std::string target = blocked["descriptor"].value("target", "?");
  (*properties)["fd"] = fd;
  (*properties)["target"] = target;
  std::string end = blocked.value("end", "");
  text += " on descriptor " + std::to_string(fd);
  if (end != "read" && end != "write") return text + " (" + target_kind(target) + ")";
  text += ", the " + end + " end of a pipe";
  bool reads = end == "read";
  std::string others = holders_text(blocked.value(reads ? "writers" : "readers", json::array()));
  (*properties)["other_end_held_by"] = blocked.value(reads ? "writers" : "readers", json::array());
  if (!others.empty()) text += reads ? " whose write end " + others + " holds open" : " read by " + others;
  return text;
}

// Only a closed write end matters: while another copy of it is open (the
// parent's), the pipe's reader waits for an EOF that never comes.
std::string closed_text(const json& closed_list, const json& parent) {
  std::string text;
  for (const json& closed : closed_list) {
    int parent_fd = number(closed, "open_in_parent_as", -1);
    if (parent_fd < 0 || closed.value("end", "write") != "write") continue;
    json holders = closed.value("readers", json::array());
    std::string readers = holders_text(holders);
    std::string reader = holders.empty() ? "its reader" : program_name(holders[0]);
    text += "; it closed descriptor " + std::to_string(number(closed, "fd", -1)) + ", its copy of the write end of the pipe" +
            (readers.empty() ? "" : " that " + readers + " reads") + ", but its parent " +
            (parent.contains("command") ? program_name(parent) + " " : "") + "still holds that write end as descriptor " +
            std::to_string(parent_fd) + ", so " + reader + " never sees EOF";
  }
  return text;
}

Finding deadlock(const json& record) {
  // No timeout value, pid or path in a message: the fingerprint hashes it.
  std::string message = "forked child did not reach exec before the watchdog fired (--timeout)";
  std::string last_step = "stuck here when the watchdog fired";
  json properties = json::object();
  json blocked = record.value("blocked_in", json::object());
  if (blocked.contains("syscall")) message += blocked_text(blocked, &last_step, &properties);
  json parent = record.value("parent", json::object());
  message += closed_text(record.value("closed", json::array()), parent);
  if (parent.value("waiting_for_child", false)) message += "; the parent is waiting for this child";
  if (record.value("from_outside", false)) {
    message += record.value("signal_blocked", false)
                   ? "; it blocks the watchdog's signal, so forksafe run found it from outside"
                   : "; its own watchdog did not end it, so forksafe run found it from outside";
    message += record.value("killed", false) ? " and killed it" : "";
  }
  std::string last_call = record.value("last_call", "");
  if (!last_call.empty()) message += "; last interposed call: " + last_call + "()";
  Finding f = finding_for(record, "runtime-deadlock", message, last_step);
  if (!last_call.empty()) properties["last_call"] = last_call;
  if (!parent.empty()) properties["parent"] = parent;
  properties["from_outside"] = record.value("from_outside", false);
  properties["closed"] = record.value("closed", json::array());
  properties["killed"] = record.value("killed", false);
  properties["timeout"] = number(record, "timeout", 0);
  f.properties.update(properties);
  return f;
}

Finding no_exec(const json& record) {
  std::string how = record.value("how", "_exit");
  std::string call = how.find(' ') == std::string::npos ? how + "()" : how;
  Finding f = finding_for(record, "runtime-no-exec",
                          "forked child ended with " + call + " without ever calling exec: it ran the parent's "
                              "code with the parent's copied state (locks, buffers, collector) all its life",
                          "ends the child with " + call + ", never having exec'd");
  f.properties["how"] = how;
  return f;
}

// What reading the log keeps besides the log.
struct Reading {
  EventLog* log;
  const ReadOptions& options;
  std::map<std::string, size_t> findings;  // identity() -> its finding
};

// A result seen in many children keeps a few of their pids, not all.
constexpr size_t kExamplePids = 5;

// Counts `count` more children with the same finding, keeping a few pids.
void merge_into(json* kept, unsigned long count, const json& pids) {
  (*kept)["count"] = kept->value("count", 1ul) + count;
  for (const json& pid : pids) {
    if ((*kept)["example_pids"].size() < kExamplePids) (*kept)["example_pids"].push_back(pid);
  }
}

// The processes that made a record: the shared table's count and pids for
// one written once for all of them ("seen"), else the record's own pid.
SeenRecord makers_of(const json& record, const std::map<std::uint64_t, SeenRecord>& table) {
  if (record.contains("seen")) {
    std::uint64_t hash = std::strtoull(record.value("seen", "").c_str(), nullptr, 16);
    if (auto it = table.find(hash); it != table.end() && it->second.count > 0) return it->second;
  }
  return {1, {number(record, "pid", 0)}};
}

// What makes two findings one as they are read: what deduplicate() compares,
// and with --source-root the frames that may become the location then.
std::string identity(const Finding& f, bool by_user_frames) {
  std::string key = f.rule + "\n" + f.message + "\n" + f.location.module + "\n" + std::to_string(f.location.offset) +
                    "\n" + f.location.file + ":" + std::to_string(f.location.line);
  for (const Step& step : f.chain) {
    const std::string& module = step.location.module;
    bool system = module.starts_with("/usr/") || module.starts_with("/lib") || module.starts_with("/bin/") ||
                  module.starts_with("[");
    if (by_user_frames && !system) key += "\n" + module + "+" + std::to_string(step.location.offset);
  }
  return key;
}

// Records of the same place (sibling processes when the shared table was
// full or not shared: dash's vfork children, one per command of a test
// script; the same call site reached through other frames) are one finding,
// counted as they are read.
void add_record(const json& record, Finding (*make)(const json&), Reading* reading) {
  SeenRecord makers = makers_of(record, reading->options.seen);
  Finding f = make(record);  // may throw: then nothing is kept of the record
  f.properties["count"] = makers.count;
  f.properties["example_pids"] = json(makers.pids);  // at most five, as merge_into keeps
  if (reading->options.leave_out && reading->options.leave_out(f)) return;
  std::string key = identity(f, reading->options.by_user_frames);
  if (auto it = reading->findings.find(key); it != reading->findings.end()) {
    merge_into(&reading->log->findings[it->second].properties, makers.count, f.properties["example_pids"]);
    return;
  }
  reading->findings.emplace(std::move(key), reading->log->findings.size());
  reading->log->findings.push_back(std::move(f));
}

// One record into the log. Throws json::exception for a field of the wrong
// type (the log is the traced program's to write too).
void read_record(const json& record, Reading* reading) {
  EventLog* log = reading->log;
  std::string event = record.value("event", "");
  Finding (*make)(const json&) = event == "unsafe-call" ? unsafe_call
                                 : event == "leaked-fd" ? leaked_fd
                                 : event == "deadlock"  ? deadlock
                                 : event == "no-exec"   ? no_exec
                                                        : nullptr;
  if (make) {
    add_record(record, make, reading);
  } else if (event == "preload-restored") {
    log->counts.preload_restored += makers_of(record, reading->options.seen).count;
    if (log->counts.restored_examples.size() < 3) {
      log->counts.restored_examples.insert(record.value("what", "?") + ": " + record.value("exec", "?"));
    }
  } else if (event == "not-followed") {
    int pid = number(record, "spawned", number(record, "pid", 0));
    auto it = log->counts.not_followed.try_emplace(record.value("exec", "?") + " is " + record.value("why", "?"), pid, 0);
    ++it.first->second.second;
  } else if (event == "gc") {
    ++log->counts.finalizers_forced;
  } else if (event == "gc-skipped") {
    log->counts.gc_skipped.insert(record.value("callback", "?") + ": " + record.value("reason", "?"));
  } else if (event == "process") {
    log->counts.forks += number(record, "fork", 0ul);
    log->counts.vforks += number(record, "vfork", 0ul);
    log->counts.spawns += number(record, "posix_spawn", 0ul) + number(record, "system", 0ul) + number(record, "popen", 0ul);
  } else {
    ++log->counts.unreadable_lines;  // "truncated" or unknown
  }
}

}  // namespace

EventLog read_event_log(std::istream& in, const std::vector<std::string>& command, const ReadOptions& options) {
  EventLog log;
  Reading reading{&log, options, {}};
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    ++log.counts.records;
    json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
    try {
      if (!record.is_object()) throw json::other_error::create(501, "not an object", nullptr);
      read_record(record, &reading);
    } catch (const json::exception&) {
      ++log.counts.unreadable_lines;
    }
  }
  for (Finding& f : log.findings) f.properties["command"] = command;
  return log;
}

namespace {

// Another message at a kept result's place, counted (at most kVariants kept).
constexpr size_t kVariants = 20;
void add_variant(Finding* kept, const Finding& f) {
  json& variants = kept->properties["variants"];
  if (!variants.is_array()) variants = json::array();
  unsigned long count = f.properties.value("count", 1ul);
  for (json& v : variants) {
    if (v["message"] == f.message) {
      v["count"] = v.value("count", 1ul) + count;
      return;
    }
  }
  if (variants.size() == kVariants) {
    kept->properties["variants_left_out"] = kept->properties.value("variants_left_out", 0ul) + count;
    return;
  }
  json variant = {{"message", f.message}, {"count", count}};
  for (const char* key : {"function", "fd", "target", "exec"}) {
    if (f.properties.contains(key)) variant[key] = f.properties[key];
  }
  variants.push_back(variant);
}

}  // namespace

std::vector<std::string> not_followed_notes(const RunCounts& counts) {
  std::vector<std::string> notes;
  for (const auto& [what, first] : counts.not_followed) {
    notes.push_back("pid " + std::to_string(first.first) + ": " + what + "; not followed, what it does is not in this report" +
                    (first.second > 1 ? " (" + std::to_string(first.second) + " execs)" : ""));
  }
  return notes;
}

std::vector<Finding> deduplicate(const std::vector<Finding>& findings) {
  std::vector<Finding> unique;
  std::map<std::string, size_t> index;
  for (const Finding& f : findings) {
    // Not the whole chain: a test suite reaches one call site from hundreds
    // of tests, and that is one problem, counted, with the first chain as
    // its example.
    std::string key = f.rule + "\n" + f.location.module + "\n" + std::to_string(f.location.offset) + "\n" +
                      f.location.file + ":" + std::to_string(f.location.line);
    auto [it, fresh] = index.emplace(key, unique.size());
    if (fresh) {
      unique.push_back(f);
      continue;
    }
    Finding& kept = unique[it->second];
    merge_into(&kept.properties, f.properties.value("count", 1ul), f.properties.value("example_pids", json::array()));
    if (f.message != kept.message) add_variant(&kept, f);
  }
  return unique;
}

}  // namespace forksafe::launcher
