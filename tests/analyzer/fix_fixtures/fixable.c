// The --fix fixture (tests/analyzer/fixes_e2e_test.cc): every finding here
// but the last three has a mechanical fix; the test applies each, compiles
// the result with cc and analyses it again.
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/socket.h>
#include <unistd.h>

#define DIE() exit(1)

int spawn(const char* path, char* const argv[]) {
  int fds[2];
  if (pipe(fds) != 0) return -1;
  int log = open("/tmp/forksafe-fixture.log", O_WRONLY | O_APPEND);
  int in = open(path,
                O_RDONLY);
  int either = open(path, sizeof(void*) == 8 ? O_RDWR : O_RDONLY);
  int s = socket(AF_UNIX, SOCK_STREAM, 0);
  int copy = dup(in);
  pid_t pid = fork();
  if (pid == 0) {
    dup2(fds[1], 1);
    execv(path, argv);
    exit(127);
  }
  return pid + log + either + s + copy;
}

int spawn_quietly(const char* path, char* const argv[]) {
  int fd = open(path, O_RDONLY, 0);
  pid_t pid = fork();
  if (pid == 0) {
    execv(path, argv);
    DIE();
  }
  fd = creat(path, 0600);
  return pid + fd;
}

// The lock is meant to be held by the program it execs: O_CLOEXEC would drop it.
int run_locked(const char* lock, char* const argv[]) {
  int fd = open(lock, O_CREAT | O_WRONLY, 0600);
  if (fd < 0 || flock(fd, LOCK_EX | LOCK_NB) != 0) return -1;
  if (fork() == 0) {
    execv(argv[0], argv);
    _exit(127);
  }
  return fd;
}
