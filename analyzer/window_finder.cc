#include "analyzer/window_finder.h"

#include <clang/AST/ExprCXX.h>
#include <clang/AST/StmtCXX.h>
#include <clang/Analysis/Analyses/Dominators.h>
#include <clang/Basic/Builtins.h>
#include <clang/Lex/Lexer.h>

#include <climits>
#include <deque>
#include <optional>

#include "analyzer/call_extractor.h"
#include "analyzer/clang_names.h"
#include "analyzer/places.h"
#include "analyzer/process_calls.h"

namespace forksafe::analyzer {
namespace {

using namespace clang;

// The truth of a condition in one process: false, true, or either.
constexpr uint8_t kFalse = 1, kTrue = 2, kEither = 3;
// Which processes can be at a point.
constexpr uint8_t kChild = 1, kParent = 2;

uint8_t truth(bool b) { return b ? kTrue : kFalse; }
uint8_t flip(uint8_t t) { return static_cast<uint8_t>(((t & kFalse) ? kTrue : 0) | ((t & kTrue) ? kFalse : 0)); }

// What a tracked place or an expression holds: the fork result itself (0 in
// the child, -1 or a pid), a boolean derived from it, or what a fork-like
// function returns to the child (start_proc(&p) returns 0 in the child).
struct Val {
  enum Kind : uint8_t { none, fork_result, boolean, child_value } kind = none;
  uint8_t child = kEither, parent = kEither;  // a boolean's truth in each process
  long long value = 0;                        // child_value
  bool operator==(const Val&) const = default;
};

struct State {
  bool reached = false;  // some process is here after the fork
  uint8_t sides = 0;
  std::map<std::string, Val> places;
  std::string last_call, last_call_name;  // the last call made on the way here
  // The child has fallen into code the parent runs too: it is not window code,
  // and unless the child gets out of it (a later test, an _exit, returning the
  // fork result), it left the window where it fell.
  bool fallen = false;
  Location fell_at;
  bool execed = false;  // the child called exec on the way: it meant to leave by exec
  std::string fell_after, fell_after_name;  // the last call before it fell
  bool operator==(const State&) const = default;
};

struct Site {
  const CallExpr* call;
  std::string kind;
  std::optional<std::string> out_place;  // set: the result lands there (a fork-like function's pointer argument)
  std::optional<long long> child_return;  // with out_place: what the call returns in the child, when known
  long long child_value = 0;              // the fork result in the child
};

bool compare(long long x, BinaryOperatorKind op, long long c) {
  switch (op) {
    case BO_EQ: return x == c;
    case BO_NE: return x != c;
    case BO_LT: return x < c;
    case BO_GT: return x > c;
    case BO_LE: return x <= c;
    case BO_GE: return x >= c;
    default: return false;
  }
}

BinaryOperatorKind mirrored(BinaryOperatorKind op) {
  switch (op) {
    case BO_LT: return BO_GT;
    case BO_GT: return BO_LT;
    case BO_LE: return BO_GE;
    case BO_GE: return BO_LE;
    default: return op;
  }
}

Val as_bool(Val v) {
  if (v.kind == Val::fork_result) return {Val::boolean, truth(v.value != 0), kTrue};
  return v;
}

Val logical(BinaryOperatorKind op, Val a, Val b) {
  if (a.kind == Val::none && b.kind == Val::none) return {};
  a = as_bool(a);
  b = as_bool(b);
  auto side = [&](uint8_t x, uint8_t y) -> uint8_t {
    if (op == BO_LAnd) return static_cast<uint8_t>(((x & kTrue) && (y & kTrue) ? kTrue : 0) | ((x & kFalse) || (y & kFalse) ? kFalse : 0));
    return static_cast<uint8_t>(((x & kTrue) || (y & kTrue) ? kTrue : 0) | ((x & kFalse) && (y & kFalse) ? kFalse : 0));
  };
  return {Val::boolean, side(a.child, b.child), side(a.parent, b.parent)};
}

// The truth of `v op c`: the child's value is 0, the parent's -1 or a pid.
Val compared(Val v, BinaryOperatorKind op, long long c) {
  if (v.kind == Val::fork_result) {
    Val r{Val::boolean, truth(compare(v.value, op, c)), 0};
    for (long long x : {-1LL, 1LL, c - 1, c, c + 1, LLONG_MAX / 4}) {
      if (x == -1 || x >= 1) r.parent |= truth(compare(x, op, c));
    }
    return r;
  }
  if (v.kind == Val::child_value) return {Val::boolean, truth(compare(v.value, op, c)), kEither};
  if (v.kind == Val::boolean && (op == BO_EQ || op == BO_NE) && (c == 0 || c == 1)) {
    bool same = (op == BO_EQ) == (c == 1);
    return same ? v : Val{Val::boolean, flip(v.child), flip(v.parent)};
  }
  return {};
}

std::string source_text(const Expr* e, const ASTContext& ctx) {
  const SourceManager& sm = ctx.getSourceManager();
  CharSourceRange range = CharSourceRange::getTokenRange(sm.getFileLoc(e->getBeginLoc()), sm.getFileLoc(e->getEndLoc()));
  return Lexer::getSourceText(range, sm, ctx.getLangOpts()).str();
}

// How the caller's child gets the result from a tracked place at return:
// "arg:N..." through pointer parameter N, "this..." in the object.
std::string channel_of(const std::string& key, bool method) {
  if (key.rfind("*p", 0) == 0) {
    size_t digits = key.find_first_not_of("0123456789", 2);
    if (digits == 2) return "";
    return "arg:" + key.substr(2, digits - 2) + (digits == std::string::npos ? "" : key.substr(digits));
  }
  if (method && key.rfind("this.", 0) == 0) return key;
  return "";
}

// Where a fork-like function's result lands in its caller, for a channel
// (without its "=N" suffix, see child_return_of).
std::optional<std::string> landing_place(const CallExpr* call, std::string channel) {
  channel = channel.substr(0, channel.find('='));
  if (channel.rfind("arg:", 0) == 0) {
    size_t end = channel.find_first_not_of("0123456789", 4);
    unsigned index = static_cast<unsigned>(std::stoul(channel.substr(4, end - 4)));
    if (index >= call->getNumArgs()) return std::nullopt;
    auto base = pointee_of(call->getArg(index));
    if (!base) return std::nullopt;
    return *base + (end == std::string::npos ? "" : channel.substr(end));
  }
  if (channel.rfind("this", 0) == 0) {
    const auto* member_call = dyn_cast<CXXMemberCallExpr>(call);
    if (!member_call) return std::nullopt;
    const Expr* object = member_call->getImplicitObjectArgument();
    const auto* callee = dyn_cast<MemberExpr>(member_call->getCallee()->IgnoreParens());
    auto base = callee && callee->isArrow() ? pointee_of(object) : place_of(object);
    if (!base) return std::nullopt;
    return *base + channel.substr(4);
  }
  return std::nullopt;
}

// "arg:0.pid=0": the function returns 0 to the child.
std::optional<long long> child_return_of(const std::string& channel) {
  auto equals = channel.find('=');
  if (equals == std::string::npos) return std::nullopt;
  return std::stoll(channel.substr(equals + 1));
}

// Does this call end the process (no return to the code after it)?
bool ends(const CallExpr* call, const ForkKnowledge& known) {
  const FunctionDecl* fn = call->getDirectCallee();
  if (!fn) return false;
  if (fn->isNoReturn()) return true;
  if (ends_process(c_function_name(fn))) return true;
  return !known.never_return.empty() && known.never_return.count(usr_of(fn));
}

template <typename F>
void for_each_stmt(const CFG& cfg, F f) {
  for (const CFGBlock* block : cfg) {
    for (const CFGElement& e : *block) {
      if (auto s = e.getAs<CFGStmt>()) f(s->getStmt());
    }
  }
}

class WindowFlow {
 public:
  WindowFlow(const FunctionDecl* fn, const std::string& name, const CFG& cfg, ASTContext& ctx,
             const ForkKnowledge& known, const Site& site)
      : fn_(fn), name_(name), cfg_(cfg), ctx_(ctx), known_(known), site_(site) {}

