// How the runner judges a cell, from outside the program: did it exit, how,
// and what did it print.
#pragma once

#include <string>

namespace forksafe::scenarios {

struct Observation {
  bool timed_out = false;   // the program had not exited when the timeout came
  int wait_status = 0;      // waitpid status, when it exited
  std::string out, err;     // what the cell wrote on stdout and stderr
  std::string leaked_pipe;  // find_leaked_pipe() at the timeout, if anything
};

struct Verdict {
  std::string outcome;  // "ok", "deadlock", "duplicate-output", "leaked-fd", "crash", "error", "findings"
  std::string detail;   // one line on what was observed
};

// timed out: "leaked-fd" when a pipe leaked to a command keeps it waiting,
// else "deadlock"; killed by a signal: "crash"; nonzero exit: "error"; a
// stdout line starting "once: " printed more than once: "duplicate-output";
// else "ok".
//
// Under `forksafe run` (a wrapper, docs/injector.md) exit status 1 with its
// summary saying the command exited 0 and naming what it "fails on" is the
// injector's verdict, not the program's: a runtime-deadlock there (its
// watchdog killed the stuck child) is "deadlock"; otherwise the program's own
// behaviour is judged, and a program that behaved but has findings is
// "findings". The summary's line is kept in the detail.
Verdict classify(const Observation& observation);

}  // namespace forksafe::scenarios
