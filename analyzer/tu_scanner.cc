#include "analyzer/tu_scanner.h"

#include "analyzer/ast_tree.h"
#include "analyzer/call_extractor.h"
#include "analyzer/fd_check.h"
#include "analyzer/window_finder.h"
#include "common/rules.h"

namespace forksafe::analyzer {

bool SeenFunctions::first_time(const std::string& usr) {
  std::lock_guard lock(mutex_);
  return seen_.insert(usr).second;
}

namespace {

const char* error_text(CXErrorCode code) {
  switch (code) {
    case CXError_Crashed: return "libclang crashed while parsing it";
    case CXError_InvalidArguments: return "invalid arguments";
    case CXError_ASTReadError: return "AST read error";
    default: return "libclang failed to parse it";
  }
}

// The first error diagnostic, as "file:line:col: message". Flags clang does
// not know (gcc's, from a gcc build) go to *unknown_flags instead: the parse
// does not suffer from them.
std::string first_error(CXTranslationUnit tu, unsigned* count, std::set<std::string>* unknown_flags) {
  static constexpr std::string_view kUnknown = "unknown argument: '";
  std::string first;
  *count = 0;
  for (unsigned i = 0, n = clang_getNumDiagnostics(tu); i < n; ++i) {
    CXDiagnostic d = clang_getDiagnostic(tu, i);
    if (clang_getDiagnosticSeverity(d) >= CXDiagnostic_Error) {
      CXString spelling = clang_getDiagnosticSpelling(d);
      std::string_view text = clang_getCString(spelling);
      if (text.starts_with(kUnknown)) {
        unknown_flags->insert(std::string(text.substr(kUnknown.size(), text.size() - kUnknown.size() - 1)));
      } else if ((*count)++ == 0) {
        CXString s = clang_formatDiagnostic(d, CXDiagnostic_DisplaySourceLocation | CXDiagnostic_DisplayColumn);
        first = clang_getCString(s);
        clang_disposeString(s);
      }
      clang_disposeString(spelling);
    }
    clang_disposeDiagnostic(d);
  }
  return first;
}

// A descriptor created outside any window, for fd-no-cloexec.
struct FdSite {
  Location where;
  FdProblem problem;
};

class TuVisitor {
 public:
  TuVisitor(const ScanOptions& options, SeenFunctions* seen, TuSummary* out)
      : options_(options), seen_(seen), out_(out) {}

  void visit(CXCursor tu_cursor) {
    clang_visitChildren(tu_cursor, &TuVisitor::on_decl, this);
    if (!spawns_) return;
    const Rule* rule = find_rule("fd-no-cloexec");
    for (const FdSite& fd : fd_sites_) {
      Finding f;
      f.rule = rule->id;
      f.level = rule->default_level;
      f.message = "'" + fd.problem.function + "' creates a descriptor without close-on-exec in code that spawns "
                  "processes; children inherit it";
      f.location = fd.where;
      f.fix = "Use " + fd.problem.advice + ".";
      f.properties = {{"callee", fd.problem.function}};
      out_->local_findings.push_back(std::move(f));
    }
  }

 private:
  static CXChildVisitResult on_decl(CXCursor cursor, CXCursor, CXClientData data) {
    auto* self = static_cast<TuVisitor*>(data);
    CXCursorKind kind = clang_getCursorKind(cursor);
    if (in_system_header(cursor)) return CXChildVisit_Continue;
    if (is_function_like(kind)) {
      if (clang_isCursorDefinition(cursor)) self->function(cursor);
      return CXChildVisit_Continue;
    }
    switch (kind) {
      case CXCursor_Namespace:
      case CXCursor_LinkageSpec:
      case CXCursor_UnexposedDecl:
      case CXCursor_ClassDecl:
      case CXCursor_StructDecl:
      case CXCursor_UnionDecl:
      case CXCursor_ClassTemplate:
      case CXCursor_ClassTemplatePartialSpecialization:
        return CXChildVisit_Recurse;
      default:
        return CXChildVisit_Continue;
    }
  }

