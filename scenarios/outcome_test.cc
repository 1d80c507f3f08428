#include "scenarios/outcome.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace sc = forksafe::scenarios;

namespace {

int exited_with(int code) { return code << 8; }  // as waitpid reports it

void expect_verdict(const sc::Observation& o, const std::string& outcome, const std::string& detail) {
  auto verdict = sc::classify(o);
  EXPECT_EQ(verdict.outcome, outcome);
  EXPECT_EQ(verdict.detail, detail);
}

TEST(Classify, TimeoutIsADeadlock) {
  sc::Observation o;
  o.timed_out = true;
  EXPECT_EQ(sc::classify(o).outcome, "deadlock");
}

TEST(Classify, TimeoutWithALeakedPipeIsALeakedFd) {
  sc::Observation o;
  o.timed_out = true;
  o.leaked_pipe = "pid 7 (sleep) holds the program's pipe:[1] as fd 3";
  auto verdict = sc::classify(o);
  EXPECT_EQ(verdict.outcome, "leaked-fd");
  EXPECT_NE(verdict.detail.find("pipe:[1]"), std::string::npos);
}

TEST(Classify, SignalIsACrash) {
  sc::Observation o;
  o.wait_status = SIGSEGV;  // WIFSIGNALED
  EXPECT_EQ(sc::classify(o).outcome, "crash");
}

TEST(Classify, NonzeroExitIsAnErrorWithTheLastStderrLine) {
  sc::Observation o;
  o.wait_status = exited_with(3);
  o.err = "first\ncannot start ssh\n";
  expect_verdict(o, "error", "exit status 3: cannot start ssh");
}

TEST(Classify, RepeatedOnceLineIsDuplicateOutput) {
  sc::Observation o;
  o.out = "once: header\nother\nother\nonce: footer\nonce: header\n";
  expect_verdict(o, "duplicate-output", "'once: header' printed 2 times");
}

TEST(Classify, CleanExitIsOk) {
  sc::Observation o;
  o.out = "once: header\nplain\nplain\nonce: footer\n";
  EXPECT_EQ(sc::classify(o).outcome, "ok");
}

// What `forksafe run` writes on stderr last (cli/run_command.cc, summary.cc).
std::string injector_summary(int command_status, const std::string& fails_on) {
  return "forksafe run: command exited with status " + std::to_string(command_status) +
         "\nforksafe run: 3 findings: ...\n" + (fails_on.empty() ? "" : "forksafe run: fails on " + fails_on + "\n");
}

TEST(Classify, InjectorFindingsBesideTheProgramsDuplicateOutput) {
  sc::Observation o;
  o.wait_status = exited_with(1);
  o.out = "once: header\nonce: header\n";
  o.err = injector_summary(0, "1 runtime-exit (--fail-on warning)");
  expect_verdict(o, "duplicate-output",
                 "'once: header' printed 2 times; forksafe run: fails on 1 runtime-exit (--fail-on warning)");
}

TEST(Classify, InjectorsDeadlockIsADeadlock) {
  sc::Observation o;
  o.wait_status = exited_with(1);
  o.err = injector_summary(0, "1 runtime-deadlock, 2 runtime-unsafe-call (--fail-on warning)");
  EXPECT_EQ(sc::classify(o).outcome, "deadlock");
}

TEST(Classify, InjectorFindingsOnAProgramThatBehavedAreFindings) {
  sc::Observation o;
  o.wait_status = exited_with(1);
  o.err = injector_summary(0, "1 runtime-leaked-fd (--fail-on warning)");
  expect_verdict(o, "findings", "exited 0; forksafe run: fails on 1 runtime-leaked-fd (--fail-on warning)");
}

TEST(Classify, TheProgramsOwnFailureUnderTheInjectorIsAnError) {
  sc::Observation o;
  o.wait_status = exited_with(1);  // the command's own status, passed through
  o.err = injector_summary(1, "1 runtime-deadlock (--fail-on warning)");
  EXPECT_EQ(sc::classify(o).outcome, "error");
  o.err = "forksafe run: fails on 1 runtime-deadlock (--fail-on warning)\n";  // a program's own words
  EXPECT_EQ(sc::classify(o).outcome, "error");
}

}  // namespace
