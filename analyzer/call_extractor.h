// Turns what one CFG element runs into Call records: direct calls, calls
// through pointers and virtual functions, and the calls C++ makes implicitly
// (constructors, destructors at scope ends and of temporaries, new, delete,
// throw). The CFG lists every sub-expression as its own element, so each
// call is seen exactly once.
#pragma once

#include <clang/AST/ASTContext.h>
#include <clang/AST/Expr.h>
#include <clang/Analysis/CFG.h>

#include <string>
#include <vector>

#include "analyzer/summary.h"

namespace forksafe::analyzer {

// `caller` names the enclosing function in each Call::where.
void calls_of(const clang::CFGElement& element, clang::ASTContext& ctx, const std::string& caller,
              std::vector<Call>* out);

// For a call through a pointer: the variable, parameter or field called
// through (ops->spawn(), fn()), or null.
const clang::ValueDecl* called_through(const clang::CallExpr* call);

}  // namespace forksafe::analyzer
