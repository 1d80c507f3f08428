#include "analyzer/window_finder.h"

#include <array>
#include <string_view>

#include "analyzer/call_extractor.h"

namespace forksafe::analyzer {

bool ends_process(const std::string& name) {
  static constexpr std::array kNames = {"_exit", "_Exit", "abort", "err", "errx", "verr", "verrx",
                                        "longjmp", "siglongjmp", "pthread_exit"};
  for (std::string_view n : kNames) {
    if (name == n) return true;
  }
  return false;
}

bool is_exec(const std::string& name) {
  static constexpr std::array kNames = {"execl", "execle", "execlp", "execv", "execve", "execvp", "execvpe",
                                        "fexecve"};
  for (std::string_view n : kNames) {
    if (name == n) return true;
  }
  return false;
}

bool is_exit(const std::string& name) {
  return name == "exit" || name == "quick_exit" || name == "std::exit" || name == "std::quick_exit";
}

namespace {

using Sequence = std::vector<const Node*>;

// Which side of a test on the fork result is the child (pid == 0).
enum class Side { child_then, child_else, error_then, unknown };

// The outcome of scanning statements for the child path.
enum class Flow { mixed, child_continues, done };

Sequence as_sequence(const Node& stmt) {
  Sequence out;
  if (stmt.kind == CXCursor_CompoundStmt) {
    for (const Node& child : stmt.children) out.push_back(&child);
  } else {
    out.push_back(&stmt);
  }
  return out;
}

const Node* called_function_node(const Node& stmt) {
  const Node& n = strip(stmt);
  return n.kind == CXCursor_CallExpr ? &n : nullptr;
}

std::string callee_name(const Node& call) {
  CXCursor callee = clang_getCursorReferenced(call.cursor);
  return clang_Cursor_isNull(callee) ? "" : qualified_name(callee);
}

// Leaves the enclosing statement sequence (for parent-side early exits).
bool leaves(const Node& stmt) {
  switch (stmt.kind) {
    case CXCursor_ReturnStmt:
    case CXCursor_GotoStmt:
    case CXCursor_BreakStmt:
    case CXCursor_ContinueStmt:
      return true;
    case CXCursor_CompoundStmt:
      return !stmt.children.empty() && leaves(stmt.children.back());
    case CXCursor_IfStmt:
      return stmt.children.size() == 3 && leaves(stmt.children[1]) && leaves(stmt.children[2]);
    default:
      break;
  }
  const Node* call = called_function_node(stmt);
  if (!call) return false;
  std::string name = callee_name(*call);
  return ends_process(name) || is_exit(name);
}

class Finder {
 public:
  Finder(const Node& function, std::string name, const Node& fork_call, std::string kind)
      : function_(function), name_(std::move(name)), fork_call_(fork_call) {
    site_.window.kind = std::move(kind);
    site_.window.fork_site = location_of(fork_call.cursor);
    site_.window.fork_site.function = name_;
  }

  WindowSite run(const std::vector<const Node*>& path) {
    // The statement holding the fork, and the sequence it sits in.
    size_t anchor = path.size();
    for (size_t i = path.size(); i-- > 1;) {
      if (path[i - 1]->kind == CXCursor_CompoundStmt) {
        anchor = i;
        break;
      }
    }
    if (anchor == path.size()) return site_;
    note_pid_variable(*path[anchor]);
    const Node& block = *path[anchor - 1];
    Sequence siblings = as_sequence(block);
    size_t index = 0;
    while (siblings[index] != path[anchor]) ++index;
    // A test on the fork result right in the statement that forks.
    Flow flow = Flow::mixed;
    for (size_t i = anchor; i < path.size() - 1 && flow == Flow::mixed; ++i) {
      const Node& n = *path[i];
      bool fork_in_condition = !n.children.empty() && path[i + 1] == &n.children[0];
      if (fork_in_condition && (n.kind == CXCursor_IfStmt || n.kind == CXCursor_SwitchStmt)) {
        flow = statement(n, Flow::mixed);
        break;
      }
    }
    if (flow == Flow::mixed) flow = sequence(siblings, index + 1, Flow::mixed);
    else if (flow == Flow::child_continues) flow = sequence(siblings, index + 1, Flow::child_continues);
    if (flow == Flow::child_continues) {
      bool body = &block == &function_.children.back();
      finish(body ? (name_ == "main" ? WindowEnd::exits : WindowEnd::returns) : WindowEnd::unknown,
             end_location_of(block.cursor));
    }
    return site_;
  }

 private:
  void note_pid_variable(const Node& stmt) {
    // pid_t pid = fork();  or  pid = fork();  (anywhere in the statement)
    if (stmt.kind == CXCursor_DeclStmt) {
      for (const Node& decl : stmt.children) {
        if (decl.kind == CXCursor_VarDecl && contains_fork(decl)) pid_ = decl.cursor;
      }
    }
    find_assignment(stmt);
  }

