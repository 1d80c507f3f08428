// Places: keys for the lvalues a value can be stored in, so that a data-flow
// pass can follow it (the fork result, a descriptor) through assignments.
#pragma once

#include <clang/AST/Expr.h>

#include <optional>
#include <string>

namespace forksafe::analyzer {

// The expression without parentheses, casts and implicit wrappers.
const clang::Expr* skip(const clang::Expr* e);

// A key for an lvalue: "p0" the first parameter, "v0x.." a variable, "*p0.pid"
// the pid field of what the first parameter points at, "this.pid_", "v0x..[?]"
// any element of an array; nullopt for what is not followed.
std::optional<std::string> place_of(const clang::Expr* e);
// The place a pointer expression points at: &x is x, p is *p, this is this.
std::optional<std::string> pointee_of(const clang::Expr* e);
std::string var_place(const clang::VarDecl* var);

}  // namespace forksafe::analyzer
