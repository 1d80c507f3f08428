#include "injector/launcher/event_log.h"

#include <cstdint>
#include <map>
#include <string_view>
#include <utility>

#include "common/rules.h"

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
  std::string_view name = std::string_view(module).substr(module.rfind('/') + 1);  // a view of module, not of a temporary
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
  f.properties["pid"] = number(record, "pid", 0);
  f.properties["ppid"] = number(record, "ppid", 0);
  if (record.contains("finalizer")) {
    f.properties["finalizer"] = record["finalizer"];
    message += " (in finalizer '" + record["finalizer"].get<std::string>() + "', forced by forksafe)";
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
                              ") has no FD_CLOEXEC and is inherited by " + exec,
                          "exec of " + exec + " with descriptor " + std::to_string(fd) + " open");
  f.properties["fd"] = fd;
  f.properties["target"] = target;
  f.properties["exec"] = exec;
  return f;
}

Finding deadlock(const json& record) {
  std::string message = "forked child did not reach exec within " +
                        std::to_string(number(record, "timeout", 0)) + " s";
  std::string last_step = "stuck here when the watchdog fired";
  json blocked = record.value("blocked_in", json::object());
  json properties = json::object();
  if (blocked.contains("syscall")) {
    std::string call = blocked["syscall"];
    std::string shown = call.find(' ') == std::string::npos ? call + "()" : call;
    message += ": blocked in " + shown;
    last_step = "blocked in " + shown;
    properties["blocked_in"] = call;
    if (blocked.contains("descriptor")) {
      int fd = number(blocked["descriptor"], "fd", -1);
      std::string target = blocked["descriptor"].value("target", "?");
      message += " on descriptor " + std::to_string(fd) + " (" + target_kind(target) + ")";
      properties["fd"] = fd;
      properties["target"] = target;
    }
  }
  for (const json& closed : record.value("closed", json::array())) {
    int parent_fd = number(closed, "open_in_parent_as", -1);
    if (parent_fd < 0) continue;
    message += "; it closed descriptor " + std::to_string(number(closed, "fd", -1)) +
               " (pipe), but the parent still holds that pipe open as descriptor " +
               std::to_string(parent_fd) + ", so its other end never sees EOF";
  }
  std::string last_call = record.value("last_call", "fork");
  message += "; last interposed call: " + last_call + "()";
  Finding f = finding_for(record, "runtime-deadlock", message, last_step);
  properties["last_call"] = last_call;
  properties["closed"] = record.value("closed", json::array());
  properties["killed"] = record.value("killed", false);
  properties["timeout"] = number(record, "timeout", 0);
  f.properties.update(properties);
  return f;
}

void read_record(const json& record, EventLog* log) {
  std::string event = record.value("event", "");
  if (event == "unsafe-call") log->findings.push_back(unsafe_call(record));
  else if (event == "leaked-fd") log->findings.push_back(leaked_fd(record));
  else if (event == "deadlock") log->findings.push_back(deadlock(record));
  else if (event == "gc") ++log->counts.finalizers_forced;
  else if (event == "gc-skipped") log->counts.gc_skipped.insert(record.value("callback", "?") + ": " + record.value("reason", "?"));
  else if (event == "process") {
    log->counts.forks += number(record, "fork", 0ul);
    log->counts.vforks += number(record, "vfork", 0ul);
    log->counts.spawns += number(record, "posix_spawn", 0ul) + number(record, "system", 0ul) + number(record, "popen", 0ul);
  } else {
    ++log->counts.unreadable_lines;  // "truncated" or unknown
  }
}

}  // namespace

EventLog read_event_log(std::istream& in, const std::vector<std::string>& command) {
  EventLog log;
  for (std::string line; std::getline(in, line);) {
    if (line.empty()) continue;
    ++log.counts.records;
    json record = json::parse(line, nullptr, /*allow_exceptions=*/false);
    if (!record.is_object()) {
      ++log.counts.unreadable_lines;
      continue;
    }
    // A record whose members have the wrong types (the log is the traced
    // program's to write too) is unreadable, not the end of the report.
    try {
      read_record(record, &log);
    } catch (const json::exception&) {
      ++log.counts.unreadable_lines;
    }
  }
  for (Finding& f : log.findings) f.properties["command"] = command;
  return log;
}

std::vector<Finding> deduplicate(const std::vector<Finding>& findings) {
  std::vector<Finding> unique;
  std::map<std::string, size_t> index;
  for (const Finding& f : findings) {
    std::string key = fingerprint(f) + "\n" + f.location.module + "\n" + std::to_string(f.location.offset) +
                      "\n" + f.location.file + ":" + std::to_string(f.location.line);
    auto [it, fresh] = index.emplace(key, unique.size());
    if (fresh) {
      unique.push_back(f);
      unique.back().properties["count"] = 1;
    } else {
      unique[it->second].properties["count"] = unique[it->second].properties["count"].get<int>() + 1;
    }
  }
  return unique;
}

}  // namespace forksafe::launcher
