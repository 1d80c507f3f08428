#include "analyzer/tu_scanner.h"

#include <clang/AST/ASTConsumer.h>
#include <clang/AST/RecursiveASTVisitor.h>
#include <clang/Frontend/CompilerInstance.h>
#include <clang/Frontend/FrontendAction.h>
#include <clang/Frontend/Utils.h>

#include <fcntl.h>

#include <memory>

#include "analyzer/call_extractor.h"
#include "analyzer/clang_names.h"
#include "analyzer/fd_check.h"
#include "analyzer/fixes.h"
#include "analyzer/places.h"
#include "analyzer/process_calls.h"
#include "common/rules.h"

#ifndef FORKSAFE_CLANG_RESOURCE_DIR
#error "FORKSAFE_CLANG_RESOURCE_DIR: clang's resource directory (builtin headers), set by CMake"
#endif

namespace forksafe::analyzer {

bool SeenFunctions::first_time(const std::string& usr) {
  std::lock_guard lock(mutex_);
  return seen_.insert(usr).second;
}

void SeenFunctions::forget(const std::string& usr) {
  std::lock_guard lock(mutex_);
  seen_.erase(usr);
}

void learn(const TuSummary& tu, ForkKnowledge* known) {
  for (const FunctionSummary& f : tu.functions) {
    if (!f.fork_result.empty()) {
      known->functions[f.usr] = f.fork_result;
      known->kinds[f.usr] = f.fork_kind;
    }
    if (f.ends_in_exit) known->never_return.insert(f.usr);
  }
  known->pointers.insert(tu.fork_pointers.begin(), tu.fork_pointers.end());
}

namespace {

using namespace clang;

// Counts errors and keeps the first; compiler flags clang does not know
// (gcc's, from a gcc build) are kept apart: the parse does not suffer from them.
class Diagnostics : public DiagnosticConsumer {
 public:
  void HandleDiagnostic(DiagnosticsEngine::Level level, const Diagnostic& info) override {
    DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < DiagnosticsEngine::Error) return;
    llvm::SmallString<256> text;
    info.FormatDiagnostic(text);
    static constexpr llvm::StringLiteral kUnknown = "unknown argument: '";
    if (text.str().startswith(kUnknown)) {
      unknown_flags.insert(text.substr(kUnknown.size(), text.size() - kUnknown.size() - 1).str());
      return;
    }
    if (errors++ > 0) return;
    std::string where;
    if (info.hasSourceManager() && info.getLocation().isValid()) {
      Location l = location_of(info.getLocation(), info.getSourceManager());
      where = l.file + ":" + std::to_string(l.line) + ":" + std::to_string(l.column) + ": ";
    }
    first = where + "error: " + text.str().str();
  }

  unsigned errors = 0;
  std::string first;
  std::set<std::string> unknown_flags;
};

// The functions of a TU worth summarizing, and the variables and fields that
// are given fork or vfork (pointers called later: ops->spawn()).
class Collector : public RecursiveASTVisitor<Collector> {
 public:
  explicit Collector(const SourceManager& sm) : sm_(sm) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  bool VisitFunctionDecl(FunctionDecl* fn) {
    if (fn->doesThisDeclarationHaveABody() && !fn->isDependentContext() && !fn->isInvalidDecl() &&
        !in_system_header(fn->getLocation(), sm_) && seen_.insert(fn).second) {
      functions.push_back(fn);
    }
    return true;
  }
  bool VisitLambdaExpr(LambdaExpr* e) { return VisitFunctionDecl(e->getCallOperator()); }

