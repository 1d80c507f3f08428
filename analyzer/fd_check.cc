#include "analyzer/fd_check.h"

#include <fcntl.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/mman.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/timerfd.h>

#include <clang/AST/Expr.h>

#include "analyzer/clang_names.h"

namespace forksafe::analyzer {
namespace {

using namespace clang;

std::optional<long long> constant(const CallExpr* call, unsigned index, ASTContext& ctx) {
  if (index >= call->getNumArgs()) return std::nullopt;
  const Expr* arg = call->getArg(index);
  Expr::EvalResult value;
  if (arg->isValueDependent() || !arg->EvaluateAsInt(value, ctx)) return std::nullopt;
  return value.Val.getInt().getExtValue();
}

// fopen("r") without glibc's "e" mode flag; nullopt when not a literal.
std::optional<bool> mode_lacks_e(const CallExpr* call, unsigned index) {
  if (index >= call->getNumArgs()) return std::nullopt;
  const auto* s = dyn_cast<StringLiteral>(call->getArg(index)->IgnoreParenImpCasts());
  if (!s) return std::nullopt;
  return s->getString().find('e') == StringRef::npos;
}

// The fix of each: `| flag` added to the flags argument.
struct FlagRule {
  const char* name;
  unsigned index;  // of the flags argument
  long long bit;
  const char* flag;  // the bit's macro
  const char* advice;
};

constexpr FlagRule kFlagRules[] = {
    {"open", 1, O_CLOEXEC, "O_CLOEXEC", "open(..., flags | O_CLOEXEC)"},
    {"open64", 1, O_CLOEXEC, "O_CLOEXEC", "open64(..., flags | O_CLOEXEC)"},
    {"openat", 2, O_CLOEXEC, "O_CLOEXEC", "openat(..., flags | O_CLOEXEC)"},
    {"openat64", 2, O_CLOEXEC, "O_CLOEXEC", "openat64(..., flags | O_CLOEXEC)"},
    {"socket", 1, SOCK_CLOEXEC, "SOCK_CLOEXEC", "socket(..., type | SOCK_CLOEXEC, ...)"},
    {"socketpair", 1, SOCK_CLOEXEC, "SOCK_CLOEXEC", "socketpair(..., type | SOCK_CLOEXEC, ...)"},
    {"accept4", 3, SOCK_CLOEXEC, "SOCK_CLOEXEC", "accept4(..., SOCK_CLOEXEC)"},
    {"pipe2", 1, O_CLOEXEC, "O_CLOEXEC", "pipe2(..., O_CLOEXEC)"},
    {"dup3", 2, O_CLOEXEC, "O_CLOEXEC", "dup3(..., O_CLOEXEC)"},
    {"epoll_create1", 0, EPOLL_CLOEXEC, "EPOLL_CLOEXEC", "epoll_create1(EPOLL_CLOEXEC)"},
    {"inotify_init1", 0, IN_CLOEXEC, "IN_CLOEXEC", "inotify_init1(IN_CLOEXEC)"},
    {"memfd_create", 1, MFD_CLOEXEC, "MFD_CLOEXEC", "memfd_create(name, flags | MFD_CLOEXEC)"},
    {"eventfd", 1, EFD_CLOEXEC, "EFD_CLOEXEC", "eventfd(initval, flags | EFD_CLOEXEC)"},
    {"signalfd", 2, SFD_CLOEXEC, "SFD_CLOEXEC", "signalfd(fd, mask, flags | SFD_CLOEXEC)"},
    {"timerfd_create", 1, TFD_CLOEXEC, "TFD_CLOEXEC", "timerfd_create(clock, flags | TFD_CLOEXEC)"},
};

// The fix of each, when it keeps the call's meaning: call `fixed` with
// `added` after the arguments. (creat and epoll_create change arguments,
// dup2 onto itself would fail as dup3: advice only.)
struct PlainRule {
  const char* name;
  const char* advice;
  const char* fixed;
  const char* added;
};

constexpr PlainRule kPlainRules[] = {
    {"pipe", "pipe2(fds, O_CLOEXEC)", "pipe2", "O_CLOEXEC"},
    {"dup", "fcntl(fd, F_DUPFD_CLOEXEC, 0)", "fcntl", "F_DUPFD_CLOEXEC, 0"},
    {"accept", "accept4(..., SOCK_CLOEXEC)", "accept4", "SOCK_CLOEXEC"},
    {"creat", "open(path, O_CREAT|O_WRONLY|O_TRUNC|O_CLOEXEC, mode)", "", ""},
    {"mkstemp", "mkostemp(template, O_CLOEXEC)", "mkostemp", "O_CLOEXEC"},
    {"epoll_create", "epoll_create1(EPOLL_CLOEXEC)", "", ""},
    {"inotify_init", "inotify_init1(IN_CLOEXEC)", "inotify_init1", "IN_CLOEXEC"},
};

}  // namespace

std::optional<FdProblem> fd_problem(const CallExpr* call, ASTContext& ctx) {
  const FunctionDecl* fn = call->getDirectCallee();
  if (!is_global_c_function(fn)) return std::nullopt;
  std::string name = fn->getNameAsString();
  for (const PlainRule& r : kPlainRules) {
    if (name == r.name) return FdProblem{name, r.advice, {r.fixed, r.added, -1, ""}};
  }
  for (const FlagRule& r : kFlagRules) {
    if (name != r.name) continue;
    auto flags = constant(call, r.index, ctx);
    if (flags && (*flags & r.bit) == 0) return FdProblem{name, r.advice, {"", "", static_cast<int>(r.index), r.flag}};
    return std::nullopt;
  }
  if (name == "dup2") {
    // dup2 onto 0, 1 or 2 is how a child gets its standard descriptors.
    auto target = constant(call, 1, ctx);
    if (target && *target >= 0 && *target <= 2) return std::nullopt;
    return FdProblem{name, "dup3(old, new, O_CLOEXEC)", {}};
  }
  if (name == "fopen" && mode_lacks_e(call, 1).value_or(false)) return FdProblem{name, "fopen(path, \"re\") (glibc's e flag)", {}};
  if (name == "fcntl" && constant(call, 1, ctx) == F_DUPFD) return FdProblem{name, "fcntl(fd, F_DUPFD_CLOEXEC, min)", {}};
  return std::nullopt;
}

}  // namespace forksafe::analyzer
