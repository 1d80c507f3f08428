#include "analyzer/places.h"

#include <clang/AST/ExprCXX.h>

#include <cstdio>

namespace forksafe::analyzer {

using namespace clang;

std::string var_place(const VarDecl* var) {
  char buffer[32];
  snprintf(buffer, sizeof buffer, "v%p", static_cast<const void*>(var->getCanonicalDecl()));
  return buffer;
}

const Expr* skip(const Expr* e) {
  for (const Expr* prev = nullptr; e && e != prev;) {
    prev = e;
    e = e->IgnoreImplicit()->IgnoreParenCasts();
  }
  return e;
}

std::optional<std::string> pointee_of(const Expr* e) {
  e = skip(e);
  if (const auto* u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_AddrOf) return place_of(u->getSubExpr());
  if (isa<CXXThisExpr>(e)) return "this";
  if (auto p = place_of(e)) return "*" + *p;
  return std::nullopt;
}

std::optional<std::string> place_of(const Expr* e) {
  e = skip(e);
  if (const auto* ref = dyn_cast<DeclRefExpr>(e)) {
    if (const auto* parm = dyn_cast<ParmVarDecl>(ref->getDecl())) {
      std::string key = "p";  // appended: GCC 12's -Wrestrict false positive at -O3 (GCC bug 105329)
      return key.append(std::to_string(parm->getFunctionScopeIndex()));
    }
    if (const auto* var = dyn_cast<VarDecl>(ref->getDecl())) return var_place(var);
    return std::nullopt;
  }
  if (const auto* member = dyn_cast<MemberExpr>(e)) {
    auto base = member->isArrow() ? pointee_of(member->getBase()) : place_of(member->getBase());
    if (!base) return std::nullopt;
    return *base + "." + member->getMemberDecl()->getNameAsString();
  }
  if (const auto* u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_Deref) return pointee_of(u->getSubExpr());
  if (const auto* sub = dyn_cast<ArraySubscriptExpr>(e)) {
    auto base = place_of(sub->getBase());
    if (!base) return std::nullopt;
    return *base + "[?]";  // every element alike: pids[i] = fork() ... if (pids[i] == 0)
  }
  return std::nullopt;
}

}  // namespace forksafe::analyzer