  struct Result {
    std::vector<std::pair<unsigned, const CFGElement*>> elements;  // (key, element) in the child window
    std::vector<std::pair<unsigned, WindowLeave>> leaves;
    std::vector<std::pair<unsigned, VforkWrite>> writes;
    std::string channel;
  };

  Result run() {
    solve();
    Result r;
    result_ = &r;
    for (const CFGBlock* b : cfg_) {
      if (b == &cfg_.getExit()) continue;  // returns and falling off the end are seen where they happen
      State s = entry_state(*b);
      bool returned = false;
      s = transfer(*b, std::move(s), &returned);
      // Falling off the end of the function (no return statement).
      std::vector<State> edges = edge_states(*b, s);
      unsigned i = 0;
      for (const CFGBlock::AdjacentBlock& succ : b->succs()) {
        const State& edge = edges[i++];
        if (succ.getReachableBlock() == &cfg_.getExit() && edge.reached && (edge.sides & kChild) && !returned) {
          // An exception thrown out of the child unwinds into the caller's
          // code (out of main it terminates the process); a try's dispatch
          // to the exit is for exception types no handler takes: not judged.
          const Stmt* term = b->getTerminatorStmt();
          if (term && isa<CXXTryStmt>(term)) continue;
          const CXXThrowExpr* thrown = thrown_in(*b);
          if (thrown && fn_->isMain()) continue;
          child_exits(key(*b, b->size()), nullptr, where((thrown ? thrown : fn_->getBody())->getEndLoc()), edge);
        }
      }
    }
    result_ = nullptr;
    return r;
  }

