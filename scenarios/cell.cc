#include "scenarios/cell.h"

#include <limits.h>
#include <poll.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>

#include "scenarios/outcome.h"
#include "scenarios/processes.h"
#include "spawn/spawn.h"

extern char** environ;

namespace forksafe::scenarios {
namespace {

using Clock = std::chrono::steady_clock;

// After the program exits, how long its leftovers may keep stdout or stderr
// open before the runner stops reading (a failed exec's exit() flush lands
// here).
constexpr auto kOutputGrace = std::chrono::seconds(1);

std::vector<std::string> cell_environment(const std::string& cell) {
  std::string prefix = std::string(kCellVariable) + "=";
  std::vector<std::string> env;
  for (char** entry = environ; *entry; ++entry) {
    if (std::strncmp(*entry, prefix.c_str(), prefix.size()) != 0) env.push_back(*entry);
  }
  env.push_back(prefix + cell);
  return env;
}

// Appends what one read gives; closes the descriptor (and sets it to -1) at
// end of file or error.
void read_some(int* fd, std::string* text) {
  char buffer[4096];
  ssize_t n = read(*fd, buffer, sizeof buffer);
  if (n > 0) {
    text->append(buffer, n);
  } else if (n == 0 || errno != EINTR) {
    close(*fd);
    *fd = -1;
  }
}

std::string canonical(const std::string& path) {
  char resolved[PATH_MAX];
  return realpath(path.c_str(), resolved) ? resolved : path;
}

// The runner itself runs under `forksafe run` (its library is preloaded, and
// the cells inherit LD_PRELOAD).
bool under_injector() {
  const char* preload = std::getenv("LD_PRELOAD");
  return preload && std::strstr(preload, "forksafe_inject");
}

double seconds_since(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

}  // namespace

CellResult run_cell(const Scenario& scenario, const std::string& spawner, const CellSettings& settings) {
  CellResult result;
  result.scenario = scenario.name;
  result.spawner = spawner;
  result.expected = spawner == "broken" ? scenario.broken_outcome : "ok";
  result.injected = !settings.wrap.empty() || under_injector();

  const std::string program = settings.programs_dir + "/" + scenario.program;
  spawn::Options options;
  options.argv = settings.wrap;
  options.argv.push_back(program);
  options.argv.push_back("--spawner=" + spawner);
  options.env = cell_environment(std::to_string(getpid()) + ":" + scenario.name + ":" + spawner);
  options.in = spawn::Stdio::null();
  options.out = options.err = spawn::Stdio::pipe();
  options.new_session = true;

  const auto start = Clock::now();
  auto started = spawn::spawn(options);
  int pidfd = started ? static_cast<int>(syscall(SYS_pidfd_open, started.child.pid, 0)) : -1;
  if (!started || pidfd < 0) {
    result.outcome = "error";
    result.detail = "cannot run " + options.argv[0] + ": " + (started ? std::strerror(errno) : started.message());
    kill_descendants(getpid());
    return result;
  }

  Observation observation;
  int out = started.child.out, err = started.child.err;
  bool exited = false;
  auto deadline = start + std::chrono::duration_cast<Clock::duration>(
                              std::chrono::duration<double>(settings.timeout_seconds));
  while (Clock::now() < deadline && !(exited && out < 0 && err < 0)) {
    pollfd watched[3] = {{out, POLLIN, 0}, {err, POLLIN, 0}, {pidfd, POLLIN, 0}};
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - Clock::now()).count();
    if (poll(watched, 3, static_cast<int>(std::max<long long>(left, 1))) < 0) continue;
    if (watched[0].revents) read_some(&out, &observation.out);
    if (watched[1].revents) read_some(&err, &observation.err);
    if (watched[2].revents && !exited) {
      waitpid(started.child.pid, &observation.wait_status, 0);
      exited = true;
      result.seconds = seconds_since(start);
      close(pidfd);
      pidfd = -1;
      deadline = std::min(deadline, Clock::now() + kOutputGrace);
    }
  }
  if (!exited) {
    observation.timed_out = true;
    result.seconds = seconds_since(start);
    observation.leaked_pipe = find_leaked_pipe(getpid(), canonical(program));
  }
  int killed = kill_descendants(getpid());
  for (int fd : {out, err, pidfd}) {
    if (fd >= 0) close(fd);
  }

  Verdict verdict = classify(observation);
  result.outcome = verdict.outcome;
  result.detail = verdict.detail;
  if (killed > 0) result.detail += "; killed " + std::to_string(killed) + " leftover process(es)";
  if (killed < 0) result.detail += "; some processes of the cell survived SIGKILL";
  result.passed = result.outcome == result.expected && killed >= 0;
  return result;
}

nlohmann::json to_json(const CellResult& r) {
  nlohmann::json cell = {{"scenario", r.scenario}, {"spawner", r.spawner}, {"expected", r.expected},
                         {"outcome", r.outcome},   {"passed", r.passed},   {"seconds", r.seconds},
                         {"detail", r.detail}};
  if (r.injected) cell["injected"] = true;
  return cell;
}

}  // namespace forksafe::scenarios
