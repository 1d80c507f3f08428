#include "spawn/spawn.h"

#include <dirent.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

namespace fs = forksafe::spawn;

namespace {

std::string read_all(int fd) {
  std::string text;
  char buffer[4096];
  ssize_t n;
  while ((n = read(fd, buffer, sizeof buffer)) > 0 || (n < 0 && errno == EINTR)) {
    if (n > 0) text.append(buffer, n);
  }
  close(fd);
  return text;
}

int exit_code(pid_t pid) {
  int status = 0;
  EXPECT_EQ(waitpid(pid, &status, 0), pid);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

bool has_no_child() { return waitpid(-1, nullptr, WNOHANG) < 0 && errno == ECHILD; }

// The stdout of the command, which must exit 0.
std::string stdout_of(fs::Options options) {
  options.out = fs::Stdio::pipe();
  auto started = fs::spawn(options);
  EXPECT_TRUE(started) << started.message();
  if (!started) return "";
  std::string out = read_all(started.child.out);
  EXPECT_EQ(exit_code(started.child.pid), 0);
  return out;
}

// The stdout of `sh -c SCRIPT` run with the given options.
std::string output_of(fs::Options options, const std::string& script) {
  options.argv = {"/bin/sh", "-c", script};
  return stdout_of(options);
}

// Field `index` (1-based, as in proc(5)) of /proc/PID/stat.
long stat_field(pid_t pid, int index) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
  std::string line;
  std::getline(in, line);
  std::istringstream rest(line.substr(line.rfind(')') + 2));  // after "pid (comm) "
  std::string field;
  for (int i = 3; i <= index; ++i) rest >> field;
  return std::stol(field);
}

struct TempDir {
  std::string path;
  TempDir() {
    char name[] = "/tmp/forksafe-spawn-XXXXXX";
    path = mkdtemp(name);
  }
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path, ignored);
  }
};

TEST(Spawn, RunsTheCommandAndReturnsItsPid) {
  fs::Options options;
  options.argv = {"/bin/sh", "-c", "exit 7"};
  auto started = fs::spawn(options);
  ASSERT_TRUE(started) << started.message();
  EXPECT_EQ(exit_code(started.child.pid), 7);
}

TEST(Spawn, PassesArguments) {
  fs::Options options;
  options.argv = {"/bin/echo", "one", "two words", ""};
  EXPECT_EQ(stdout_of(options), "one two words \n");
}

TEST(Spawn, LooksTheProgramUpInPath) {
  fs::Options options;
  options.argv = {"sh", "-c", "echo found"};
  EXPECT_EQ(stdout_of(options), "found\n");
}

TEST(Spawn, InheritsTheCallersEnvironmentByDefault) {
  setenv("FORKSAFE_SPAWN_TEST", "inherited", 1);
  EXPECT_EQ(output_of({}, "echo $FORKSAFE_SPAWN_TEST"), "inherited\n");
}

TEST(Spawn, ReplacesTheEnvironmentWhenGiven) {
  setenv("FORKSAFE_SPAWN_TEST", "inherited", 1);
  fs::Options options;
  options.env = std::vector<std::string>{"ONLY=this"};
  EXPECT_EQ(output_of(options, "echo \"$ONLY-$FORKSAFE_SPAWN_TEST\""), "this-\n");
}

TEST(Spawn, ChangesToTheWorkingDirectory) {
  TempDir dir;
  fs::Options options;
  options.cwd = dir.path;
  EXPECT_EQ(output_of(options, "pwd -P"), dir.path + "\n");
}

// cat with its stdin on a new pipe: it runs until the caller closes its end.
fs::Options cat_reading_a_pipe() {
  fs::Options options;
  options.argv = {"/bin/cat"};
  options.in = fs::Stdio::pipe();
  return options;
}