  void find_assignment(const Node& n) {
    if (n.kind == CXCursor_BinaryOperator && n.children.size() == 2 && is_fork(strip(n.children[1])) &&
        operator_of(n) == "=") {
      pid_ = clang_getCursorReferenced(strip(n.children[0]).cursor);
      return;
    }
    for (const Node& child : n.children) find_assignment(child);
  }

  bool is_fork(const Node& n) const { return clang_equalCursors(n.cursor, fork_call_.cursor); }

  bool contains_fork(const Node& n) const {
    if (is_fork(n)) return true;
    for (const Node& child : n.children) {
      if (contains_fork(child)) return true;
    }
    return false;
  }

  // The fork result itself: the call, the pid variable, or (pid = fork()).
  bool is_pid(const Node& node) const {
    const Node& n = strip(node);
    if (is_fork(n)) return true;
    if ((n.kind == CXCursor_DeclRefExpr || n.kind == CXCursor_MemberRefExpr) && !clang_Cursor_isNull(pid_)) {
      return clang_equalCursors(clang_getCursorReferenced(n.cursor), pid_);
    }
    return n.kind == CXCursor_BinaryOperator && n.children.size() == 2 && is_pid(n.children[1]) &&
           operator_of(n) == "=";
  }

  Side side_of(const Node& condition) const {
    const Node& c = strip(condition);
    if (is_pid(c)) return Side::child_else;  // if (pid): the parent
    if (c.kind == CXCursor_UnaryOperator && c.children.size() == 1 && is_pid(c.children[0])) {
      return operator_of(c) == "!" ? Side::child_then : Side::unknown;
    }
    if (c.kind != CXCursor_BinaryOperator || c.children.size() != 2) return Side::unknown;
    bool pid_left = is_pid(c.children[0]);
    if (!pid_left && !is_pid(c.children[1])) return Side::unknown;
    auto value = constant_value(c.children[pid_left ? 1 : 0]);
    if (!value) return Side::unknown;
    std::string op = operator_of(c);
    if (!pid_left) {  // 0 < pid  ->  pid > 0
      if (op == "<") op = ">";
      else if (op == ">") op = "<";
      else if (op == "<=") op = ">=";
      else if (op == ">=") op = "<=";
    }
    long long v = *value;
    if (v == 0 && op == "==") return Side::child_then;
    if (v == 0 && (op == "!=" || op == ">")) return Side::child_else;
    if ((v == 0 && op == "<") || (v == -1 && (op == "==" || op == "<="))) return Side::error_then;
    if (v == -1 && op == "!=") return Side::unknown;
    return Side::unknown;
  }

  void finish(WindowEnd end, Location where) {
    site_.window.end = end;
    site_.window.end_where = std::move(where);
    site_.window.end_where.function = name_;
  }

  // A statement in the child's path: add it and tell whether the child ends there.
  Flow child_statement(const Node& stmt) {
    if (stmt.kind == CXCursor_CompoundStmt) return sequence(as_sequence(stmt), 0, Flow::child_continues);
    if (stmt.kind == CXCursor_LabelStmt && stmt.children.size() == 1) return child_statement(stmt.children[0]);
    site_.region.push_back(&stmt);
    switch (stmt.kind) {
      case CXCursor_ReturnStmt:
        finish(name_ == "main" ? WindowEnd::exits : WindowEnd::returns, location_of(stmt.cursor));
        return Flow::done;
      case CXCursor_BreakStmt:
        finish(WindowEnd::returns, location_of(stmt.cursor));
        return Flow::done;
      case CXCursor_GotoStmt:
      case CXCursor_ContinueStmt:
        finish(WindowEnd::unknown, location_of(stmt.cursor));
        return Flow::done;
      default:
        break;
    }
    if (const Node* call = called_function_node(stmt)) {
      std::string name = callee_name(*call);
      if (ends_process(name) || is_exit(name)) {
        finish(is_exit(name) ? WindowEnd::exits : WindowEnd::terminates, location_of(call->cursor));
        return Flow::done;
      }
      // Judged at link time: does this function end the process?
      Call c;
      if (call_of(*call, name_, &c)) {
        site_.window.end_call = c.usr;
        site_.window.end_call_name = c.name;
      }
      return Flow::child_continues;
    }
    site_.window.end_call.clear();
    site_.window.end_call_name.clear();
    return Flow::child_continues;
  }

  // The child-only branch of a test; `other_leaves`: the other branch leaves.
  Flow child_branch(const Node& branch, bool other_leaves, const Node& test) {
    Flow f = child_statement(branch);
    if (f == Flow::done) return Flow::done;
    if (other_leaves) return Flow::child_continues;
    // The child falls out of its branch into code the parent runs too.
    finish(WindowEnd::returns, end_location_of(test.cursor));
    return Flow::done;
  }

