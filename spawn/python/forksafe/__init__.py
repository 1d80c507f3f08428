"""Start commands without running any code between fork and exec.

A thin ctypes layer over forksafe's spawner (libforksafe_spawn, the C ABI of
<forksafe/spawn.h>): the child is made with clone(CLONE_VM | CLONE_VFORK), so
no page table is copied (the cost does not grow with the interpreter's heap)
and no Python code, garbage collection, finalizer or lock runs in it before
execve. Each call returns once the command has been exec'd.

    import forksafe
    pid = forksafe.spawn(["ssh", "host", "true"], stdin=forksafe.DEVNULL)
    os.waitpid(pid, 0)
    forksafe.runbgcommand([b"hg", b"pull"], None)   # Mercurial's, detached

ctypes rather than an extension module: the library is the same one C and
C++ programs link, no build against one interpreter's ABI is needed, and
ctypes releases the GIL during the call as an extension would have to.
"""
import ctypes
import os
import subprocess

from ._library import LIBRARY

__all__ = ["DEVNULL", "spawn", "runbgcommand"]

DEVNULL = subprocess.DEVNULL

_INHERIT, _DEVNULL, _FD = 0, 1, 2


class _Stdio(ctypes.Structure):
    _fields_ = [("kind", ctypes.c_int), ("fd", ctypes.c_int)]


class _Options(ctypes.Structure):
    _fields_ = [
        ("argv", ctypes.POINTER(ctypes.c_char_p)),
        ("envp", ctypes.POINTER(ctypes.c_char_p)),
        ("path", ctypes.c_char_p),
        ("cwd", ctypes.c_char_p),
        ("stdio", _Stdio * 3),
        ("keep_fds", ctypes.POINTER(ctypes.c_int)),
        ("keep_fd_count", ctypes.c_size_t),
        ("keep_other_fds", ctypes.c_int),
        ("new_session", ctypes.c_int),
        ("detached", ctypes.c_int),
    ]


class _Result(ctypes.Structure):
    _fields_ = [
        ("pid", ctypes.c_int),
        ("pipe_fds", ctypes.c_int * 3),
        ("error", ctypes.c_int),
        ("step", ctypes.c_char_p),
    ]


_library = ctypes.CDLL(os.path.join(os.path.dirname(__file__), LIBRARY))
_spawn = _library.forksafe_spawn
_spawn.argtypes = [ctypes.POINTER(_Options), ctypes.POINTER(_Result)]
_spawn.restype = ctypes.c_int


def _strings(items):
    """A NULL-terminated char* array of `items` (str, bytes or path-like)."""
    encoded = [os.fsencode(item) for item in items]
    return (ctypes.c_char_p * (len(encoded) + 1))(*encoded, None)


def _stdio(value, name):
    if value is None:
        return _Stdio(_INHERIT, -1)
    if value == DEVNULL:
        return _Stdio(_DEVNULL, -1)
    if isinstance(value, int):
        if value < 0:
            raise ValueError("%s: %d is not a file descriptor" % (name, value))
        return _Stdio(_FD, value)
    if hasattr(value, "fileno"):
        return _Stdio(_FD, value.fileno())
    raise ValueError("%s must be None, forksafe.DEVNULL, a file descriptor or a file, not %r" % (name, value))


def spawn(argv, env=None, cwd=None, stdin=None, stdout=None, stderr=None,
          detached=False, new_session=False, keep_fds=()):
    """Start `argv` and return its pid once it has been exec'd.

    argv: a sequence of str, bytes or path-like (a single str or bytes is
    the program alone); argv[0] without '/' is looked up in env's PATH when
    env is given, else in ours, as subprocess does. env: a mapping, or None
    for ours. stdin, stdout, stderr: None (inherit), DEVNULL, a file
    descriptor or an object with fileno(). Every descriptor but 0, 1, 2 and
    keep_fds is closed in the child. new_session: setsid(). detached: the
    command runs in its own session and is not our child (nothing to reap;
    the call returns None).

    Raises OSError with the errno of the step that failed (its message names
    the step, e.g. "execve: No such file or directory").
    """
    if isinstance(argv, (str, bytes)):
        argv = [argv]
    argv = list(argv)
    if not argv:
        raise ValueError("argv is empty")
    options = _Options()
    argv_array = _strings(argv)
    options.argv = argv_array
    if env is not None:
        env_array = _strings(os.fsencode(k) + b"=" + os.fsencode(v) for k, v in env.items())
        options.envp = env_array
        options.path = os.fsencode(os.pathsep.join(map(os.fsdecode, os.get_exec_path(env))))
    if cwd is not None:
        options.cwd = os.fsencode(cwd)
    for slot, (value, name) in enumerate(((stdin, "stdin"), (stdout, "stdout"), (stderr, "stderr"))):
        options.stdio[slot] = _stdio(value, name)
    keep = list(keep_fds)
    if keep:
        keep_array = (ctypes.c_int * len(keep))(*keep)
        options.keep_fds = keep_array
        options.keep_fd_count = len(keep)
    options.new_session = bool(new_session)
    options.detached = bool(detached)
    result = _Result()
    error = _spawn(ctypes.byref(options), ctypes.byref(result))
    if error:
        step = result.step.decode()
        raise OSError(error, "%s: %s" % (step, os.strerror(error)), os.fsdecode(argv[0]))
    return None if detached else result.pid


def runbgcommand(cmd, env, shell=False, stdout=None, stderr=None, ensurestart=True):
    """Mercurial's procutil.runbgcommand, without its fork of the caller.

    Starts `cmd` (a list, or with shell=True a string for /bin/sh -c) in its
    own session, detached (not our child: nothing to wait for), stdin from
    /dev/null, stdout and stderr to the given files or /dev/null, every
    other descriptor closed, `env` as its environment (None: ours). With
    ensurestart=True the call returns once the command has been exec'd and
    raises OSError when it could not be; with ensurestart=False a failure
    to start is not reported, as Mercurial's ensurestart=False did not
    wait to learn of it (the call is as fast either way).
    """
    if shell:
        argv = ["/bin/sh", "-c", cmd]
    else:
        argv = [cmd] if isinstance(cmd, (str, bytes)) else cmd
    try:
        spawn(argv, env=env, stdin=DEVNULL,
              stdout=DEVNULL if stdout is None else stdout,
              stderr=DEVNULL if stderr is None else stderr,
              detached=True)
    except OSError:
        if ensurestart:
            raise