  bool VisitVarDecl(VarDecl* var) {
    if (const Expr* init = var->getInit()) note_pointer(var, init);
    return true;
  }
  bool VisitBinaryOperator(BinaryOperator* b) {
    if (b->getOpcode() != BO_Assign) return true;
    const Expr* lhs = b->getLHS()->IgnoreParenImpCasts();
    if (const auto* ref = dyn_cast<DeclRefExpr>(lhs)) note_pointer(ref->getDecl(), b->getRHS());
    if (const auto* member = dyn_cast<MemberExpr>(lhs)) note_pointer(member->getMemberDecl(), b->getRHS());
    return true;
  }
  bool VisitInitListExpr(InitListExpr* e) {
    const RecordDecl* record = e->isSemanticForm() ? e->getType()->getAsRecordDecl() : nullptr;
    if (!record || record->isUnion()) return true;
    unsigned i = 0;
    for (const FieldDecl* field : record->fields()) {
      if (i >= e->getNumInits()) break;
      note_pointer(field, e->getInit(i++));
    }
    return true;
  }
  bool TraverseConstructorInitializer(CXXCtorInitializer* init) {
    if (init->getMember() && init->getInit()) note_pointer(init->getMember(), init->getInit());
    return RecursiveASTVisitor::TraverseConstructorInitializer(init);
  }

  std::vector<const FunctionDecl*> functions;
  std::map<std::string, std::string> fork_pointers;

 private:
  void note_pointer(const ValueDecl* target, const Expr* value) {
    if (!target || !value) return;
    const Expr* v = value->IgnoreParenCasts();
    if (const auto* u = dyn_cast<UnaryOperator>(v); u && u->getOpcode() == UO_AddrOf) v = u->getSubExpr()->IgnoreParenCasts();
    const auto* ref = dyn_cast<DeclRefExpr>(v);
    const auto* fn = ref ? dyn_cast<FunctionDecl>(ref->getDecl()) : nullptr;
    if (!is_global_c_function(fn)) return;
    std::string kind = fork_kind(fn->getNameAsString());
    if (!kind.empty()) fork_pointers[usr_of(target)] = kind;
  }

  const SourceManager& sm_;
  std::set<const FunctionDecl*> seen_;
};

struct Analysed {
  const FunctionDecl* fn;
  std::string usr, name;
  std::unique_ptr<CFG> cfg;
  std::vector<const CFGBlock*> blocks;  // reachable from the entry
};

template <typename F>
void for_each_element(const Analysed& f, F each) {
  for (const CFGBlock* block : f.blocks) {
    for (const CFGElement& e : *block) each(e);
  }
}

const CallExpr* call_of_element(const CFGElement& e) {
  auto s = e.getAs<CFGStmt>();
  return s ? dyn_cast<CallExpr>(s->getStmt()) : nullptr;
}

std::string callee_name(const CallExpr* call) { return c_function_name(call ? call->getDirectCallee() : nullptr); }

// The place that receives the descriptors a call creates: pipe(fds)'s
// array, or the variable fd = open(...) is stored in.
std::optional<std::string> descriptor_place(const CallExpr* call, const Analysed& f) {
  std::string name = callee_name(call);
  if ((name == "pipe" || name == "pipe2" || name == "socketpair") && call->getNumArgs() > 0) {
    unsigned arg = name == "socketpair" ? 3 : 0;
    if (arg >= call->getNumArgs()) return std::nullopt;
    auto base = place_of(call->getArg(arg));
    if (base) return *base + "[?]";
    return std::nullopt;
  }
  std::optional<std::string> out;
  for_each_element(f, [&](const CFGElement& e) {
    auto s = e.getAs<CFGStmt>();
    if (!s || out) return;
    if (const auto* decl = dyn_cast<DeclStmt>(s->getStmt())) {
      const auto* var = decl->isSingleDecl() ? dyn_cast<VarDecl>(decl->getSingleDecl()) : nullptr;
      if (var && var->getInit() && skip(var->getInit()) == call) out = var_place(var);
    }
    if (const auto* b = dyn_cast<BinaryOperator>(s->getStmt()); b && b->getOpcode() == BO_Assign && skip(b->getRHS()) == call) {
      out = place_of(b->getLHS());
    }
  });
  return out;
}

std::unique_ptr<CFG> build_cfg(const FunctionDecl* fn, ASTContext& ctx) {
  CFG::BuildOptions options;
  options.setAllAlwaysAdd();
  options.AddImplicitDtors = true;
  options.AddTemporaryDtors = true;
  options.AddInitializers = true;
  return CFG::buildCFG(fn, fn->getBody(), &ctx, options);
}

class TuAnalysis : public ASTConsumer {
 public:
  TuAnalysis(const ScanOptions& options, SeenFunctions* seen, TuSummary* out, Preprocessor* pp)
      : options_(options), seen_(seen), out_(out), pp_(pp) {}

