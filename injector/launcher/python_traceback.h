// The Python traceback a CPython child's records carry (CPython's
// faulthandler text, from _Py_DumpTraceback), in the program's own terms.
#pragma once

#include <string>
#include <vector>

namespace forksafe::launcher {

struct PythonFrame {
  std::string file;
  int line = 0;
  std::string function;
};

// `  File "PATH", line N in FUNCTION` lines, innermost first as CPython writes them.
std::vector<PythonFrame> parse_python_traceback(const std::string& text);

// "Class.function" when the source file shows the function defined directly
// in a class (a finalizer is a method: SshPeer.__del__), else the function.
std::string qualified_name(const PythonFrame& frame);

}  // namespace forksafe::launcher
