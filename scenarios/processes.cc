#include "scenarios/processes.h"

#include <dirent.h>
#include <limits.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <thread>

namespace forksafe::scenarios {
namespace {

// The entries of a /proc directory that are numbers (pids or descriptors).
std::vector<int> numeric_entries(const std::string& dir) {
  std::vector<int> numbers;
  DIR* d = opendir(dir.c_str());
  if (!d) return numbers;
  while (dirent* entry = readdir(d)) {
    char* end = nullptr;
    long n = std::strtol(entry->d_name, &end, 10);
    if (end != entry->d_name && *end == '\0') numbers.push_back(static_cast<int>(n));
  }
  closedir(d);
  return numbers;
}

bool read_process(pid_t pid, ProcessInfo* info) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  if (!std::getline(in, line)) return false;
  size_t open = line.find('('), close = line.rfind(')');
  if (open == std::string::npos || close == std::string::npos) return false;
  std::istringstream rest(line.substr(close + 1));
  info->pid = pid;
  info->command = line.substr(open + 1, close - open - 1);
  return static_cast<bool>(rest >> info->state >> info->ppid);
}

std::string link_target(const std::string& path) {
  char target[PATH_MAX];
  ssize_t n = readlink(path.c_str(), target, sizeof target - 1);
  return n > 0 ? std::string(target, n) : "";
}

}  // namespace

std::vector<ProcessInfo> descendants_of(pid_t root) {
  std::multimap<pid_t, ProcessInfo> by_parent;
  for (int pid : numeric_entries("/proc")) {
    ProcessInfo info;
    if (read_process(pid, &info)) by_parent.emplace(info.ppid, info);
  }
  std::vector<ProcessInfo> found;
  std::vector<pid_t> parents = {root};
  while (!parents.empty()) {
    pid_t parent = parents.back();
    parents.pop_back();
    auto [first, last] = by_parent.equal_range(parent);
    for (auto it = first; it != last; ++it) {
      found.push_back(it->second);
      parents.push_back(it->second.pid);
    }
  }
  return found;
}

int kill_descendants(pid_t root) {
  std::set<pid_t> killed;
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::seconds(5);
  while (std::chrono::steady_clock::now() < give_up) {
    auto processes = descendants_of(root);
    if (processes.empty()) return static_cast<int>(killed.size());
    for (const auto& p : processes) {
      if (p.state != 'Z' && kill(p.pid, SIGKILL) == 0) killed.insert(p.pid);
    }
    for (const auto& p : processes) {
      if (p.ppid == getpid()) waitpid(p.pid, nullptr, WNOHANG);
    }
    // Killed processes' children are reparented to us; look again shortly.
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return -1;
}

std::string find_leaked_pipe(pid_t root, const std::string& program) {
  auto processes = descendants_of(root);
  std::map<pid_t, pid_t> parent_of;
  for (const auto& p : processes) parent_of[p.pid] = p.ppid;
  auto fd_dir = [](pid_t pid) { return "/proc/" + std::to_string(pid) + "/fd"; };

  std::set<std::string> program_pipes;
  std::set<pid_t> program_and_ancestors;
  for (const auto& p : processes) {
    if (link_target("/proc/" + std::to_string(p.pid) + "/exe") != program) continue;
    for (int fd : numeric_entries(fd_dir(p.pid))) {
      std::string target = link_target(fd_dir(p.pid) + "/" + std::to_string(fd));
      if (target.rfind("pipe:", 0) == 0) program_pipes.insert(target);
    }
    for (pid_t up = p.pid; parent_of.count(up); up = parent_of[up]) program_and_ancestors.insert(up);
  }
  for (const auto& p : processes) {
    if (program_and_ancestors.count(p.pid)) continue;
    for (int fd : numeric_entries(fd_dir(p.pid))) {
      if (fd < 3) continue;
      std::string target = link_target(fd_dir(p.pid) + "/" + std::to_string(fd));
      if (program_pipes.count(target)) {
        return "pid " + std::to_string(p.pid) + " (" + p.command + ") holds the program's " + target +
               " as fd " + std::to_string(fd);
      }
    }
  }
  return "";
}

}  // namespace forksafe::scenarios