  void HandleTranslationUnit(ASTContext& ctx) override {
    Collector collector(ctx.getSourceManager());
    collector.TraverseDecl(ctx.getTranslationUnitDecl());
    out_->fork_pointers = collector.fork_pointers;
    ForkKnowledge known = options_.known;
    known.pointers.insert(collector.fork_pointers.begin(), collector.fork_pointers.end());
    std::vector<Analysed> functions;
    for (const FunctionDecl* fn : collector.functions) {
      std::string usr = usr_of(fn);
      // Once per definition: an inline function of a header is the same in
      // every TU, but two programs' own main() or helper() are not.
      Location at = location_of(fn->getLocation(), ctx.getSourceManager());
      if (!seen_->first_time(usr + "@" + at.file + ":" + std::to_string(at.line))) continue;
      std::unique_ptr<CFG> cfg = build_cfg(fn, ctx);
      if (!cfg) continue;
      std::vector<const CFGBlock*> blocks = reachable_blocks(*cfg);
      functions.push_back({fn, usr, qualified_name(fn), std::move(cfg), std::move(blocks)});
    }
    // Functions that never return, then fork-like ones, each to a fixed point
    // within the TU (a wrapper may call a wrapper defined further down).
    for (bool changed = true; changed;) {
      changed = false;
      for (const Analysed& f : functions) {
        if (!known.never_return.count(f.usr) && never_returns(*f.cfg, known)) changed = known.never_return.insert(f.usr).second;
      }
    }
    std::vector<FunctionWindows> windows(functions.size());
    for (int round = 0; round < 4; ++round) {
      bool changed = false;
      for (size_t i = 0; i < functions.size(); ++i) {
        windows[i] = find_windows(functions[i].fn, functions[i].name, *functions[i].cfg, ctx, known);
        if (!windows[i].fork_result.empty() && !known.functions.count(functions[i].usr)) {
          known.functions[functions[i].usr] = windows[i].fork_result;
          known.kinds[functions[i].usr] = windows[i].fork_kind;
          changed = true;
        }
      }
      if (!changed) break;
    }
    for (size_t i = 0; i < functions.size(); ++i) summarize(functions[i], windows[i], known, ctx);
    report_fd_sites(functions, windows, ctx);
  }

 private:
  void summarize(const Analysed& f, FunctionWindows& w, const ForkKnowledge& known, ASTContext& ctx) {
    FunctionSummary summary;
    summary.usr = f.usr;
    summary.name = f.name;
    summary.where = location_of(f.fn->getLocation(), ctx.getSourceManager());
    summary.where.function = f.name;
    // What the function's own child windows run is theirs, not its callers'.
    for_each_element(f, [&](const CFGElement& e) {
      if (!w.in_window.count(&e)) calls_of(e, ctx, f.name, &summary.calls);
    });
    std::sort(summary.calls.begin(), summary.calls.end(), [](const Call& a, const Call& b) {
      return std::tie(a.where.file, a.where.line, a.where.column) < std::tie(b.where.file, b.where.line, b.where.column);
    });
    summary.ends_in_exit = known.never_return.count(f.usr) > 0;
    note_last_call(f.fn, &summary);
    summary.fork_result = w.fork_result;
    summary.fork_kind = w.fork_kind;
    for (Window& window : w.windows) {
      window.tu = out_->file;
      out_->windows.push_back(std::move(window));
    }
    out_->fork_like_used.insert(w.used.begin(), w.used.end());
    out_->functions.push_back(std::move(summary));
  }

