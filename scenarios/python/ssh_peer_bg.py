#!/usr/bin/python3
"""The Mercurial ssh-stderr deadlock with the real CPython interpreter.

A command leaves an ssh-like peer unclosed. The peer sits in a reference
cycle, so only the garbage collector can finalize it, and its __del__ closes
ssh's stdin, then reads ssh's stderr to EOF (the shape of Mercurial's
sshpeer cleanup, _cleanuppipes). Then the program starts a background command:

  runbgcommand: Mercurial 5.7.1's procutil.runbgcommand: os.fork(); in the
                child os.setsid(), open os.devnull, subprocess.Popen the
                command, os._exit(); the parent waits for that child
                (ensurestart). The child never execs: it runs Python.
  fork:         os.fork() + os.execvp() in the child (an exec right away)
  subprocess:   subprocess.Popen only (the fix: no Python code in a child)

The collector's thresholds are raised so that it never runs by itself in this
short program: every mode passes as it is. Under `forksafe run` (CPython is
found with no option) a collection is forced in the os.fork child when its
Python code resumes; __del__ then closes the child's copy of ssh's stdin and
waits for an EOF that never comes, since the parent still holds ssh's stdin
while it waits for the child.

Usage: ssh_peer_bg.py runbgcommand|fork|subprocess [--no-ensurestart]
Exit status 0 when the background command succeeded.
"""
import gc
import os
import subprocess
import sys


class SshPeer:
    """An ssh connection: `cat` exits at EOF on its stdin, closing its stderr."""

    def __init__(self):
        self.proc = subprocess.Popen(["cat"], stdin=subprocess.PIPE,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        self.cycle = self  # only the collector can free us

    def __del__(self):
        self.proc.stdin.close()
        self.proc.stderr.read()  # to EOF: ssh has exited
        self.proc.wait()


def runbgcommand_hg571(cmd, ensurestart):
    """Mercurial 5.7.1's runbgcommand (posix, record_wait=None), trimmed."""
    pid = os.fork()
    if pid:
        if not ensurestart:
            return 0
        _, status = os.waitpid(pid, 0)
        return os.WEXITSTATUS(status) if os.WIFEXITED(status) else -os.WTERMSIG(status)
    returncode = 255
    try:
        os.setsid()
        stdin = open(os.devnull, "r")
        stdout = open(os.devnull, "w")
        subprocess.Popen(cmd, close_fds=True, stdin=stdin, stdout=stdout, stderr=stdout)
        returncode = 0
    except OSError as ex:
        returncode = (ex.errno & 0xFF) or 255
    finally:
        os._exit(returncode)  # this child must not continue the parent's code


def runbgcommand_fork(cmd, ensurestart):
    """An older shape: fork, then exec in the child."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setsid()
            devnull = os.open(os.devnull, os.O_RDWR)
            os.dup2(devnull, 0)
            os.execvp(cmd[0], cmd)
        finally:
            os._exit(255)
    if not ensurestart:
        return 0
    _, status = os.waitpid(pid, 0)
    return status


def runbgcommand_subprocess(cmd, ensurestart):
    """The fix: subprocess runs no Python code between fork and exec."""
    proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, start_new_session=True)
    return proc.wait() if ensurestart else 0


SPAWNERS = {"runbgcommand": runbgcommand_hg571, "fork": runbgcommand_fork,
            "subprocess": runbgcommand_subprocess}


def main():
    mode = sys.argv[1] if len(sys.argv) > 1 else "runbgcommand"
    if mode not in SPAWNERS:
        print(f"ssh_peer_bg: unknown spawner {mode!r}: runbgcommand, fork or subprocess", file=sys.stderr)
        return 2
    ensurestart = "--no-ensurestart" not in sys.argv
    gc.set_threshold(1_000_000)  # the collector never runs on its own here
    SshPeer()  # left unclosed: garbage in a cycle
    status = SPAWNERS[mode](["true"], ensurestart)
    gc.collect()  # the parent's own collection closes the peer
    if status != 0:
        print(f"ssh_peer_bg: background command failed (status {status})", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
