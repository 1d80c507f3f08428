// Finds the fork-to-exec windows of one function: the statements that run on
// the child side of each fork(), vfork(), _Fork() (and configured fork-like
// functions), recognising the idioms real code uses (if (pid == 0), if (!pid),
// if ((pid = fork()) == 0), switch (fork()) case 0, the else of
// if (pid > 0), an early return on the parent side ...), and clone()'s
// child function.
#pragma once

#include <set>
#include <string>
#include <vector>

#include "analyzer/ast_tree.h"
#include "analyzer/summary.h"

namespace forksafe::analyzer {

struct WindowSite {
  Window window;
  std::vector<const Node*> region;  // the child-side statements, in order
};

// `function` is the tree of a function definition; `name` its qualified name.
std::vector<WindowSite> find_windows(const Node& function, const std::string& name,
                                     const std::set<std::string>& fork_like);

// Library calls after which the process is gone, the ones that exit through
// atexit, and exec (which returns when it fails: what follows is still in the
// window, and a child that returns after it is a fork-no-exec).
bool ends_process(const std::string& name);
bool is_exit(const std::string& name);
bool is_exec(const std::string& name);

}  // namespace forksafe::analyzer
