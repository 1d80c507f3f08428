#include "scenarios/outcome.h"

#include <sys/wait.h>

#include <cstring>
#include <map>
#include <sstream>
#include <vector>

namespace forksafe::scenarios {
namespace {

std::string last_line(const std::string& text) {
  std::string line, last;
  std::istringstream in(text);
  while (std::getline(in, line)) {
    if (!line.empty()) last = line;
  }
  return last;
}

// The first "once: " line printed more than once, and how often.
std::pair<std::string, int> repeated_once_line(const std::string& out) {
  std::map<std::string, int> count;
  std::vector<std::string> in_order;
  std::string line;
  std::istringstream in(out);
  while (std::getline(in, line)) {
    if (line.rfind("once: ", 0) == 0 && count[line]++ == 0) in_order.push_back(line);
  }
  for (const auto& once : in_order) {
    if (count[once] > 1) return {once, count[once]};
  }
  return {"", 0};
}

// forksafe run's "fails on ..." line when the run failed on findings alone
// (the command itself exited 0), else "".
std::string injector_failure(const Observation& o) {
  if (WEXITSTATUS(o.wait_status) != 1) return "";
  if (o.err.find("forksafe run: command exited with status 0\n") == std::string::npos) return "";
  std::string line = last_line(o.err);
  return line.rfind("forksafe run: fails on ", 0) == 0 ? line : "";
}

}  // namespace

Verdict classify(const Observation& o) {
  if (o.timed_out && !o.leaked_pipe.empty()) {
    return {"leaked-fd", "no exit before the timeout; " + o.leaked_pipe};
  }
  if (o.timed_out) return {"deadlock", "no exit before the timeout"};
  if (WIFSIGNALED(o.wait_status)) {
    return {"crash", std::string("killed by signal ") + strsignal(WTERMSIG(o.wait_status))};
  }
  std::string injector = injector_failure(o);
  if (WEXITSTATUS(o.wait_status) != 0 && injector.empty()) {
    std::string why = last_line(o.err);
    return {"error", "exit status " + std::to_string(WEXITSTATUS(o.wait_status)) + (why.empty() ? "" : ": " + why)};
  }
  if (injector.find(" runtime-deadlock") != std::string::npos) {
    return {"deadlock", "the injector's watchdog caught a child stuck between fork and exec; " + injector};
  }
  std::string also = injector.empty() ? "" : "; " + injector;
  auto [line, count] = repeated_once_line(o.out);
  if (count > 1) return {"duplicate-output", "'" + line + "' printed " + std::to_string(count) + " times" + also};
  if (!injector.empty()) return {"findings", "exited 0; " + injector};
  return {"ok", "exited 0"};
}

}  // namespace forksafe::scenarios
