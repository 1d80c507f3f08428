// Mechanical fixes, as clang-tidy's android-cloexec-* checks make them: the
// edits of a call, in byte offsets from clang's SourceManager, offered only
// when they are right and compile as they stand.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <clang/Lex/Preprocessor.h>

#include <string>
#include <vector>

#include "common/finding.h"

namespace forksafe::analyzer {

// What to change in a call: call `rename` instead (the callee as written,
// qualifier and all), add `append` after its arguments, or `| flag` to its
// argument `flag_arg`.
struct CallFix {
  std::string rename;
  std::string append;
  int flag_arg = -1;
  std::string flag;
};

// The edits of `fix` for `call`; none when the call is written by a macro, or
// when a function it needs is not declared before the call or a macro it
// needs (O_CLOEXEC) is not defined there (without `pp`, a fix that needs a
// macro is none).
std::vector<Replacement> fix_edits(const clang::CallExpr* call, const CallFix& fix, clang::ASTContext& ctx,
                                   clang::Preprocessor* pp);

}  // namespace forksafe::analyzer
