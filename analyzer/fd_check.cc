#include "analyzer/fd_check.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <array>
#include <string_view>

namespace forksafe::analyzer {
namespace {

// The argument nodes of a CallExpr (its first child is the callee).
const Node* argument(const Node& call, size_t index) {
  return index + 1 < call.children.size() ? &call.children[index + 1] : nullptr;
}

// Whether a constant flags argument lacks `bit`; nullopt when not constant.
std::optional<bool> lacks(const Node& call, size_t index, long long bit) {
  const Node* arg = argument(call, index);
  if (!arg) return std::nullopt;
  auto value = constant_value(*arg);
  if (!value) return std::nullopt;
  return (*value & bit) == 0;
}

// fopen("r") without glibc's "e" mode flag.
std::optional<bool> mode_lacks_e(const Node& call, size_t index) {
  const Node* arg = argument(call, index);
  if (!arg) return std::nullopt;
  const Node& s = strip(*arg);
  if (s.kind != CXCursor_StringLiteral) return std::nullopt;
  return spelling(s.cursor).find('e') == std::string::npos;
}

}  // namespace

bool is_spawn_call(const std::string& name) {
  for (std::string_view n : kSpawnCalls) {
    if (name == n) return true;
  }
  return false;
}

std::optional<FdProblem> fd_problem(const Node& call) {
  CXCursor callee = clang_getCursorReferenced(call.cursor);
  if (clang_Cursor_isNull(callee)) return std::nullopt;
  std::string name = spelling(callee);
  auto when = [&](std::optional<bool> missing, std::string advice) -> std::optional<FdProblem> {
    if (missing.value_or(false)) return FdProblem{name, std::move(advice)};
    return std::nullopt;
  };
  if (name == "pipe") return FdProblem{name, "pipe2(fds, O_CLOEXEC)"};
  if (name == "dup") return FdProblem{name, "fcntl(fd, F_DUPFD_CLOEXEC, 0)"};
  if (name == "accept") return FdProblem{name, "accept4(..., SOCK_CLOEXEC)"};
  if (name == "creat") return FdProblem{name, "open(path, O_CREAT|O_WRONLY|O_TRUNC|O_CLOEXEC, mode)"};
  if (name == "mkstemp") return FdProblem{name, "mkostemp(template, O_CLOEXEC)"};
  if (name == "epoll_create") return FdProblem{name, "epoll_create1(EPOLL_CLOEXEC)"};
  if (name == "inotify_init") return FdProblem{name, "inotify_init1(IN_CLOEXEC)"};
  if (name == "dup2") {
    // dup2 onto 0, 1 or 2 is how a child gets its standard descriptors.
    const Node* target = argument(call, 1);
    auto value = target ? constant_value(*target) : std::nullopt;
    if (value && *value >= 0 && *value <= 2) return std::nullopt;
    return FdProblem{name, "dup3(old, new, O_CLOEXEC)"};
  }
  if (name == "open" || name == "open64") return when(lacks(call, 1, O_CLOEXEC), name + "(..., flags | O_CLOEXEC)");
  if (name == "openat" || name == "openat64") return when(lacks(call, 2, O_CLOEXEC), name + "(..., flags | O_CLOEXEC)");
  if (name == "socket" || name == "socketpair") return when(lacks(call, 1, SOCK_CLOEXEC), name + "(..., type | SOCK_CLOEXEC, ...)");
  if (name == "accept4") return when(lacks(call, 3, SOCK_CLOEXEC), "accept4(..., SOCK_CLOEXEC)");
  if (name == "pipe2" || name == "dup3") return when(lacks(call, name == "pipe2" ? 1 : 2, O_CLOEXEC), name + "(..., O_CLOEXEC)");
  if (name == "fopen") return when(mode_lacks_e(call, 1), "fopen(path, \"re\") (glibc's e flag)");
  if (name == "fcntl") {
    auto cmd = argument(call, 1) ? constant_value(*argument(call, 1)) : std::nullopt;
    if (cmd && *cmd == F_DUPFD) return FdProblem{name, "fcntl(fd, F_DUPFD_CLOEXEC, min)"};
  }
  return std::nullopt;
}

}  // namespace forksafe::analyzer
