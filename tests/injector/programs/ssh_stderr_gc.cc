/* The ssh-stderr deadlock with a garbage collector that never runs between
 * fork and exec by itself, so the program passes without the injector.
 *
 * An "ssh" peer (cat: it exits when its stdin reaches EOF, closing its stderr)
 * is left unclosed; the program's collector would finalize it later: close
 * ssh's stdin, then read ssh's stderr to EOF. Meanwhile the program starts a
 * background command and waits for it:
 *   broken:  fork + exec (code may run in the child)
 *   no-exec: fork, the job done in the child's copy of the program, _exit
 *   fixed:   posix_spawn (no code in the child)
 * Under `forksafe run` the finalizer (registered through forksafe/gc.h) is
 * forced to run in the broken spawner's child: it closes the child's copy of
 * ssh's stdin and waits for an EOF that never comes, because the parent still
 * holds ssh's stdin open while it waits for the child. Deadlock.
 * Exit status: 0 when the background command succeeded, 1 otherwise. */
#include <fcntl.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <string>

#include "forksafe/gc.h"
#include "spawn/spawn.h"

extern char** environ;

struct ssh_peer {
  pid_t pid;
  int stdin_write;  /* ssh's stdin: it exits at EOF */
  int stderr_read;  /* ssh's stderr: EOF once it exited */
  int finalizer;    /* forksafe/gc.h handle */
};

/* The finalizer: what the collector runs for an unreachable peer. */
static void ssh_peer_finalize(void* context) {
  struct ssh_peer* peer = static_cast<struct ssh_peer*>(context);
  close(peer->stdin_write);
  char buffer[256];
  while (read(peer->stderr_read, buffer, sizeof buffer) > 0) {
  }
  close(peer->stderr_read);
}

static void ssh_peer_open(struct ssh_peer* peer) {
  int in[2], err[2];
  if (pipe(in) != 0 || pipe(err) != 0) _exit(2);  /* no O_CLOEXEC: children inherit them */
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in[0], 0);
  posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, err[1], 2);
  posix_spawn_file_actions_addclose(&actions, in[1]);
  posix_spawn_file_actions_addclose(&actions, err[0]);
  char* argv[] = {const_cast<char*>("cat"), NULL};
  if (posix_spawnp(&peer->pid, "cat", &actions, NULL, argv, environ) != 0) _exit(2);
  posix_spawn_file_actions_destroy(&actions);
  close(in[0]);
  close(err[1]);
  peer->stdin_write = in[1];
  peer->stderr_read = err[0];
  peer->finalizer = forksafe_register_finalizer(ssh_peer_finalize, peer, "ssh-peer");
}

/* The program's collector: it runs every so many allocations, never in the
 * few steps between fork and exec. */
static struct ssh_peer* garbage;
static void collect(void) {
  if (!garbage) return;
  forksafe_unregister_finalizer(garbage->finalizer);
  ssh_peer_finalize(garbage);
  waitpid(garbage->pid, NULL, 0);
  garbage = NULL;
}

static int run_background_broken(char* argv[]) {
  pid_t pid = fork();
  if (pid == 0) {
    int devnull = open("/dev/null", O_RDONLY);  /* as runbgcommand did */
    dup2(devnull, 0);
    close(devnull);
    execvp(argv[0], argv);
    _exit(127);
  }
  int status;
  waitpid(pid, &status, 0);
  return status;
}

/* The fork-without-exec shape (a prefork worker, the old Mercurial
 * runbgcommand): the child does the job in the parent's code and _exits. */
static int run_background_no_exec(char* argv[]) {
  pid_t pid = fork();
  if (pid == 0) {
    std::string job = std::string("the background job of ") + argv[0] + " runs here";  /* allocates */
    _exit(job.empty() ? 1 : 0);
  }
  int status;
  waitpid(pid, &status, 0);
  return status;
}

static int run_background_posix_spawn(char* argv[]) {
  pid_t pid;
  if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) != 0) return -1;
  int status;
  waitpid(pid, &status, 0);
  return status;
}

static int run_background_fixed(char* argv[]) {
  forksafe::spawn::Options options;
  options.argv = {argv[0]};
  auto started = forksafe::spawn::spawn(options);
  if (!started) return -1;
  int status;
  waitpid(started.child.pid, &status, 0);
  return status;
}

int main(int argc, char** argv) {
  const char* spawner = argc > 1 ? argv[1] : "fixed";
  static struct ssh_peer peer;
  ssh_peer_open(&peer);
  garbage = &peer;  /* the command forgot to close it: the collector will */

  char* command[] = {const_cast<char*>("true"), NULL};
  int status = strcmp(spawner, "broken") == 0        ? run_background_broken(command)
               : strcmp(spawner, "no-exec") == 0     ? run_background_no_exec(command)
               : strcmp(spawner, "posix_spawn") == 0 ? run_background_posix_spawn(command)
                                                     : run_background_fixed(command);
  collect();
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    fprintf(stderr, "ssh_stderr_gc: background command failed (status %#x)\n", status);
    return 1;
  }
  return 0;
}
