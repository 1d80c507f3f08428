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

}  // namespace