  // For "does this function end the process" across TUs: its last statement.
  static void note_last_call(const FunctionDecl* fn, FunctionSummary* summary) {
    const auto* body = dyn_cast_or_null<CompoundStmt>(fn->getBody());
    if (!body || body->body_empty()) return;
    const auto* last = dyn_cast<Expr>(body->body_back());
    const auto* call = last ? dyn_cast<CallExpr>(last->IgnoreImplicit()->IgnoreParenCasts()) : nullptr;
    const FunctionDecl* callee = call ? call->getDirectCallee() : nullptr;
    if (!callee) return;
    summary->last_call = usr_of(callee);
    summary->last_call_name = qualified_name(callee);
  }

  void report_fd_sites(const std::vector<Analysed>& functions, const std::vector<FunctionWindows>& windows,
                       ASTContext& ctx) {
    bool spawns = false;
    // Static helpers that only child windows call: their descriptors are the
    // child's, like those it creates itself.
    std::set<const FunctionDecl*> called_in_child, called_elsewhere;
    for (size_t i = 0; i < functions.size(); ++i) {
      for_each_element(functions[i], [&](const CFGElement& e) {
        const CallExpr* call = call_of_element(e);
        const FunctionDecl* callee = call ? call->getDirectCallee() : nullptr;
        if (!callee) return;
        spawns |= is_spawn_call(callee_name(call));
        (windows[i].in_window.count(&e) ? called_in_child : called_elsewhere).insert(callee->getCanonicalDecl());
      });
      spawns |= !windows[i].windows.empty();
    }
    if (!spawns) return;
    const Rule* rule = find_rule("fd-no-cloexec");
    for (size_t i = 0; i < functions.size(); ++i) {
      const FunctionDecl* fn = functions[i].fn->getCanonicalDecl();
      if (!fn->isExternallyVisible() && called_in_child.count(fn) && !called_elsewhere.count(fn)) continue;
      for_each_element(functions[i], [&](const CFGElement& e) {
        const CallExpr* call = call_of_element(e);
        if (!call || windows[i].in_window.count(&e)) return;  // the child's own descriptors are the window's business
        auto problem = fd_problem(call, ctx);
        if (!problem || handled(call, functions[i], windows[i], ctx)) return;
        Finding f;
        f.rule = rule->id;
        f.level = rule->default_level;
        f.message = "'" + problem->function + "' creates a descriptor without close-on-exec in code that spawns "
                    "processes; children inherit it";
        f.location = location_of(call->getSourceRange(), ctx.getSourceManager(), ctx.getLangOpts());
        f.location.function = functions[i].name;
        f.fix = "Use " + problem->advice + ".";
        if (!locked(call, functions[i], ctx)) f.edits = fix_edits(call, problem->fix, ctx, pp_);
        f.properties = {{"callee", problem->function}};
        out_->local_findings.push_back(std::move(f));
      });
    }
  }

  // The descriptor is made close-on-exec right after (fcntl(fd, F_SETFD,
  // FD_CLOEXEC)), or the function's own children close it before exec.
  // Each call of the function whose first argument is the descriptor `creator` makes.
  template <typename F>
  static void for_each_use(const CallExpr* creator, const Analysed& f, F each) {
    auto place = descriptor_place(creator, f);
    if (!place) return;
    for_each_element(f, [&](const CFGElement& e) {
      const CallExpr* call = call_of_element(e);
      if (call && call->getNumArgs() > 0 && place_of(call->getArg(0)) == place) each(call, callee_name(call), e);
    });
  }

  static std::optional<long long> int_arg(const CallExpr* call, unsigned index, ASTContext& ctx) {
    Expr::EvalResult value;
    if (call->getNumArgs() <= index || !call->getArg(index)->EvaluateAsInt(value, ctx)) return std::nullopt;
    return value.Val.getInt().getExtValue();
  }

  static bool handled(const CallExpr* creator, const Analysed& f, const FunctionWindows& w, ASTContext& ctx) {
    bool cloexec = false, closed_in_child = false;
    for_each_use(creator, f, [&](const CallExpr* call, const std::string& name, const CFGElement& e) {
      if (name == "fcntl" && int_arg(call, 1, ctx) == F_SETFD) cloexec |= (int_arg(call, 2, ctx).value_or(0) & FD_CLOEXEC) != 0;
      if (name == "close" && w.in_window.count(&e)) closed_in_child = true;  // dup2 leaves it open
    });
    return cloexec || closed_in_child;
  }