 private:
  static unsigned key(const CFGBlock& b, unsigned index) { return (b.getBlockID() << 16) | index; }

  void solve() {
    out_.assign(cfg_.getNumBlockIDs(), {});
    std::deque<const CFGBlock*> work(cfg_.begin(), cfg_.end());
    std::vector<bool> queued(cfg_.getNumBlockIDs(), true);
    size_t budget = 50 * (cfg_.getNumBlockIDs() + 1);  // a bound for pathological graphs
    while (!work.empty() && budget-- > 0) {
      const CFGBlock* b = work.front();
      work.pop_front();
      queued[b->getBlockID()] = false;
      State s = transfer(*b, entry_state(*b), nullptr);
      std::vector<State> edges = edge_states(*b, s);
      std::vector<State>& old = out_[b->getBlockID()];
      if (old == edges) continue;
      old = std::move(edges);
      for (const CFGBlock::AdjacentBlock& succ : b->succs()) {
        const CFGBlock* next = succ.getReachableBlock();
        if (next && !queued[next->getBlockID()]) {
          queued[next->getBlockID()] = true;
          work.push_back(next);
        }
      }
    }
  }

  // The join of the states flowing into b. A child that has been told apart
  // from the parent and meets it again falls into the parent's code.
  State entry_state(const CFGBlock& b) const {
    State in;
    bool child_only = false, parent_only = false, both = false;
    const State* child_path = nullptr;
    for (auto it = b.pred_begin(); it != b.pred_end(); ++it) {
      const CFGBlock* pred = it->getReachableBlock();
      if (!pred || out_[pred->getBlockID()].empty()) continue;
      unsigned i = 0;
      for (const CFGBlock::AdjacentBlock& succ : pred->succs()) {
        const State& s = out_[pred->getBlockID()][i++];
        if (succ.getReachableBlock() != &b || !s.reached) continue;
        if (s.sides == kChild && !s.fallen) {
          child_only = true;
          child_path = &s;
        } else if (s.sides == kParent || s.fallen) {  // a fallen child runs the parent's code
          parent_only = true;
        } else {
          both = true;
        }
        join(in, s);
      }
    }
    if (child_only && parent_only && !both && !child_path->fallen) {
      in.fallen = true;
      in.fell_at = block_location(b);
      in.fell_after = child_path->last_call;
      in.fell_after_name = child_path->last_call_name;
    }
    return in;
  }

  static void join(State& into, const State& s) {
    if (!into.reached) {
      into = s;
      return;
    }
    if (!(into.sides & kChild) && s.fallen) {
      into.fallen = true;
      into.fell_at = s.fell_at;
      into.fell_after = s.fell_after;
      into.fell_after_name = s.fell_after_name;
    }
    bool into_child_not_fallen = (into.sides & kChild) && !into.fallen;
    into.sides |= s.sides;
    if (into_child_not_fallen) into.fallen = false;
    for (auto it = into.places.begin(); it != into.places.end();) {
      auto other = s.places.find(it->first);
      it = other != s.places.end() && other->second == it->second ? std::next(it) : into.places.erase(it);
    }
    if (into.last_call != s.last_call) into.last_call.clear(), into.last_call_name.clear();
    into.execed |= s.execed;
    // Fallen only if every path that brings the child here fell.
    bool s_child = s.sides & kChild;
    if (s_child && !s.fallen) into.fallen = false;
  }

  Location block_location(const CFGBlock& b) const {
    for (const CFGElement& e : b) {
      if (auto s = e.getAs<CFGStmt>()) return where(s->getStmt()->getBeginLoc());
    }
    if (const Stmt* t = b.getTerminatorStmt()) return where(t->getBeginLoc());
    return where(fn_->getBody()->getEndLoc());
  }

  Location where(SourceLocation at) const {
    Location l = location_of(at, ctx_.getSourceManager());
    l.function = name_;
    return l;
  }