  Flow statement(const Node& stmt, Flow state) {
    if (state == Flow::child_continues) return child_statement(stmt);
    if (stmt.kind == CXCursor_CompoundStmt) return sequence(as_sequence(stmt), 0, Flow::mixed);
    if (stmt.kind == CXCursor_SwitchStmt && stmt.children.size() == 2 && is_pid(stmt.children[0])) {
      return switch_case_zero(stmt.children[1]);
    }
    if (stmt.kind != CXCursor_IfStmt || stmt.children.size() < 2 || stmt.children.size() > 3) return Flow::mixed;
    const Node& then_branch = stmt.children[1];
    const Node* else_branch = stmt.children.size() == 3 ? &stmt.children[2] : nullptr;
    switch (side_of(stmt.children[0])) {
      case Side::child_then:
        return child_branch(then_branch, else_branch && leaves(*else_branch), stmt);
      case Side::child_else:
        if (else_branch) return child_branch(*else_branch, leaves(then_branch), stmt);
        return leaves(then_branch) ? Flow::child_continues : Flow::mixed;
      case Side::error_then:
        if (else_branch) {
          Flow f = statement(*else_branch, Flow::mixed);
          if (f == Flow::mixed) return Flow::mixed;
          return f;
        }
        return Flow::mixed;
      case Side::unknown: {
        Flow f = statement(then_branch, Flow::mixed);
        if (f == Flow::mixed && else_branch) f = statement(*else_branch, Flow::mixed);
        return f == Flow::mixed ? Flow::mixed : Flow::done;
      }
    }
    return Flow::mixed;
  }

  Flow sequence(const Sequence& stmts, size_t from, Flow state) {
    for (size_t i = from; i < stmts.size(); ++i) {
      state = statement(*stmts[i], state);
      if (state == Flow::done) return Flow::done;
    }
    return state;
  }

  // switch (pid) { case 0: ... } : the statements from case 0 to the next break.
  Flow switch_case_zero(const Node& body) {
    Sequence stmts = as_sequence(body);
    for (size_t i = 0; i < stmts.size(); ++i) {
      const Node& s = *stmts[i];
      if (s.kind != CXCursor_CaseStmt || s.children.size() != 2 || constant_value(s.children[0]) != 0) continue;
      Flow f = child_statement(s.children[1]);
      for (size_t j = i + 1; f == Flow::child_continues && j < stmts.size(); ++j) {
        if (stmts[j]->kind == CXCursor_CaseStmt || stmts[j]->kind == CXCursor_DefaultStmt) {
          finish(WindowEnd::unknown, location_of(stmts[j]->cursor));  // falls into another case
          return Flow::done;
        }
        f = child_statement(*stmts[j]);
      }
      if (f == Flow::child_continues) finish(WindowEnd::returns, end_location_of(body.cursor));
      return Flow::done;
    }
    return Flow::mixed;
  }

  const Node& function_;
  std::string name_;
  const Node& fork_call_;
  CXCursor pid_ = clang_getNullCursor();
  WindowSite site_;
};

void find_fork_calls(const Node& node, std::vector<const Node*>& path, const std::set<std::string>& fork_like,
                     std::vector<std::pair<std::vector<const Node*>, std::string>>* out) {
  if (node.kind == CXCursor_LambdaExpr) return;
  path.push_back(&node);
  if (node.kind == CXCursor_CallExpr) {
    std::string name = callee_name(node);
    if (fork_like.count(name)) out->push_back({path, name == "vfork" || name == "_Fork" ? name : "fork"});
    if (name == "clone") out->push_back({path, "clone"});
  }
  for (const Node& child : node.children) find_fork_calls(child, path, fork_like, out);
  path.pop_back();
}

// clone(fn, stack, flags, arg): fn's whole body is the window.
WindowSite clone_window(const Node& call, const std::string& caller) {
  WindowSite site;
  site.window.kind = "clone";
  site.window.fork_site = location_of(call.cursor);
  site.window.fork_site.function = caller;
  site.window.end = WindowEnd::terminates;  // returning from fn ends the child
  if (call.children.size() >= 2) {
    CXCursor fn = clang_getCursorReferenced(strip(call.children[1]).cursor);
    if (!clang_Cursor_isNull(fn) && is_function_like(clang_getCursorKind(fn))) {
      site.window.entry_usr = usr(fn);
      site.window.entry_name = qualified_name(fn);
    }
  }
  return site;
}

}  // namespace

std::vector<WindowSite> find_windows(const Node& function, const std::string& name,
                                     const std::set<std::string>& fork_like) {
  std::vector<WindowSite> out;
  if (function.children.empty() || function.children.back().kind != CXCursor_CompoundStmt) return out;
  std::vector<const Node*> path;
  std::vector<std::pair<std::vector<const Node*>, std::string>> forks;
  find_fork_calls(function.children.back(), path, fork_like, &forks);
  for (auto& [fork_path, kind] : forks) {
    if (kind == "clone") {
      out.push_back(clone_window(*fork_path.back(), name));
      continue;
    }
    Finder finder(function, name, *fork_path.back(), kind);
    WindowSite site = finder.run(fork_path);
    if (!site.region.empty() || site.window.end != WindowEnd::unknown) out.push_back(std::move(site));
  }
  return out;
}

}  // namespace forksafe::analyzer