  // A descriptor the function locks (flock, lockf, fcntl F_SETLK) may be meant
  // to hold its lock in the program it execs (daemonize's lock file): not a
  // mechanical fix.
  static bool locked(const CallExpr* creator, const Analysed& f, ASTContext& ctx) {
    bool out = false;
    for_each_use(creator, f, [&](const CallExpr* call, const std::string& name, const CFGElement&) {
      auto cmd = int_arg(call, 1, ctx);
      out |= name == "flock" || name == "lockf" ||
             (name == "fcntl" && (cmd == F_SETLK || cmd == F_SETLKW || cmd == F_OFD_SETLK || cmd == F_OFD_SETLKW));
    });
    return out;
  }

  const ScanOptions& options_;
  SeenFunctions* seen_;
  TuSummary* out_;
  Preprocessor* pp_;  // whether the macros a fix needs are defined
};

class Action : public ASTFrontendAction {
 public:
  Action(const ScanOptions& options, SeenFunctions* seen, TuSummary* out) : options_(options), seen_(seen), out_(out) {}

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance& compiler, StringRef) override {
    return std::make_unique<TuAnalysis>(options_, seen_, out_, &compiler.getPreprocessor());
  }

 private:
  const ScanOptions& options_;
  SeenFunctions* seen_;
  TuSummary* out_;
};

}  // namespace

TuSummary scan_tu(const CompileCommand& command, const ScanOptions& options, SeenFunctions* seen) {
  TuSummary out;
  out.file = command.file;
  if (command.args.empty()) {
    out.errors.push_back(command.file + ": cannot analyse: no compile command");
    return out;
  }
  std::vector<std::string> args = command.args;
  // -w: warnings cost time and are not ours to report.
  args.insert(args.begin() + 1, {"-working-directory", command.directory, "-w", "-resource-dir", FORKSAFE_CLANG_RESOURCE_DIR});
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  Diagnostics diagnostics;
  IntrusiveRefCntPtr<DiagnosticsEngine> engine =
      CompilerInstance::createDiagnostics(new DiagnosticOptions, &diagnostics, /*ShouldOwnClient=*/false);
  std::shared_ptr<CompilerInvocation> invocation =
      createInvocationFromCommandLine(argv, engine, nullptr, /*ShouldRecoverOnErrors=*/true);
  out.unknown_flags = diagnostics.unknown_flags;
  if (!invocation || invocation->getFrontendOpts().Inputs.size() != 1) {
    out.errors.push_back(command.file + ": cannot analyse: clang cannot make one compile job of its command" +
                         (diagnostics.first.empty() ? "" : ": " + diagnostics.first));
    return out;
  }
  invocation->getFrontendOpts().DisableFree = false;  // one process parses many TUs
  invocation->getDiagnosticOpts().ShowCarets = false;  // no "N errors generated." on stderr: our line says it
  diagnostics.clear();  // the driver's errors (unknown flags) are not the parse's
  diagnostics.errors = 0;
  diagnostics.first.clear();
  CompilerInstance compiler;
  compiler.setInvocation(std::move(invocation));
  compiler.createDiagnostics(&diagnostics, /*ShouldOwnClient=*/false);
  // Keep going after a fatal error (a missing header): analyse what parsed.
  compiler.getDiagnostics().setFatalsAsError(true);
  Action action(options, seen, &out);
  if (!compiler.ExecuteAction(action) && diagnostics.errors == 0) {
    out.errors.push_back(command.file + ": cannot analyse: clang failed to parse it");
  }
  if (diagnostics.errors > 0) {
    out.errors.push_back(command.file + ": " + std::to_string(diagnostics.errors) +
                         " parse error(s), analysed what parsed; first: " + diagnostics.first);
  }
  return out;
}

}  // namespace forksafe::analyzer
