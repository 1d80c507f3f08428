#!/usr/bin/python3
"""The seed's benchmark, in Python: ms per background spawn of `true`.

For each heap size this process maps and touches (writes every 4 KiB page
of, MADV_NOHUGEPAGE, as an interpreter's heap of small objects is) that much
memory, then times, in turns within each round, one background spawn by
each runbgcommand, with ensurestart True and False:

  os.fork           Mercurial's runbgcommand before D9019: os.fork(); in the
                    child setsid, open /dev/null, subprocess.Popen, _exit;
                    the caller waits for that child when ensurestart=True.
  subprocess.Popen  after D9019 (the seed's fix): Popen of `/bin/sh -c
                    '( true ) &'` in a new session, then wait for the shell
                    (in both modes, as Mercurial does).
  forksafe          forksafe.runbgcommand: detached, no fork of this process.

Everything is reaped, untimed, between spawns (this process is a child
subreaper, so the detached commands come back to it). One untimed warm-up
round, then --runs rounds, and more while the rounds of a size span under
2 s. Prints the seed's table and writes JSON (-o) in the format of
`forksafe bench spawn` (docs/formats.md), which `forksafe report` charts.

Usage: runbg_bench.py [--sizes 0,0.2,0.5,1] [--runs N] [-o FILE.json]
Uses the installed forksafe module, else the build tree's (build/python).
Exit status 0, or 2 with one line on stderr for bad usage.
"""
import argparse
import ctypes
import json
import mmap
import os
import statistics
import subprocess
import sys
import time

try:
    import forksafe
except ImportError:  # not installed: the build tree's copy, next to this script
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "build", "python"))
    try:
        import forksafe
    except ImportError as e:
        print("runbg_bench.py: cannot import the forksafe module (%s): build it, or set PYTHONPATH" % e,
              file=sys.stderr)
        sys.exit(2)

PAGE = 4096
MIN_SPAN_S = 2.0
PR_SET_CHILD_SUBREAPER = 36
CMD = [b"true"]


def old_runbgcommand(cmd, env, shell=False, stdout=None, stderr=None, ensurestart=True):
    """Mercurial's procutil.runbgcommand before D9019 (os.fork), abridged to
    its code path for a list command."""
    pid = os.fork()
    if pid:
        if not ensurestart:
            return
        _, status = os.waitpid(pid, 0)
        returncode = os.waitstatus_to_exitcode(status)
        if returncode != 0:
            raise OSError(returncode, "error running %r: %s" % (cmd, os.strerror(returncode)))
        return
    returncode = 255
    try:
        os.setsid()
        stdin = open(os.devnull, "r")
        if stdout is None:
            stdout = open(os.devnull, "w")
        if stderr is None:
            stderr = open(os.devnull, "w")
        subprocess.Popen(cmd, shell=shell, env=env, close_fds=True, stdin=stdin, stdout=stdout, stderr=stderr)
        returncode = 0
    except EnvironmentError as ex:
        returncode = (ex.errno & 0xFF) or 255
    finally:
        os._exit(returncode)


def popen_runbgcommand(cmd, env, shell=False, stdout=None, stderr=None, ensurestart=True):
    """Mercurial's procutil.runbgcommand after D9019 (subprocess.Popen of a
    shell that backgrounds the command), abridged likewise; it waits for the
    shell whatever ensurestart says."""
    script = b" ".join(cmd)
    subprocess.Popen(b"( %s ) &" % script, shell=True, env=env, close_fds=True, stdin=subprocess.DEVNULL,
                     stdout=subprocess.DEVNULL if stdout is None else stdout,
                     stderr=subprocess.DEVNULL if stderr is None else stderr,
                     start_new_session=True).wait()


STRATEGIES = [
    ("python os.fork", old_runbgcommand),
    ("python Popen", popen_runbgcommand),
    ("python forksafe", forksafe.runbgcommand),
]
COLUMNS = [(name, function, ensurestart) for ensurestart in (True, False) for name, function in STRATEGIES]


def usage_error(message):
    print("runbg_bench.py: " + message, file=sys.stderr)
    sys.exit(2)


