#include "scenarios/outcome.h"

#include <gtest/gtest.h>
#include <signal.h>

namespace sc = forksafe::scenarios;

namespace {

int exited_with(int code) { return code << 8; }  // as waitpid reports it

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
  auto verdict = sc::classify(o);
  EXPECT_EQ(verdict.outcome, "error");
  EXPECT_EQ(verdict.detail, "exit status 3: cannot start ssh");
}

TEST(Classify, RepeatedOnceLineIsDuplicateOutput) {
  sc::Observation o;
  o.out = "once: header\nother\nother\nonce: footer\nonce: header\n";
  auto verdict = sc::classify(o);
  EXPECT_EQ(verdict.outcome, "duplicate-output");
  EXPECT_EQ(verdict.detail, "'once: header' printed 2 times");
}

TEST(Classify, CleanExitIsOk) {
  sc::Observation o;
  o.out = "once: header\nplain\nplain\nonce: footer\n";
  EXPECT_EQ(sc::classify(o).outcome, "ok");
}

}  // namespace
