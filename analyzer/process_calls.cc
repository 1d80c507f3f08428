#include "analyzer/process_calls.h"

#include <array>
#include <string_view>

namespace forksafe::analyzer {
namespace {

template <typename List>
bool in(const List& list, const std::string& name) {
  for (std::string_view n : list) {
    if (name == n) return true;
  }
  return false;
}

}  // namespace

bool ends_process(const std::string& name) {
  static constexpr std::array kNames = {"_exit", "_Exit", "abort", "err", "errx", "verr", "verrx",
                                        "longjmp", "siglongjmp", "pthread_exit"};
  return in(kNames, name);
}

bool is_exec(const std::string& name) {
  static constexpr std::array kNames = {"execl", "execle", "execlp", "execv", "execve", "execvp", "execvpe",
                                        "fexecve"};
  return in(kNames, name);
}

bool is_exit(const std::string& name) {
  return name == "exit" || name == "quick_exit" || name == "std::exit" || name == "std::quick_exit";
}

std::string fork_kind(const std::string& name) {
  if (name == "fork" || name == "vfork" || name == "_Fork" || name == "forkpty" || name == "forkfd") return name;
  return "";
}

bool is_spawn_call(const std::string& name) { return in(kSpawnCalls, name); }

}  // namespace forksafe::analyzer
