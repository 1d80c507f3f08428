// fd-no-cloexec: calls of the C library that create a descriptor children
// would inherit.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>

#include <optional>
#include <string>

#include "analyzer/fixes.h"

namespace forksafe::analyzer {

struct FdProblem {
  std::string function;  // the creating call, e.g. "pipe"
  std::string advice;    // what to call instead, e.g. "pipe2(fds, O_CLOEXEC)"
  CallFix fix;           // the advice as a mechanical fix (fixes.h); empty when there is none
};

// The problem with a call, when it creates a descriptor without
// close-on-exec. Flags that are not compile-time constants are not judged;
// methods and namespaced namesakes (C::pipe) are not the C library's.
std::optional<FdProblem> fd_problem(const clang::CallExpr* call, clang::ASTContext& ctx);

}  // namespace forksafe::analyzer
