#include "injector/launcher/tree_watch.h"

#include <signal.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

namespace forksafe::launcher {

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

struct Stat {
  pid_t ppid = 0;
  unsigned long long start_ticks = 0;  // since boot
};

// /proc/PID/stat: "pid (comm) state ppid ... starttime(22nd field)"; comm may hold spaces.
bool read_stat(pid_t pid, Stat* out) {
  std::string text = read_text("/proc/" + std::to_string(pid) + "/stat");
  auto close = text.rfind(')');
  if (close == std::string::npos) return false;
  std::istringstream fields(text.substr(close + 2));
  std::string field;
  for (int i = 3; i <= 22 && fields >> field; ++i) {
    if (i == 4) out->ppid = std::stoi(field);
    if (i == 22) out->start_ticks = std::stoull(field);
  }
  return out->start_ticks > 0;
}

double seconds_since_boot() {
  timespec now;
  clock_gettime(CLOCK_BOOTTIME, &now);
  return now.tv_sec + now.tv_nsec / 1e9;
}

// The injector's timer is in /proc/PID/timers as "signal: N/..." until exec deletes it.
bool holds_watchdog_timer(pid_t pid, int signal) {
  return read_text("/proc/" + std::to_string(pid) + "/timers").find("signal: " + std::to_string(signal) + "/") !=
         std::string::npos;
}

// Bit signal of the hexadecimal SigBlk mask in /proc/PID/status.
bool blocks_signal(pid_t pid, int signal) {
  std::string status = read_text("/proc/" + std::to_string(pid) + "/status");
  auto at = status.find("SigBlk:\t");
  if (at == std::string::npos) return false;
  unsigned long long mask = std::stoull(status.substr(at + 8, 16), nullptr, 16);
  return mask >> (signal - 1) & 1;
}

// /proc/PID/syscall: "running", or the call number and its arguments.
nlohmann::json blocked_in(pid_t pid) {
  std::istringstream in(read_text("/proc/" + std::to_string(pid) + "/syscall"));
  std::string first;
  in >> first;
  if (first == "running") return {{"syscall", "none: running on the CPU"}};
  if (first.empty() || first[0] < '0' || first[0] > '9') return nlohmann::json();
  static const std::map<long, std::string> names = {
      {SYS_read, "read"}, {SYS_write, "write"}, {SYS_wait4, "wait4"}, {SYS_futex, "futex"},
      {SYS_poll, "poll"}, {SYS_ppoll, "ppoll"}, {SYS_pselect6, "pselect6"}, {SYS_nanosleep, "nanosleep"},
      {SYS_clock_nanosleep, "clock_nanosleep"}, {SYS_pause, "pause"}, {SYS_epoll_wait, "epoll_wait"}};
  auto name = names.find(std::stol(first));
  return {{"syscall", name == names.end() ? "system call " + first : name->second}};
}

}  // namespace

std::vector<pid_t> descendants(pid_t root) {
  std::map<pid_t, pid_t> parent;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator("/proc", error)) {
    const std::string name = entry.path().filename();
    if (name.empty() || name.find_first_not_of("0123456789") != std::string::npos) continue;
    Stat stat;
    if (read_stat(std::stoi(name), &stat)) parent[std::stoi(name)] = stat.ppid;
  }
  std::vector<pid_t> out;
  for (const auto& [pid, ppid] : parent) {
    for (pid_t up = ppid; up > 1; up = parent.count(up) ? parent[up] : 0) {
      if (up == root) {
        out.push_back(pid);
        break;
      }
    }
  }
  return out;
}

bool any_in_window(const TreeWatch& watch) {
  for (pid_t pid : descendants(watch.root)) {
    if (holds_watchdog_timer(pid, watch.watchdog_signal)) return true;
  }
  return false;
}

int check_tree(TreeWatch* watch) {
  if (watch->timeout_seconds <= 0) return 0;
  double now = seconds_since_boot();
  double ticks = static_cast<double>(sysconf(_SC_CLK_TCK));
  int reported = 0;
  for (pid_t pid : descendants(watch->root)) {
    Stat stat;
    if (watch->reported.count(pid) || !read_stat(pid, &stat)) continue;
    if (now - stat.start_ticks / ticks < watch->timeout_seconds + 3) continue;
    if (!holds_watchdog_timer(pid, watch->watchdog_signal)) continue;
    watch->reported.insert(pid);
    nlohmann::json record = {{"event", "deadlock"},  {"pid", pid},
                             {"ppid", stat.ppid},    {"timeout", watch->timeout_seconds},
                             {"last_call", "fork"},  {"killed", watch->kill},
                             {"from_outside", true}, {"signal_blocked", blocks_signal(pid, watch->watchdog_signal)},
                             {"frames", nlohmann::json::array()}};
    if (nlohmann::json call = blocked_in(pid); !call.is_null()) record["blocked_in"] = call;
    std::ofstream(watch->log_path, std::ios::app) << record.dump() << "\n";
    if (watch->kill) ::kill(pid, SIGKILL);
    ++reported;
  }
  return reported;
}

}  // namespace forksafe::launcher