  // The state after b's elements. `returned` set: collect the window (and
  // whether b returns) on the way.
  State transfer(const CFGBlock& b, State s, bool* returned) {
    unsigned index = 0;
    for (const CFGElement& e : b) {
      unsigned k = key(b, index++);
      auto cs = e.getAs<CFGStmt>();
      const Stmt* st = cs ? cs->getStmt() : nullptr;
      if (st == site_.call) {
        s = State{};
        s.reached = true;
        s.sides = kChild | kParent;
        if (site_.out_place) s.places[*site_.out_place] = {Val::fork_result};
        continue;
      }
      if (!s.reached) continue;
      if (returned && (s.sides & kChild)) {
        if (!s.fallen) result_->elements.push_back({k, &e});
        if (st) *returned |= collect_statement(k, st, s);
      }
      if (!st) continue;
      update(st, s);
      if (const auto* call = dyn_cast<CallExpr>(st)) {
        if (const FunctionDecl* callee = call->getDirectCallee(); callee && !callee->getBuiltinID()) {
          s.last_call = usr_of(callee);
          s.last_call_name = qualified_name(callee);
          s.execed |= is_exec(c_function_name(callee));
        }
        if (ends(call, known_)) return State{};
      }
    }
    if (b.hasNoReturnElement()) return State{};
    return s;
  }

  // A statement in the child window: returns, and vfork's writes. True for a return.
  bool collect_statement(unsigned k, const Stmt* st, const State& s) {
    if (const auto* ret = dyn_cast<ReturnStmt>(st)) {
      child_exits(k, ret->getRetValue(), where(ret->getBeginLoc()), s);
      return true;
    }
    if (site_.kind != "vfork" || s.fallen) return false;
    if (const auto* decl = dyn_cast<DeclStmt>(st)) {
      for (const Decl* d : decl->decls()) declared_in_child_.insert(d);
      return false;
    }
    const Expr* target = nullptr;
    if (const auto* b = dyn_cast<BinaryOperator>(st); b && b->isAssignmentOp()) {
      if (eval(b->getRHS(), s).kind == Val::fork_result) return false;  // pid = vfork(): the child stores its result
      target = b->getLHS();
    }
    if (const auto* u = dyn_cast<UnaryOperator>(st); u && u->isIncrementDecrementOp()) target = u->getSubExpr();
    if (!target) return false;
    const Expr* t = skip(target);
    if (const auto* ref = dyn_cast<DeclRefExpr>(t); ref && declared_in_child_.count(ref->getDecl())) return false;
    auto p = place_of(t);
    if (p && s.places.count(*p)) return false;  // the variable that holds the vfork result
    result_->writes.push_back({k, {where(st->getBeginLoc()), source_text(target, ctx_)}});
    return false;
  }

  // The child returns (or falls off the end): a fork-like function's way of
  // handing the result to its caller, or a leave.
  void child_exits(unsigned k, const Expr* value, Location at, const State& s) {
    std::string channel;
    if (value && eval(value, s).kind == Val::fork_result) channel = "return";
    for (const auto& [place, v] : s.places) {
      if (channel.empty() && v.kind == Val::fork_result) channel = channel_of(place, isa<CXXMethodDecl>(fn_));
    }
    // A child that tried exec and returns the fork result is a failed exec
    // falling through, not a fork-like function handing it on.
    if (!channel.empty() && !s.execed) {
      if (channel != "return" && value) {
        if (auto v = child_constant(value, s)) channel += "=" + std::to_string(*v);
      }
      if (result_->channel.empty()) result_->channel = channel;
      return;
    }
    if (s.fallen) return add_leave(k, s.fell_at, s.fell_after, s.fell_after_name);
    add_leave(k, std::move(at), s.last_call, s.last_call_name, fn_->isMain() ? WindowEnd::exits : WindowEnd::returns);
  }

  void add_leave(unsigned k, Location at, const std::string& call, const std::string& call_name,
                 WindowEnd how = WindowEnd::returns) {
    result_->leaves.push_back({k, {how, std::move(at), call, call_name}});
  }

  // What a returned expression is in the child: a constant, or a choice on
  // the fork result (return p->pid < 0 ? -1 : 0).
  std::optional<long long> child_constant(const Expr* e, const State& s) const {
    e = skip(e);
    if (const auto* c = dyn_cast<ConditionalOperator>(e)) {
      Val v = as_bool(eval(c->getCond(), s));
      if (v.kind != Val::boolean || v.child == kEither) return std::nullopt;
      return child_constant(v.child == kTrue ? c->getTrueExpr() : c->getFalseExpr(), s);
    }
    Expr::EvalResult value;
    if (e->isValueDependent() || !e->EvaluateAsInt(value, ctx_)) return std::nullopt;
    return value.Val.getInt().getExtValue();
  }