def parse_arguments():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", default="0,0.2,0.5,1", help="heap sizes in GiB, comma-separated")
    parser.add_argument("--runs", type=int, default=10, help="timed rounds per size, at least")
    parser.add_argument("-o", "--output", help="write the results as JSON to FILE")
    parser.error = usage_error  # one line, not argparse's usage block
    args = parser.parse_args()
    try:
        args.sizes = [float(size) for size in args.sizes.split(",")]
    except ValueError:
        usage_error("--sizes must be numbers of GiB separated by commas, not '%s'" % args.sizes)
    if any(size < 0 for size in args.sizes):
        usage_error("--sizes must not be negative")
    if args.runs < 1:
        usage_error("--runs must be at least 1")
    available = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    if max(args.sizes) * 2**30 > 0.9 * available:
        usage_error("--sizes: %.1f GiB is above 90%% of the free memory" % max(args.sizes))
    if args.output == "":
        usage_error("-o needs a file name")
    if args.output:
        try:
            args.output = open(args.output, "w")
        except OSError as e:
            usage_error("cannot write %s: %s" % (args.output, e.strerror))
    return args


def touched_heap(size_gib):
    """A private anonymous mapping of size_gib with every 4 KiB page written
    (private, as a heap is: fork copies its page tables; a shared one's it
    skips)."""
    size = int(size_gib * 2**30) // PAGE * PAGE
    if size == 0:
        return None
    heap = mmap.mmap(-1, size, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS)
    heap.madvise(mmap.MADV_NOHUGEPAGE)
    heap[::PAGE] = b"\x01" * (size // PAGE)
    return heap


WALL = 0x40000000  # Linux's __WALL, which os does not name


def reap_all():
    """Waits for every child and adopted orphan (we are a subreaper),
    forksafe's detached middle process too (it sends no SIGCHLD, and may
    still be exiting: its command is ours to reap only after it)."""
    while True:
        try:
            os.waitpid(-1, WALL)
        except ChildProcessError:
            return


def time_one(function, ensurestart):
    start = time.perf_counter()
    function(CMD, None, ensurestart=ensurestart)
    elapsed = time.perf_counter() - start
    reap_all()
    return elapsed * 1000


def measure(size_gib, runs):
    heap = touched_heap(size_gib)
    samples = [[] for _ in COLUMNS]
    for _, function, ensurestart in COLUMNS:  # warm-up, untimed
        time_one(function, ensurestart)
    span_start = time.monotonic()
    rounds = 0
    while rounds < runs or time.monotonic() - span_start < MIN_SPAN_S:
        for column, (_, function, ensurestart) in enumerate(COLUMNS):
            samples[column].append(time_one(function, ensurestart))
        rounds += 1
    del heap
    return samples


def main():
    args = parse_arguments()
    libc = ctypes.CDLL(None, use_errno=True)
    libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    points = []
    table = []
    for size in args.sizes:
        samples = measure(size, args.runs)
        table.append((size, [statistics.median(s) for s in samples]))
        for (name, _, ensurestart), s in zip(COLUMNS, samples):
            points.append({"strategy": name, "ensurestart": ensurestart, "size_gib": size,
                           "ms_median": statistics.median(s), "ms_min": min(s), "ms_max": max(s), "runs": len(s)})

    print("Python %s, ms per background spawn of `true` (median), by resident heap size"
          % sys.version.split()[0])
    print("%-8s %-12s %12s %12s %12s" % ("heap GiB", "ensurestart", "os.fork", "Popen", "forksafe"))
    for ensurestart in (True, False):
        for size, medians in table:
            row = [m for (_, _, e), m in zip(COLUMNS, medians) if e == ensurestart]
            print("%8.1f %-12s %12.3f %12.3f %12.3f" % (size, ensurestart, *row))
    for size, medians in table:
        fork_t, popen_t, forksafe_t = medians[0:3]
        print("%.1f GiB, ensurestart=True: Popen / forksafe %.1fx, os.fork / forksafe %.0fx"
              % (size, popen_t / forksafe_t, fork_t / forksafe_t))
    ours = [p for p in points if p["strategy"] == "python forksafe"]
    print("forksafe.runbgcommand, slowest median: %.3f ms (target: at most 0.5 ms); fastest run: %.3f ms"
          % (max(p["ms_median"] for p in ours), min(p["ms_min"] for p in ours)))
    if args.output:
        json.dump(points, args.output, indent=1)
        args.output.write("\n")
        args.output.close()


if __name__ == "__main__":
    main()