TEST(Spawn, StdinFromPipe) {
  fs::Options options = cat_reading_a_pipe();
  options.out = fs::Stdio::pipe();
  auto started = fs::spawn(options);
  ASSERT_TRUE(started) << started.message();
  EXPECT_TRUE(fcntl(started.child.in, F_GETFD) & FD_CLOEXEC);  // the caller's ends
  EXPECT_TRUE(fcntl(started.child.out, F_GETFD) & FD_CLOEXEC);
  ASSERT_EQ(write(started.child.in, "piped\n", 6), 6);
  close(started.child.in);
  EXPECT_EQ(read_all(started.child.out), "piped\n");
  EXPECT_EQ(exit_code(started.child.pid), 0);
}

TEST(Spawn, StdinFromDevNull) {
  fs::Options options;
  options.in = fs::Stdio::null();
  EXPECT_EQ(output_of(options, "cat; readlink /proc/self/fd/0"), "/dev/null\n");
}

TEST(Spawn, StdioFromCallersDescriptor) {
  TempDir dir;
  std::string file = dir.path + "/out";
  int fd = open(file.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  ASSERT_GE(fd, 0);
  fs::Options options;
  options.argv = {"/bin/sh", "-c", "echo to-out; echo to-err >&2"};
  options.out = fs::Stdio::from_fd(fd);
  options.err = fs::Stdio::from_fd(fd);
  auto started = fs::spawn(options);
  ASSERT_TRUE(started) << started.message();
  EXPECT_EQ(exit_code(started.child.pid), 0);
  close(fd);
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  EXPECT_EQ(text.str(), "to-out\nto-err\n");
}

TEST(Spawn, StdoutAndStderrToSeparatePipes) {
  fs::Options options;
  options.argv = {"/bin/sh", "-c", "echo out; echo err >&2"};
  options.out = fs::Stdio::pipe();
  options.err = fs::Stdio::pipe();
  auto started = fs::spawn(options);
  ASSERT_TRUE(started) << started.message();
  EXPECT_EQ(read_all(started.child.out), "out\n");
  EXPECT_EQ(read_all(started.child.err), "err\n");
  EXPECT_EQ(exit_code(started.child.pid), 0);
}

TEST(Spawn, StdoutAndStderrToDevNull) {
  fs::Options options;
  options.out = fs::Stdio::null();
  options.err = fs::Stdio::null();
  int ends[2];  // the report comes back on a kept descriptor
  ASSERT_EQ(pipe(ends), 0);
  options.keep_fds = {ends[1]};
  options.argv = {"/bin/sh", "-c", "echo $(readlink /proc/$$/fd/1) $(readlink /proc/$$/fd/2) >&" + std::to_string(ends[1])};
  auto started = fs::spawn(options);
  ASSERT_TRUE(started) << started.message();
  close(ends[1]);
  EXPECT_EQ(read_all(ends[0]), "/dev/null /dev/null\n");
  EXPECT_EQ(exit_code(started.child.pid), 0);
}

TEST(Spawn, SwapsStdoutAndStderrWithoutClobbering) {
  // stdout goes to the caller's stderr and stderr to the caller's stdout: the
  // sources must not be overwritten while the slots are filled.
  fs::Options options;
  int out[2], err[2];
  ASSERT_EQ(pipe2(out, O_CLOEXEC), 0);
  ASSERT_EQ(pipe2(err, O_CLOEXEC), 0);
  int saved_out = dup(1), saved_err = dup(2);
  dup2(out[1], 1);
  dup2(err[1], 2);
  options.argv = {"/bin/sh", "-c", "echo A; echo B >&2"};
  options.out = fs::Stdio::from_fd(2);
  options.err = fs::Stdio::from_fd(1);
  auto started = fs::spawn(options);
  dup2(saved_out, 1);
  dup2(saved_err, 2);
  close(saved_out);
  close(saved_err);
  close(out[1]);
  close(err[1]);
  ASSERT_TRUE(started) << started.message();
  EXPECT_EQ(exit_code(started.child.pid), 0);
  EXPECT_EQ(read_all(err[0]), "A\n");
  EXPECT_EQ(read_all(out[0]), "B\n");
}

// The descriptors the command has open, as `ls /proc/self/fd` prints them
// (ls itself adds the directory it reads).
std::string open_fds_of_child(const fs::Options& base) {
  return output_of(base, "ls /proc/self/fd | tr '\\n' ' '");
}

TEST(Spawn, ClosesEveryOtherDescriptorByDefault) {
  int leaky = open("/dev/null", O_RDONLY);  // no O_CLOEXEC: fork+exec would leak it
  ASSERT_GE(leaky, 0);
  int high = dup2(leaky, 57);
  ASSERT_EQ(high, 57);
  std::string fds = open_fds_of_child({});
  close(leaky);
  close(high);
  // 0, 1, 2 and the directory ls reads (the lowest free number, 3).
  EXPECT_EQ(fds, "0 1 2 3 ");
}

TEST(Spawn, KeepsTheDescriptorsAskedFor) {
  int leaky = open("/dev/null", O_RDONLY | O_CLOEXEC);
  ASSERT_EQ(dup2(leaky, 57), 57);  // dup2 drops close-on-exec
  ASSERT_EQ(fcntl(57, F_SETFD, FD_CLOEXEC), 0);
  int other = dup2(leaky, 58);
  fs::Options options;
  options.keep_fds = {57};
  std::string fds = open_fds_of_child(options);
  close(leaky);
  close(57);
  close(other);
  EXPECT_EQ(fds, "0 1 2 3 57 ");
}

TEST(Spawn, InheritsNonCloexecDescriptorsWhenAskedTo) {
  int leaky = open("/dev/null", O_RDONLY);
  ASSERT_EQ(dup2(leaky, 57), 57);
  fs::Options options;
  options.close_other_fds = false;
  std::string fds = open_fds_of_child(options);
  close(leaky);
  close(57);
  EXPECT_NE(fds.find(" 57 "), std::string::npos) << fds;
}

TEST(Spawn, NewSession) {
  fs::Options options = cat_reading_a_pipe();
  options.new_session = true;
  auto started = fs::spawn(options);
  ASSERT_TRUE(started) << started.message();
  pid_t pid = started.child.pid;
  EXPECT_EQ(stat_field(pid, 6), pid);  // session id
  EXPECT_EQ(stat_field(pid, 5), pid);  // process group
  close(started.child.in);
  EXPECT_EQ(exit_code(pid), 0);
}

TEST(Spawn, StaysInTheCallersSessionByDefault) {
  fs::Options options = cat_reading_a_pipe();
  auto started = fs::spawn(options);
  ASSERT_TRUE(started) << started.message();
  EXPECT_EQ(stat_field(started.child.pid, 6), getsid(0));
  close(started.child.in);
  EXPECT_EQ(exit_code(started.child.pid), 0);
}

// The spawn fails with `error` at `step`, and no child is left behind.
void expect_failure(fs::Result (*start)(const fs::Options&), const fs::Options& options, int error,
                    const char* step) {
  auto started = start(options);
  EXPECT_FALSE(started);
  EXPECT_EQ(started.error, error) << started.message();
  EXPECT_STREQ(started.step, step);
  EXPECT_TRUE(has_no_child());
}

fs::Options command(std::vector<std::string> argv) {
  fs::Options options;
  options.argv = std::move(argv);
  return options;
}

TEST(Spawn, MissingProgramIsAnErrorValueAndLeavesNoChild) {
  expect_failure(fs::spawn, command({"/nonexistent/forksafe-no-such-program"}), ENOENT, "execve");
}

TEST(Spawn, ProgramNotInPathIsENOENT) {
  expect_failure(fs::spawn, command({"forksafe-no-such-program-in-path"}), ENOENT, "execve");
}

TEST(Spawn, NonExecutableFileIsEACCES) {
  TempDir dir;
  std::string file = dir.path + "/script";
  std::ofstream(file) << "#!/bin/sh\nexit 0\n";
  chmod(file.c_str(), 0644);
  expect_failure(fs::spawn, command({file}), EACCES, "execve");
  EXPECT_EQ(fs::spawn(command({file})).message(), "execve: Permission denied");
}

TEST(Spawn, BadWorkingDirectoryIsAnError) {
  fs::Options options = command({"/bin/true"});
  options.cwd = "/nonexistent/forksafe-dir";
  expect_failure(fs::spawn, options, ENOENT, "chdir");
}

TEST(Spawn, BadStdioDescriptorIsAnError) {
  fs::Options options = command({"/bin/true"});
  options.out = fs::Stdio::from_fd(1000);
  expect_failure(fs::spawn, options, EBADF, "dup");
}

TEST(Spawn, EmptyArgvIsAnError) { expect_failure(fs::spawn, {}, EINVAL, "argv"); }

TEST(Spawn, KeepingAStandardDescriptorIsAnError) {
  fs::Options options = command({"/bin/true"});
  options.keep_fds = {1};
  expect_failure(fs::spawn, options, EINVAL, "keep_fds");
}

TEST(SpawnDetached, RunsTheCommandInItsOwnSessionNotAsOurChild) {
  fs::Options options = cat_reading_a_pipe();
  auto started = fs::spawn_detached(options);
  ASSERT_TRUE(started) << started.message();
  pid_t pid = started.child.pid;
  EXPECT_TRUE(has_no_child());  // nothing our own waitpid(-1) sees: the command is not ours
  EXPECT_NE(stat_field(pid, 4), getpid());  // parent
  EXPECT_EQ(stat_field(pid, 6), pid);       // its own session
  close(started.child.in);                  // cat reads EOF and exits
}

// Our children, whatever their exit signal or state, from /proc.
std::vector<pid_t> children() {
  std::vector<pid_t> found;
  DIR* proc = opendir("/proc");
  while (dirent* entry = readdir(proc)) {
    pid_t pid = std::atoi(entry->d_name);
    if (pid > 0 && std::ifstream("/proc/" + std::to_string(pid) + "/stat") && stat_field(pid, 4) == getpid()) {
      found.push_back(pid);
    }
  }
  closedir(proc);
  return found;
}

volatile sig_atomic_t sigchld_count = 0;

// The middle process, which may still be exiting when spawn_detached
// returns, sends no SIGCHLD and is gone once the next detached spawn returns.
TEST(SpawnDetached, TheMiddleProcessSendsNoSignalAndIsReapedByTheNextSpawn) {
  struct sigaction count = {}, old = {};
  count.sa_handler = [](int) { sigchld_count = sigchld_count + 1; };
  sigaction(SIGCHLD, &count, &old);
  fs::Options options = command({"/bin/true"});
  options.in = options.out = options.err = fs::Stdio::null();
  ASSERT_TRUE(fs::spawn_detached(options));
  std::vector<pid_t> first = children();
  EXPECT_LE(first.size(), 1u);  // at most the middle, exiting or a zombie
  for (int round = 0; round < 20; ++round) {
    ASSERT_TRUE(fs::spawn_detached(options));
    for (pid_t earlier : first) {
      std::vector<pid_t> now = children();
      EXPECT_EQ(std::count(now.begin(), now.end(), earlier), 0) << "middle " << earlier << " not reaped";
    }
    first = children();
    EXPECT_LE(first.size(), 1u);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_EQ(sigchld_count, 0);
  EXPECT_TRUE(has_no_child());
  sigaction(SIGCHLD, &old, nullptr);
}

TEST(SpawnDetached, TheCommandRuns) {
  TempDir dir;
  std::string file = dir.path + "/ran";
  fs::Options options;
  options.argv = {"/bin/sh", "-c", "echo $$ > " + file + ".tmp && mv " + file + ".tmp " + file};
  options.in = options.out = options.err = fs::Stdio::null();
  auto started = fs::spawn_detached(options);
  ASSERT_TRUE(started) << started.message();
  EXPECT_TRUE(has_no_child());
  std::string pid;
  for (int i = 0; i < 1000 && pid.empty(); ++i) {
    std::ifstream(file) >> pid;
    if (pid.empty()) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_EQ(pid, std::to_string(started.child.pid));
}

TEST(SpawnDetached, ExecFailureIsAnErrorValueAndLeavesNoChild) {
  expect_failure(fs::spawn_detached, command({"/nonexistent/forksafe-no-such-program"}), ENOENT, "execve");
}

TEST(SpawnDetached, BadWorkingDirectoryIsAnError) {
  fs::Options options = command({"/bin/true"});
  options.cwd = "/nonexistent/forksafe-dir";
  expect_failure(fs::spawn_detached, options, ENOENT, "chdir");
}

TEST(SpawnDetached, ClosesEveryOtherDescriptor) {
  int leaky = open("/dev/null", O_RDONLY);
  ASSERT_EQ(dup2(leaky, 57), 57);
  fs::Options options;
  options.argv = {"/bin/sh", "-c", "ls /proc/self/fd | tr '\\n' ' '"};
  options.out = fs::Stdio::pipe();
  auto started = fs::spawn_detached(options);
  close(leaky);
  close(57);
  ASSERT_TRUE(started) << started.message();
  EXPECT_EQ(read_all(started.child.out), "0 1 2 3 ");
}

// The C ABI's own cases, which the C++ layer cannot express.

TEST(CAbi, SearchesTheGivenPathNotOurs) {
  TempDir dir;
  std::string script = dir.path + "/forksafe-only-here";
  std::ofstream(script) << "#!/bin/sh\nexit 5\n";
  ASSERT_EQ(chmod(script.c_str(), 0700), 0);
  const char* argv[] = {"forksafe-only-here", nullptr};
  forksafe_spawn_options options{};
  options.argv = argv;
  options.path = dir.path.c_str();
  forksafe_spawn_result started;
  ASSERT_EQ(forksafe_spawn(&options, &started), 0) << started.step;
  EXPECT_EQ(exit_code(started.pid), 5);
  options.path = "/nonexistent/forksafe-dir";
  EXPECT_EQ(forksafe_spawn(&options, &started), ENOENT);
  EXPECT_STREQ(started.step, "execve");
}

size_t open_fd_count() {
  auto entries = std::filesystem::directory_iterator("/proc/self/fd");
  return std::distance(begin(entries), end(entries));
}

TEST(CAbi, BadStdioIsAnErrorBeforeAnyChild) {
  size_t fds_before = open_fd_count();
  const char* argv[] = {"/bin/true", nullptr};
  forksafe_spawn_options options{};
  options.argv = argv;
  options.stdio[0].kind = FORKSAFE_STDIO_PIPE;  // opened first, and closed again on the error
  options.stdio[1].kind = 42;
  forksafe_spawn_result started;
  EXPECT_EQ(forksafe_spawn(&options, &started), EINVAL);
  EXPECT_STREQ(started.step, "stdio");
  options.stdio[1] = {FORKSAFE_STDIO_FD, -2};  // not taken for the /dev/null marker
  EXPECT_EQ(forksafe_spawn(&options, &started), EBADF);
  EXPECT_STREQ(started.step, "dup");
  EXPECT_EQ(started.pid, -1);
  for (int fd : started.pipe_fds) EXPECT_EQ(fd, -1);
  EXPECT_EQ(open_fd_count(), fds_before);  // the stdin pipe was closed again
  EXPECT_TRUE(has_no_child());
}

TEST(CAbi, MissingArgvIsEinval) {
  forksafe_spawn_options options{};
  forksafe_spawn_result started;
  EXPECT_EQ(forksafe_spawn(&options, &started), EINVAL);
  EXPECT_STREQ(started.step, "argv");
  const char* empty[] = {nullptr};
  options.argv = empty;
  EXPECT_EQ(forksafe_spawn(&options, &started), EINVAL);
}

}  // namespace
