#include "analyzer/call_extractor.h"

#include <clang/AST/DeclCXX.h>
#include <clang/AST/ExprCXX.h>
#include <clang/Basic/Builtins.h>

#include "analyzer/clang_names.h"
#include "analyzer/cxx_model.h"
#include "analyzer/fixes.h"

namespace forksafe::analyzer {
namespace {

using namespace clang;

// In the C++ standard library's namespaces (std, and libstdc++'s __gnu_cxx
// for iterators), whatever the inline namespace.
bool in_std_library(const Decl* decl) {
  for (const DeclContext* dc = decl->getDeclContext(); dc; dc = dc->getParent()) {
    const auto* ns = dyn_cast<NamespaceDecl>(dc);
    if (ns && !ns->isInline() && dc->getParent()->getRedeclContext()->isTranslationUnit()) {
      return ns->getName() == "std" || ns->getName() == "__gnu_cxx";
    }
  }
  return false;
}

// A builtin that compiles to no library call (__builtin_expect): not a call.
// __builtin_memcpy and __builtin___snprintf_chk are library calls, judged by
// the safety database under their library names.
bool is_no_call_builtin(const FunctionDecl* fn, ASTContext& ctx) {
  std::string name = fn->getNameAsString();
  if (name.rfind("__builtin_", 0) != 0 || name.ends_with("_chk")) return false;
  unsigned id = ctx.Idents.get(name.substr(10)).getBuiltinID();
  return !(id && ctx.BuiltinInfo.isLibFunction(id));
}

class Extractor {
 public:
  Extractor(ASTContext& ctx, const std::string& caller, std::vector<Call>* out)
      : ctx_(ctx), sm_(ctx.getSourceManager()), caller_(caller), out_(out) {}

  void element(const CFGElement& e) {
    if (auto s = e.getAs<CFGStmt>()) return statement(s->getStmt());
    if (auto d = e.getAs<CFGAutomaticObjDtor>()) {
      return destructor(d->getDestructorDecl(ctx_), d->getVarDecl()->getLocation());
    }
    if (auto t = e.getAs<CFGTemporaryDtor>()) {
      return destructor(t->getDestructorDecl(ctx_), t->getBindTemporaryExpr()->getBeginLoc());
    }
    if (auto d = e.getAs<CFGDeleteDtor>()) return destructor(d->getDestructorDecl(ctx_), d->getDeleteExpr()->getBeginLoc());
    if (auto m = e.getAs<CFGMemberDtor>()) return destructor(m->getDestructorDecl(ctx_), m->getFieldDecl()->getLocation());
    if (auto b = e.getAs<CFGBaseDtor>()) return destructor(b->getDestructorDecl(ctx_), b->getBaseSpecifier()->getBeginLoc());
  }

 private:
  void statement(const Stmt* s) {
    if (const auto* call = dyn_cast<CallExpr>(s)) return call_expr(call);
    if (const auto* construct = dyn_cast<CXXConstructExpr>(s)) {
      const CXXConstructorDecl* ctor = construct->getConstructor();
      if (!ctor || ctor->isTrivial() || construct->isElidable()) return;
      Call c = function_call(ctor, construct->getSourceRange());
      // An empty standard container or string allocates nothing (but a deque does).
      if (!c.follow && ctor->isDefaultConstructor() && ctor->getParent()->getName() != "deque") c.model = "safe";
      return push(std::move(c));
    }
    if (const auto* n = dyn_cast<CXXNewExpr>(s)) {
      const FunctionDecl* op = n->getOperatorNew();
      if (op && op->isReservedGlobalPlacementOperator()) return;  // placement new allocates nothing
      return push(modelled("operator new", "allocates", n->getSourceRange()));
    }
    if (const auto* d = dyn_cast<CXXDeleteExpr>(s)) return push(modelled("operator delete", "allocates", d->getSourceRange()));
    if (const auto* t = dyn_cast<CXXThrowExpr>(s)) return push(modelled("throw", "allocates", t->getSourceRange()));
  }

