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

}  // namespace

Verdict classify(const Observation& o) {
  if (o.timed_out && !o.leaked_pipe.empty()) {
    return {"leaked-fd", "no exit before the timeout; " + o.leaked_pipe};
  }
  if (o.timed_out) return {"deadlock", "no exit before the timeout"};
  if (WIFSIGNALED(o.wait_status)) {
    return {"crash", std::string("killed by signal ") + strsignal(WTERMSIG(o.wait_status))};
  }
  if (WEXITSTATUS(o.wait_status) != 0) {
    std::string why = last_line(o.err);
    return {"error", "exit status " + std::to_string(WEXITSTATUS(o.wait_status)) + (why.empty() ? "" : ": " + why)};
  }
  auto [line, count] = repeated_once_line(o.out);
  if (count > 1) return {"duplicate-output", "'" + line + "' printed " + std::to_string(count) + " times"};
  return {"ok", "exited 0"};
}

}  // namespace forksafe::scenarios