  void function(CXCursor cursor) {
    std::string id = usr(cursor);
    if (!seen_->first_time(id)) return;
    Node tree = build_tree(cursor);
    if (tree.children.empty() || tree.children.back().kind != CXCursor_CompoundStmt) return;
    FunctionSummary summary;
    summary.usr = id;
    summary.name = qualified_name(cursor);
    summary.where = location_of(cursor);
    summary.where.function = summary.name;
    const Node& body = tree.children.back();
    extract_calls(body, summary.name, &summary.calls);
    note_last_call(body, &summary);

    std::vector<WindowSite> windows = find_windows(tree, summary.name, options_.fork_like);
    std::vector<const Node*> in_window;
    for (WindowSite& site : windows) {
      for (const Node* stmt : site.region) {
        extract_calls(*stmt, summary.name, &site.window.calls);
        in_window.push_back(stmt);
      }
      site.window.tu = out_->file;
      out_->windows.push_back(std::move(site.window));
    }
    find_fd_sites(body, summary.name, in_window);
    out_->functions.push_back(std::move(summary));
  }

  // For "does this function end the process": its last statement.
  static void note_last_call(const Node& body, FunctionSummary* summary) {
    if (body.children.empty()) return;
    const Node& last = strip(body.children.back());
    if (last.kind != CXCursor_CallExpr) return;
    Call call;
    if (!call_of(last, summary->name, &call)) return;
    summary->ends_in_exit = ends_process(call.name) || is_exit(call.name);
    summary->last_call = call.usr;
    summary->last_call_name = call.name;
  }

  void find_fd_sites(const Node& node, const std::string& caller, const std::vector<const Node*>& skip) {
    for (const Node* s : skip) {
      if (s == &node) return;
    }
    if (node.kind == CXCursor_LambdaExpr) return;
    if (node.kind == CXCursor_CallExpr) {
      CXCursor callee = clang_getCursorReferenced(node.cursor);
      if (!clang_Cursor_isNull(callee)) {
        std::string name = spelling(callee);
        if (is_spawn_call(name) || options_.fork_like.count(name)) spawns_ = true;
        if (auto problem = fd_problem(node)) {
          Location where = location_of(node.cursor);
          where.function = caller;
          fd_sites_.push_back({where, *problem});
        }
      }
    }
    for (const Node& child : node.children) find_fd_sites(child, caller, skip);
  }

  const ScanOptions& options_;
  SeenFunctions* seen_;
  TuSummary* out_;
  bool spawns_ = false;
  std::vector<FdSite> fd_sites_;
};

}  // namespace

TuSummary scan_tu(CXIndex index, const CompileCommand& command, const ScanOptions& options,
                  SeenFunctions* seen) {
  TuSummary out;
  out.file = command.file;
  std::vector<std::string> args = command.args;
  // -w: warnings cost time and are not ours to report.
  args.insert(args.begin() + 1, {"-working-directory", command.directory, "-w"});
  std::vector<const char*> argv;
  for (const std::string& a : args) argv.push_back(a.c_str());
  CXTranslationUnit tu = nullptr;
  // KeepGoing: analyse what parsed even after an error (e.g. a missing header).
  CXErrorCode code = clang_parseTranslationUnit2FullArgv(index, nullptr, argv.data(), static_cast<int>(argv.size()),
                                                         nullptr, 0, CXTranslationUnit_KeepGoing, &tu);
  if (code != CXError_Success || !tu) {
    out.errors.push_back(command.file + ": cannot analyse: " + error_text(code));
    return out;
  }
  unsigned errors = 0;
  std::string first = first_error(tu, &errors, &out.unknown_flags);
  if (errors > 0) {
    out.errors.push_back(command.file + ": " + std::to_string(errors) + " parse error(s), analysed what parsed; first: " +
                         first);
  }
  TuVisitor visitor(options, seen, &out);
  visitor.visit(clang_getTranslationUnitCursor(tu));
  clang_disposeTranslationUnit(tu);
  return out;
}

}  // namespace forksafe::analyzer