  void update(const Stmt* st, State& s) const {
    if (const auto* decl = dyn_cast<DeclStmt>(st)) {
      for (const Decl* d : decl->decls()) {
        const auto* var = dyn_cast<VarDecl>(d);
        if (!var) continue;
        assign(var_place(var), var->getType(), var->getInit(), s);
      }
      return;
    }
    if (const auto* b = dyn_cast<BinaryOperator>(st); b && b->isAssignmentOp()) {
      if (auto p = place_of(b->getLHS())) assign(*p, b->getLHS()->getType(), b->getOpcode() == BO_Assign ? b->getRHS() : nullptr, s);
      return;
    }
    if (const auto* u = dyn_cast<UnaryOperator>(st); u && u->isIncrementDecrementOp()) {
      if (auto p = place_of(u->getSubExpr())) assign(*p, u->getType(), nullptr, s);
    }
  }

  void assign(const std::string& place, QualType type, const Expr* value, State& s) const {
    for (auto it = s.places.lower_bound(place); it != s.places.end() && it->first.rfind(place, 0) == 0;) {
      char next = it->first.size() > place.size() ? it->first[place.size()] : 0;
      it = next == 0 || next == '.' || next == '[' ? s.places.erase(it) : std::next(it);
    }
    if (!value) return;
    Val v = eval(value, s);
    if (v.kind == Val::none) return;
    if (type->isBooleanType()) v = as_bool(v);
    s.places[place] = v;
  }

  Val eval(const Expr* e, const State& s) const {
    e = skip(e);
    if (!e) return {};
    if (e == site_.call) {
      if (!site_.out_place) return {Val::fork_result, kEither, kEither, site_.child_value};
      if (site_.child_return) return {Val::child_value, kEither, kEither, *site_.child_return};
      return {};
    }
    if (const auto* block = dyn_cast<StmtExpr>(e)) {  // ({ pid_t p = fork(); ...; p; })
      const CompoundStmt* body = block->getSubStmt();
      const auto* last = body->body_empty() ? nullptr : dyn_cast<Expr>(body->body_back());
      return last ? eval(last, s) : Val{};
    }
    if (const auto* call = dyn_cast<CallExpr>(e)) {
      // exec returns only when it fails, and then -1.
      const FunctionDecl* callee = call->getDirectCallee();
      if (is_exec(c_function_name(callee))) return {Val::child_value, kEither, kEither, -1};
      if (call->getBuiltinCallee() == Builtin::BI__builtin_expect && call->getNumArgs() > 0) return eval(call->getArg(0), s);
      return {};
    }
    if (const auto* b = dyn_cast<BinaryOperator>(e)) {
      switch (b->getOpcode()) {
        case BO_Assign:
        case BO_Comma:
          return eval(b->getRHS(), s);
        case BO_LAnd:
        case BO_LOr:
          return logical(b->getOpcode(), eval(b->getLHS(), s), eval(b->getRHS(), s));
        case BO_EQ: case BO_NE: case BO_LT: case BO_GT: case BO_LE: case BO_GE: {
          Expr::EvalResult value;
          if (!b->getRHS()->isValueDependent() && b->getRHS()->EvaluateAsInt(value, ctx_)) {
            return compared(eval(b->getLHS(), s), b->getOpcode(), value.Val.getInt().getExtValue());
          }
          if (!b->getLHS()->isValueDependent() && b->getLHS()->EvaluateAsInt(value, ctx_)) {
            return compared(eval(b->getRHS(), s), mirrored(b->getOpcode()), value.Val.getInt().getExtValue());
          }
          return {};
        }
        default:
          return {};
      }
    }
    if (const auto* u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_LNot) {
      Val v = as_bool(eval(u->getSubExpr(), s));
      if (v.kind == Val::none) return v;
      return {Val::boolean, flip(v.child), flip(v.parent)};
    }
    if (auto p = place_of(e)) {
      auto it = s.places.find(*p);
      if (it != s.places.end()) return it->second;
    }
    return {};
  }

  static State refined(const State& s, Val condition, bool taken) {
    State out = s;
    uint8_t need = taken ? kTrue : kFalse;
    if (condition.kind == Val::boolean) {
      if (!(condition.child & need)) out.sides &= static_cast<uint8_t>(~kChild);
      if (!(condition.parent & need)) out.sides &= static_cast<uint8_t>(~kParent);
    }
    if (out.sides == 0) return State{};
    if (out.sides == kChild) out.fallen = false;  // told apart again: the child's own code
    return out;
  }

