#include "e2e_harness.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

extern char** environ;

namespace fs = std::filesystem;

namespace forksafe::test {

namespace {

std::string fresh_directory() {
  std::string pattern = (fs::temp_directory_path() / "forksafe-injector-test-XXXXXX").string();
  if (!mkdtemp(pattern.data())) throw std::runtime_error("mkdtemp failed");
  return pattern;
}

std::string read_file(const std::string& path) {
  std::ifstream in(path);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

Outcome run_command(const std::vector<std::string>& argv, int timeout_seconds,
                    const std::vector<std::string>& extra_env) {
  std::string dir = fresh_directory();
  std::string err_path = dir + "/stderr";
  std::vector<std::string> env;
  for (char** e = environ; *e; ++e) env.push_back(*e);
  env.insert(env.end(), extra_env.begin(), extra_env.end());
  std::vector<char*> args, envp;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  for (const auto& e : env) envp.push_back(const_cast<char*>(e.c_str()));
  args.push_back(nullptr);
  envp.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 2, err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addclosefrom_np(&actions, 3);  // what the test runner left open is not ours
  posix_spawnattr_t attributes;
  posix_spawnattr_init(&attributes);
  posix_spawnattr_setflags(&attributes, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attributes, 0);
  pid_t pid;
  int error = posix_spawnp(&pid, args[0], &actions, &attributes, args.data(), envp.data());
  posix_spawn_file_actions_destroy(&actions);
  posix_spawnattr_destroy(&attributes);
  Outcome outcome;
  if (error != 0) {
    outcome.stderr_text = "cannot start " + argv[0];
    return outcome;
  }
  auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(timeout_seconds);
  int status = 0;
  bool done = false;
  while (!done && std::chrono::steady_clock::now() < deadline) {
    done = waitpid(pid, &status, WNOHANG) == pid;
    if (!done) std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  kill(-pid, SIGKILL);  // stragglers, or the whole run when it timed out
  if (!done) waitpid(pid, &status, 0);
  if (done) outcome.status = WIFSIGNALED(status) ? 128 + WTERMSIG(status) : WEXITSTATUS(status);
  outcome.stderr_text = read_file(err_path);
  fs::remove_all(dir);
  return outcome;
}

std::vector<nlohmann::json> InjectedRun::results(const std::string& rule) const {
  std::vector<nlohmann::json> out;
  if (!sarif.is_object()) return out;
  for (const auto& r : sarif["runs"][0]["results"]) {
    if (r["ruleId"] == rule) out.push_back(r);
  }
  return out;
}

InjectedRun forksafe_run(const std::vector<std::string>& options, const std::vector<std::string>& command,
                         int timeout_seconds) {
  std::string dir = fresh_directory();
  std::vector<std::string> argv = {FORKSAFE_BINARY, "run", "-o", dir + "/out.sarif", "--log", dir + "/log.jsonl"};
  argv.insert(argv.end(), options.begin(), options.end());
  argv.push_back("--");
  argv.insert(argv.end(), command.begin(), command.end());
  InjectedRun run;
  run.outcome = run_command(argv, timeout_seconds);
  run.sarif = nlohmann::json::parse(read_file(dir + "/out.sarif"), nullptr, false);
  std::ifstream log(dir + "/log.jsonl");
  for (std::string line; std::getline(log, line);) run.records.push_back(nlohmann::json::parse(line, nullptr, false));
  fs::remove_all(dir);
  return run;
}

std::string program(const std::string& name) { return std::string(PROGRAMS_DIR) + "/" + name; }

}  // namespace forksafe::test
