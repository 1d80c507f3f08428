// A C++ program using the installed C++ layer: echo through a new pipe, then
// a missing program. Prints "ok" and exits 0 when both behave.
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <forksafe/spawn.hpp>
#include <iostream>
#include <string>

int main() {
  namespace fs = forksafe::spawn;
  fs::Options options;
  options.argv = {"echo", "hello"};
  options.out = fs::Stdio::pipe();
  fs::Result started = fs::spawn(options);
  if (!started) {
    std::cerr << "consumer: " << started.message() << "\n";
    return 1;
  }
  std::string text;
  char buffer[64];
  for (ssize_t n; (n = read(started.child.out, buffer, sizeof buffer)) > 0;) text.append(buffer, n);
  close(started.child.out);
  int status = -1;
  waitpid(started.child.pid, &status, 0);
  if (text != "hello\n" || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::cerr << "consumer: echo gave '" << text << "', status " << status << "\n";
    return 1;
  }
  options.argv = {"forksafe-no-such-program"};
  options.out = fs::Stdio::inherit();
  fs::Result missing = fs::spawn(options);
  if (missing.error != ENOENT || missing.message() != "execve: No such file or directory") {
    std::cerr << "consumer: a missing program gave " << missing.message() << "\n";
    return 1;
  }
  std::cout << "ok\n";
  return 0;
}