  std::vector<State> edge_states(const CFGBlock& b, const State& s) const {
    std::vector<State> out(b.succ_size());
    if (!s.reached) return out;
    const Stmt* term = b.getTerminatorStmt();
    if (const auto* sw = dyn_cast_or_null<SwitchStmt>(term)) {
      Val v = eval(sw->getCond(), s);
      bool has_zero = false;  // a case for the child's value
      for (const SwitchCase* c = sw->getSwitchCaseList(); c; c = c->getNextSwitchCase()) {
        has_zero |= isa<CaseStmt>(c) && case_value(cast<CaseStmt>(c)) == v.value;
      }
      unsigned i = 0;
      for (const CFGBlock::AdjacentBlock& succ : b.succs()) {
        State& edge = out[i++];
        if (!succ.getReachableBlock()) continue;
        edge = s;
        if (v.kind != Val::fork_result) continue;
        const auto* label = dyn_cast_or_null<CaseStmt>(succ.getReachableBlock()->getLabel());
        std::optional<long long> c = label ? case_value(label) : std::nullopt;
        bool child = label ? c == v.value : !has_zero;
        bool parent = !label || !c || *c == -1 || *c >= 1;
        if (!child) edge.sides &= static_cast<uint8_t>(~kChild);
        if (!parent) edge.sides &= static_cast<uint8_t>(~kParent);
        if (edge.sides == 0) edge = State{};
      }
      return out;
    }
    const Stmt* condition = b.succ_size() == 2 && term ? const_cast<CFGBlock&>(b).getTerminatorCondition() : nullptr;
    Val v = condition ? as_bool(eval(cast<Expr>(condition), s)) : Val{};
    unsigned i = 0;
    for (const CFGBlock::AdjacentBlock& succ : b.succs()) {
      State& edge = out[i];
      if (succ.getReachableBlock()) edge = condition ? refined(s, v, i == 0) : s;
      ++i;
    }
    return out;
  }

  static const CXXThrowExpr* thrown_in(const CFGBlock& b) {
    if (const auto* t = dyn_cast_or_null<CXXThrowExpr>(b.getTerminatorStmt())) return t;
    for (const CFGElement& e : b) {
      auto s = e.getAs<CFGStmt>();
      if (const auto* t = s ? dyn_cast<CXXThrowExpr>(s->getStmt()) : nullptr) return t;
    }
    return nullptr;
  }

  std::optional<long long> case_value(const CaseStmt* c) const {
    Expr::EvalResult value;
    if (c->getRHS() || c->getLHS()->isValueDependent() || !c->getLHS()->EvaluateAsInt(value, ctx_)) return std::nullopt;
    return value.Val.getInt().getExtValue();
  }