  void call_expr(const CallExpr* call) {
    if (isa<CXXPseudoDestructorExpr>(call->getCallee()->IgnoreParens())) return;
    const FunctionDecl* fn = call->getDirectCallee();
    if (!fn) return push(indirect(call));
    if (const auto* mc = dyn_cast<CXXMemberCallExpr>(call)) {
      const CXXMethodDecl* method = mc->getMethodDecl();
      const auto* member = dyn_cast<MemberExpr>(mc->getCallee()->IgnoreParens());
      if (method && method->isVirtual() && !(member && member->hasQualifier())) {
        if (const CXXMethodDecl* known = method->getDevirtualizedMethod(mc->getImplicitObjectArgument(), false)) {
          fn = known;
        } else {
          Call c = modelled(qualified_name(method), "indirect", call->getSourceRange());
          return push(std::move(c));
        }
      }
    }
    // A lambda handed to a library function (std::for_each, std::sort) is
    // called by it: its body runs here.
    if (in_system_header(fn->getLocation(), sm_)) {
      for (const Expr* arg : call->arguments()) {
        if (const auto* lambda = dyn_cast<LambdaExpr>(arg->IgnoreImplicit()->IgnoreParenCasts())) {
          push(function_call(lambda->getCallOperator(), lambda->getBeginLoc()));
        }
      }
    }
    Call c = function_call(fn, call->getSourceRange());
    // exit() in the child: _exit() is the fix (checks/exit_check.cc offers it
    // for a call made in the window itself).
    if (is_global_c_function(fn) && fn->getName() == "exit") c.fix = fix_edits(call, {"_exit", "", -1, ""}, ctx_, nullptr);
    if (fn->getBuiltinID()) {
      if (is_no_call_builtin(fn, ctx_)) return;
      c.usr.clear();
      c.follow = false;
    }
    push(std::move(c));
  }

  Call indirect(const CallExpr* call) {
    Call c = modelled("a function pointer", "indirect", call->getSourceRange());
    if (const ValueDecl* target = called_through(call)) {
      c.name = target->getNameAsString();
      c.via = usr_of(target);
    }
    return c;
  }

  void destructor(const CXXDestructorDecl* dtor, SourceLocation at) {
    if (dtor && !dtor->isTrivial()) push(function_call(dtor, at));
  }

  // `at`: the construct's range, or the one place that stands for it.
  Call function_call(const FunctionDecl* fn, SourceRange at) {
    std::string name = qualified_name(fn);
    bool system = in_system_header(fn->getLocation(), sm_);
    Call c{usr_of(fn), name, where(at), "", !system, "", {}};
    if (system && in_std_library(fn)) c.model = std_model(name.rfind("std::", 0) == 0 ? name : "std::" + name);
    return c;
  }

  Call modelled(const std::string& name, const std::string& model, SourceRange at) {
    return {"", name, where(at), model, false, "", {}};
  }

  Location where(SourceRange at) {
    Location l = location_of(at, sm_, ctx_.getLangOpts());
    l.function = caller_;
    return l;
  }

  void push(Call c) { out_->push_back(std::move(c)); }

  ASTContext& ctx_;
  const SourceManager& sm_;
  const std::string& caller_;
  std::vector<Call>* out_;
};

}  // namespace

void calls_of(const CFGElement& element, ASTContext& ctx, const std::string& caller, std::vector<Call>* out) {
  Extractor(ctx, caller, out).element(element);
}

const ValueDecl* called_through(const CallExpr* call) {
  const Expr* callee = call->getCallee()->IgnoreParenCasts();
  if (const auto* deref = dyn_cast<UnaryOperator>(callee); deref && deref->getOpcode() == UO_Deref) {
    callee = deref->getSubExpr()->IgnoreParenCasts();
  }
  if (const auto* ref = dyn_cast<DeclRefExpr>(callee)) return isa<FunctionDecl>(ref->getDecl()) ? nullptr : ref->getDecl();
  if (const auto* member = dyn_cast<MemberExpr>(callee)) {
    return isa<FunctionDecl>(member->getMemberDecl()) ? nullptr : member->getMemberDecl();
  }
  return nullptr;
}

}  // namespace forksafe::analyzer
