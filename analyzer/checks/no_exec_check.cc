// fork-no-exec: a child path that neither execs nor _exits returns into code
// written for the parent. One finding per window, every such path as a step.
#include "analyzer/checks/check.h"

namespace forksafe::analyzer {

void check_no_exec(const Program& program, const WindowFacts& facts, std::vector<Finding>* out) {
  const Window& w = facts.window;
  Finding f = window_finding("fork-no-exec", w, {},
                             "the child of " + w.kind + "() in " + quoted(w.fork_site.function) +
                                 " can continue into code written for the parent (no exec, or no _exit after a failed exec)");
  for (const WindowLeave& leave : w.leaves) {
    if (leave.how != WindowEnd::returns) continue;
    if (!leave.last_call.empty() && program.ends_process(leave.last_call)) continue;
    bool seen = false;
    for (const Step& step : f.chain) seen = seen || (step.location.line == leave.where.line && step.location.file == leave.where.file);
    if (!seen) f.chain.push_back({leave.where, "the child path leaves here"});
  }
  if (f.chain.size() > 1) out->push_back(std::move(f));
}

}  // namespace forksafe::analyzer