  const FunctionDecl* fn_;
  const std::string& name_;
  const CFG& cfg_;
  ASTContext& ctx_;
  const ForkKnowledge& known_;
  const Site& site_;
  std::vector<std::vector<State>> out_;  // per block, the state on each outgoing edge
  Result* result_ = nullptr;
  std::set<const Decl*> declared_in_child_;
};

struct Sites {
  std::vector<Site> forks;
  std::vector<const CallExpr*> clones;
  std::set<const Stmt*> all;  // every fork-like and clone call: the start of a window, not a call in one
};

Sites find_sites(const CFG& cfg, const ForkKnowledge& known, std::set<std::string>* used) {
  Sites out;
  for_each_stmt(cfg, [&](const Stmt* st) {
    const auto* call = dyn_cast<CallExpr>(st);
    if (!call) return;
    if (const FunctionDecl* fn = call->getDirectCallee()) {
      std::string name = fn->getNameAsString();
      if (is_global_c_function(fn)) {
        if (std::string kind = fork_kind(name); !kind.empty()) {
          out.forks.push_back({call, kind, std::nullopt, std::nullopt, child_value_of(kind)});
        } else if (name == "clone") {
          out.clones.push_back(call);
        }
      }
      if (out.forks.empty() || out.forks.back().call != call) {
        auto named = known.names.find(name);
        if (named == known.names.end()) named = known.names.find(qualified_name(fn));
        if (named != known.names.end()) {
          out.forks.push_back({call, "fork", std::nullopt, std::nullopt, named->second});
        } else if (!known.functions.empty()) {
          std::string usr = usr_of(fn);
          if (auto it = known.functions.find(usr); it != known.functions.end()) {
            used->insert(usr);  // considered, even when its result cannot be followed
            auto kind = known.kinds.find(usr);
            std::string k = kind == known.kinds.end() ? "fork" : kind->second;
            if (it->second == "return") {
              out.forks.push_back({call, k, std::nullopt, std::nullopt});
            } else if (auto place = landing_place(call, it->second)) {
              out.forks.push_back({call, k, place, child_return_of(it->second)});
            }
          }
        }
      }
    } else if (const ValueDecl* through = called_through(call); through && !known.pointers.empty()) {
      std::string usr = usr_of(through);
      if (auto it = known.pointers.find(usr); it != known.pointers.end()) {
        used->insert(usr);
        out.forks.push_back({call, it->second, std::nullopt, std::nullopt});
      }
    }
  });
  for (const Site& s : out.forks) out.all.insert(s.call);
  for (const CallExpr* c : out.clones) out.all.insert(c);
  return out;
}

// clone(fn, stack, flags, arg): fn's whole body is the window.
Window clone_window(const CallExpr* call, const std::string& caller, ASTContext& ctx) {
  const SourceManager& sm = ctx.getSourceManager();
  Window w;
  w.kind = "clone";
  w.fork_site = location_of(call->getBeginLoc(), sm);
  w.fork_site.function = caller;
  Expr::EvalResult flags;
  if (call->getNumArgs() >= 3 && !call->getArg(2)->isValueDependent() && call->getArg(2)->EvaluateAsInt(flags, ctx)) {
    w.shared_memory = (flags.Val.getInt().getExtValue() & 0x100) != 0;  // CLONE_VM, as posix_spawn uses
  }
  if (call->getNumArgs() >= 1) {
    if (const auto* ref = dyn_cast<DeclRefExpr>(skip(call->getArg(0)))) {
      if (const auto* fn = dyn_cast<FunctionDecl>(ref->getDecl())) {
        w.entry_usr = usr_of(fn);
        w.entry_name = qualified_name(fn);
      }
    }
  }
  return w;
}

// push_back/emplace_back on a container whose reserve() runs before the fork
// on every path: within the reserved capacity it does not allocate.
class Reserved {
 public:
  explicit Reserved(const CFG& cfg) : cfg_(cfg) {}

  bool covers(const CFGElement& e, const Site& fork) {
    auto s = e.getAs<CFGStmt>();
    const auto* call = s ? dyn_cast<CXXMemberCallExpr>(s->getStmt()) : nullptr;
    const CXXMethodDecl* method = call ? call->getMethodDecl() : nullptr;
    if (!method || (method->getNameAsString() != "push_back" && method->getNameAsString() != "emplace_back")) return false;
    auto object = place_of(call->getImplicitObjectArgument());
    if (!object) return false;
    const CFGBlock* fork_block = block_of(fork.call);
    for (const auto& [block, index, place] : reserves()) {
      if (place != *object || !fork_block) continue;
      if (block == fork_block ? index < index_in(fork_block, fork.call) : dominators().dominates(block, fork_block)) {
        return true;
      }
    }
    return false;
  }

 private:
  struct Reserve {
    const CFGBlock* block;
    unsigned index;
    std::string place;
  };

  const std::vector<Reserve>& reserves() {
    if (reserves_found_) return reserves_;
    reserves_found_ = true;
    for (const CFGBlock* b : cfg_) {
      unsigned i = 0;
      for (const CFGElement& e : *b) {
        auto s = e.getAs<CFGStmt>();
        const auto* call = s ? dyn_cast<CXXMemberCallExpr>(s->getStmt()) : nullptr;
        if (call && call->getMethodDecl() && call->getMethodDecl()->getNameAsString() == "reserve") {
          if (auto p = place_of(call->getImplicitObjectArgument())) reserves_.push_back({b, i, *p});
        }
        ++i;
      }
    }
    return reserves_;
  }

  CFGDomTree& dominators() {
    if (!dominators_) {
      dominators_ = std::make_unique<CFGDomTree>();
      dominators_->buildDominatorTree(const_cast<CFG*>(&cfg_));
    }
    return *dominators_;
  }

  const CFGBlock* block_of(const Stmt* st) const {
    for (const CFGBlock* b : cfg_) {
      if (index_in(b, st) != ~0u) return b;
    }
    return nullptr;
  }

  static unsigned index_in(const CFGBlock* b, const Stmt* st) {
    unsigned i = 0;
    for (const CFGElement& e : *b) {
      auto s = e.getAs<CFGStmt>();
      if (s && s->getStmt() == st) return i;
      ++i;
    }
    return ~0u;
  }

