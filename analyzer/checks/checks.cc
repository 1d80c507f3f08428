#include "analyzer/checks/check.h"

#include "common/rules.h"

namespace forksafe::analyzer {

void check_unsafe_call(const Program&, const WindowFacts&, std::vector<Finding>*);
void check_indirect_call(const Program&, const WindowFacts&, std::vector<Finding>*);
void check_exit(const Program&, const WindowFacts&, std::vector<Finding>*);
void check_vfork_child(const Program&, const WindowFacts&, std::vector<Finding>*);
void check_no_exec(const Program&, const WindowFacts&, std::vector<Finding>*);

std::span<const Check> all_checks() {
  static const Check kChecks[] = {
      {"fork-unsafe-call", check_unsafe_call}, {"fork-indirect-call", check_indirect_call},
      {"fork-exit", check_exit},               {"vfork-child", check_vfork_child},
      {"fork-no-exec", check_no_exec},
  };
  return kChecks;
}

std::string quoted(const std::string& name) { return "'" + name + "'"; }

std::string child_of(const Window& window) {
  return window.kind == "clone" ? "the child function of clone()" : "the child of " + window.kind + "()";
}

Finding window_finding(std::string_view rule_id, const Window& window, const Chain& chain, std::string message) {
  const Rule* rule = find_rule(rule_id);
  Finding f;
  f.rule = std::string(rule_id);
  f.level = rule->default_level;
  f.message = std::move(message);
  f.fix = std::string(rule->fix);
  f.location = chain.empty() ? window.fork_site : chain.front()->where;
  std::string start = window.kind == "clone" ? "clone() starts " + window.entry_name + "() as the child"
                                             : "child side of " + window.kind + "() starts here";
  f.chain.push_back({window.fork_site, start});
  for (const Call* c : chain) f.chain.push_back({c->where, "calls " + c->name + "()"});
  f.properties = {{"window", window.kind}};
  if (!chain.empty()) f.properties["callee"] = chain.back()->name;
  return f;
}

void leaf_findings(std::string_view rule, const WindowFacts& facts, const std::vector<Leaf>& leaves,
                   Finding (*make)(const WindowFacts&, const Leaf&), std::vector<Finding>* out) {
  for (size_t i = 0; i < leaves.size() && i < kMaxLeavesPerWindow; ++i) out->push_back(make(facts, leaves[i]));
  if (leaves.size() <= kMaxLeavesPerWindow) return;
  Finding more = window_finding(rule, facts.window, {},
                                "and " + std::to_string(leaves.size() - kMaxLeavesPerWindow) + " more calls like the " +
                                    std::to_string(kMaxLeavesPerWindow) + " above reached from " + child_of(facts.window));
  more.level = Level::note;
  out->push_back(std::move(more));
}

}  // namespace forksafe::analyzer