  const CFG& cfg_;
  bool reserves_found_ = false;  // looked up on the first push_back only
  std::vector<Reserve> reserves_;
  std::unique_ptr<CFGDomTree> dominators_;
};

}  // namespace

FunctionWindows find_windows(const FunctionDecl* fn, const std::string& name, const CFG& cfg, ASTContext& ctx,
                             const ForkKnowledge& known) {
  FunctionWindows out;
  Sites sites = find_sites(cfg, known, &out.used);
  const SourceManager& sm = ctx.getSourceManager();
  for (const CallExpr* c : sites.clones) out.windows.push_back(clone_window(c, name, ctx));
  Reserved reserved(cfg);
  std::vector<WindowFlow::Result> results;
  for (const Site& site : sites.forks) results.push_back(WindowFlow(fn, name, cfg, ctx, known, site).run());
  // A fork in a child starts a window of its own: what its child runs is
  // that window's, not the outer one's.
  for (size_t i = 0; i < results.size(); ++i) {
    std::set<unsigned> inner;
    for (size_t j = 0; j < results.size(); ++j) {
      if (i == j) continue;
      bool nested = false;
      for (const auto& [k, e] : results[i].elements) {
        auto s = e->getAs<CFGStmt>();
        nested |= s && s->getStmt() == sites.forks[j].call;
      }
      if (nested) {
        for (const auto& [k, e] : results[j].elements) inner.insert(k);
      }
    }
    WindowFlow::Result& r = results[i];
    const Site& site = sites.forks[i];
    Window w;
    w.kind = site.kind;
    w.shared_memory = site.kind == "vfork";
    w.fork_site = location_of(site.call->getBeginLoc(), sm);
    w.fork_site.function = name;
    for (const auto& [k, e] : r.elements) {
      if (inner.count(k)) continue;
      auto s = e->getAs<CFGStmt>();
      if (s && sites.all.count(s->getStmt())) continue;
      out.in_window.insert(e);
      size_t before = w.calls.size();
      calls_of(*e, ctx, name, &w.calls);
      if (w.calls.size() == before + 1 && reserved.covers(*e, site)) w.calls.back().model = "reserved";
    }
    std::stable_sort(w.calls.begin(), w.calls.end(), [](const Call& a, const Call& b) {
      return std::tie(a.where.file, a.where.line, a.where.column) < std::tie(b.where.file, b.where.line, b.where.column);
    });
    for (auto& [k, leave] : r.leaves) {
      if (!inner.count(k)) w.leaves.push_back(std::move(leave));
    }
    for (auto& [k, write] : r.writes) {
      if (!inner.count(k)) w.writes.push_back(std::move(write));
    }
    if (!r.channel.empty() && out.fork_result.empty()) {
      out.fork_result = r.channel;
      out.fork_kind = site.kind;
    }
    out.windows.push_back(std::move(w));
  }
  return out;
}

std::vector<const CFGBlock*> reachable_blocks(const CFG& cfg) {
  std::vector<bool> seen(cfg.getNumBlockIDs(), false);
  std::vector<const CFGBlock*> out{&cfg.getEntry()};
  seen[cfg.getEntry().getBlockID()] = true;
  for (size_t i = 0; i < out.size(); ++i) {
    for (const CFGBlock::AdjacentBlock& succ : out[i]->succs()) {
      const CFGBlock* next = succ.getReachableBlock();
      if (next && !seen[next->getBlockID()]) {
        seen[next->getBlockID()] = true;
        out.push_back(next);
      }
    }
  }
  return out;
}

bool never_returns(const CFG& cfg, const ForkKnowledge& known) {
  std::vector<bool> seen(cfg.getNumBlockIDs(), false);
  std::vector<const CFGBlock*> work{&cfg.getEntry()};
  seen[cfg.getEntry().getBlockID()] = true;
  while (!work.empty()) {
    const CFGBlock* b = work.back();
    work.pop_back();
    if (b == &cfg.getExit()) return false;
    if (b->hasNoReturnElement()) continue;
    bool stops = false;
    for (const CFGElement& e : *b) {
      auto s = e.getAs<CFGStmt>();
      const auto* call = s ? dyn_cast<CallExpr>(s->getStmt()) : nullptr;
      if (call && ends(call, known)) stops = true;
    }
    if (stops) continue;
    for (const CFGBlock::AdjacentBlock& succ : b->succs()) {
      const CFGBlock* next = succ.getReachableBlock();
      if (next && !seen[next->getBlockID()]) {
        seen[next->getBlockID()] = true;
        work.push_back(next);
      }
    }
  }
  return true;
}

}  // namespace forksafe::analyzer
