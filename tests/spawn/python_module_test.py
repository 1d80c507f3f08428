"""The Python module `forksafe` against real processes, with Debian's python3.

Run by CTest (spawn.python) with PYTHONPATH naming the build tree's package,
or by tests/spawn/install_test.sh on the installed copy.
"""
import errno
import os
import stat
import tempfile
import time
import unittest

import forksafe

DEADLINE_S = 10


def wait_for_file(path):
    """The text of `path` once a detached command has written it whole (a line)."""
    end = time.monotonic() + DEADLINE_S
    while time.monotonic() < end:
        try:
            with open(path) as f:
                text = f.read()
            if text.endswith("\n"):
                return text
        except FileNotFoundError:
            pass
        time.sleep(0.01)
    raise AssertionError("%s was not written within %d s" % (path, DEADLINE_S))


def exit_status(pid):
    _, status = os.waitpid(pid, 0)
    return os.waitstatus_to_exitcode(status)


def assert_no_child(test):
    with test.assertRaises(ChildProcessError):
        os.waitpid(-1, os.WNOHANG)


class SpawnTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)

    def path(self, name):
        return os.path.join(self.dir.name, name)

    def run_to_file(self, argv, **options):
        """Runs argv with stdout to a file; returns (exit status, output)."""
        with open(self.path("out"), "w+") as out:
            pid = forksafe.spawn(argv, stdout=out, **options)
            status = exit_status(pid)
            out.seek(0)
            return status, out.read()

    def test_runs_the_command_and_returns_its_pid(self):
        status, output = self.run_to_file(["sh", "-c", "echo $$"])
        self.assertEqual(status, 0)
        self.assertTrue(output.strip().isdigit())

    def test_exit_status_is_the_commands(self):
        pid = forksafe.spawn(["sh", "-c", "exit 7"])
        self.assertEqual(exit_status(pid), 7)

    def test_bytes_and_path_like_arguments(self):
        status, output = self.run_to_file([b"/bin/echo", tempfile.gettempdir().encode(), b"x"])
        self.assertEqual((status, output), (0, tempfile.gettempdir() + " x\n"))

    def test_environment_replaced(self):
        status, output = self.run_to_file(["/usr/bin/env"], env={"ONLY": "this"})
        self.assertEqual((status, output), (0, "ONLY=this\n"))

    def test_environment_inherited_by_default(self):
        os.environ["FORKSAFE_PY_TEST"] = "inherited"
        self.addCleanup(os.environ.pop, "FORKSAFE_PY_TEST")
        _, output = self.run_to_file(["/usr/bin/env"])
        self.assertIn("FORKSAFE_PY_TEST=inherited\n", output)

    def test_program_found_in_the_given_environments_path(self):
        script = self.path("only-here")
        with open(script, "w") as f:
            f.write("#!/bin/sh\necho found\n")
        os.chmod(script, stat.S_IRWXU)
        status, output = self.run_to_file(["only-here"], env={"PATH": self.dir.name})
        self.assertEqual((status, output), (0, "found\n"))

    def test_cwd(self):
        _, output = self.run_to_file(["pwd"], cwd=self.dir.name)
        self.assertEqual(output, os.path.realpath(self.dir.name) + "\n")

    def test_stdin_from_devnull(self):
        status, output = self.run_to_file(["cat"], stdin=forksafe.DEVNULL)
        self.assertEqual((status, output), (0, ""))

    def test_stderr_to_a_descriptor(self):
        fd = os.open(self.path("err"), os.O_WRONLY | os.O_CREAT, 0o600)
        pid = forksafe.spawn(["sh", "-c", "echo oops >&2"], stderr=fd)
        os.close(fd)
        self.assertEqual(exit_status(pid), 0)
        with open(self.path("err")) as f:
            self.assertEqual(f.read(), "oops\n")

    def test_inheritable_descriptors_closed_unless_kept(self):
        # High numbers, so that the descriptor ls opens for itself is not one of them.
        null = os.open(os.devnull, os.O_RDONLY)
        leaked, kept = os.dup2(null, 57), os.dup2(null, 58)
        os.close(null)
        self.addCleanup(os.close, leaked)
        self.addCleanup(os.close, kept)
        self.assertTrue(os.get_inheritable(leaked))
        _, output = self.run_to_file(["ls", "/proc/self/fd"], keep_fds=[kept])
        fds = sorted(int(fd) for fd in output.split())
        self.assertIn(kept, fds)
        self.assertNotIn(leaked, fds)

    def test_no_python_code_runs_in_the_child(self):
        # os.fork() runs these hooks; a spawn that runs no Python code between
        # fork and exec runs none of them.
        calls = []
        os.register_at_fork(before=lambda: calls.append("before"))
        pid = forksafe.spawn(["true"])
        self.assertEqual(exit_status(pid), 0)
        self.assertEqual(calls, [])

    def test_missing_program(self):
        with self.assertRaises(FileNotFoundError) as raised:
            forksafe.spawn(["forksafe-no-such-program"])
        self.assertEqual(raised.exception.errno, errno.ENOENT)
        self.assertEqual(raised.exception.strerror, "execve: " + os.strerror(errno.ENOENT))
        self.assertEqual(raised.exception.filename, "forksafe-no-such-program")
        assert_no_child(self)

    def test_not_executable(self):
        script = self.path("not-executable")
        open(script, "w").close()
        with self.assertRaises(PermissionError):
            forksafe.spawn([script])
        assert_no_child(self)

    def test_bad_cwd(self):
        with self.assertRaises(OSError) as raised:
            forksafe.spawn(["true"], cwd=self.path("missing"))
        self.assertEqual(raised.exception.errno, errno.ENOENT)
        self.assertTrue(raised.exception.strerror.startswith("chdir: "))
        assert_no_child(self)

    def test_bad_arguments(self):
        with self.assertRaises(ValueError):
            forksafe.spawn([])
        with self.assertRaises(ValueError):
            forksafe.spawn(["true"], stdout=-5)
        with self.assertRaises(ValueError):
            forksafe.spawn(["true"], stdout="out.txt")

    def test_new_session(self):
        _, output = self.run_to_file(["sh", "-c", "echo $$; ps -o sid= -p $$"], new_session=True)
        pid, sid = output.split()
        self.assertEqual(pid, sid)

    def test_detached(self):
        marker = self.path("detached")
        result = forksafe.spawn(
            ["sh", "-c", 'echo "$$ $(ps -o ppid= -p $$) $(ps -o sid= -p $$)" > %s.tmp && mv %s.tmp %s'
             % (marker, marker, marker)], detached=True)
        self.assertIsNone(result)
        assert_no_child(self)
        pid, ppid, sid = wait_for_file(marker).split()
        self.assertNotEqual(int(ppid), os.getpid())
        self.assertEqual(pid, sid)


class RunbgcommandTest(unittest.TestCase):
    def setUp(self):
        self.dir = tempfile.TemporaryDirectory()
        self.addCleanup(self.dir.cleanup)
        self.marker = os.path.join(self.dir.name, "marker")

    def report_script(self):
        """sh code writing `pid ppid sid stdin` to the marker, atomically."""
        return ('echo "$$ $(ps -o ppid= -p $$) $(ps -o sid= -p $$) $(readlink /proc/$$/fd/0)" > {0}.tmp'
                ' && mv {0}.tmp {0}'.format(self.marker))

    def check_detached(self, text):
        pid, ppid, sid, stdin = text.split()
        self.assertNotEqual(int(ppid), os.getpid())
        self.assertEqual(pid, sid)
        self.assertEqual(stdin, "/dev/null")
        assert_no_child(self)

    def test_list_command(self):
        self.assertIsNone(forksafe.runbgcommand([b"sh", b"-c", self.report_script().encode()], None))
        self.check_detached(wait_for_file(self.marker))

    def test_shell_command(self):
        forksafe.runbgcommand(self.report_script(), None, shell=True)
        self.check_detached(wait_for_file(self.marker))

    def test_env_and_stdout(self):
        with open(os.path.join(self.dir.name, "out"), "w") as out:
            forksafe.runbgcommand(
                ["sh", "-c", "echo $GREETING; echo done > %s" % self.marker],
                {b"GREETING": b"hello", b"PATH": os.environ["PATH"].encode()}, stdout=out)
        wait_for_file(self.marker)
        with open(os.path.join(self.dir.name, "out")) as out:
            self.assertEqual(out.read(), "hello\n")

    def test_stdout_and_stderr_default_to_devnull(self):
        forksafe.runbgcommand(
            ["sh", "-c", 'echo "$(readlink /proc/$$/fd/1) $(readlink /proc/$$/fd/2)" > %s' % self.marker], None)
        self.assertEqual(wait_for_file(self.marker), "/dev/null /dev/null\n")

    def test_failure_raises_with_ensurestart(self):
        with self.assertRaises(FileNotFoundError):
            forksafe.runbgcommand(["forksafe-no-such-program"], None)
        assert_no_child(self)

    def test_failure_silent_without_ensurestart(self):
        self.assertIsNone(forksafe.runbgcommand(["forksafe-no-such-program"], None, ensurestart=False))
        assert_no_child(self)

    def test_runs_without_ensurestart(self):
        forksafe.runbgcommand(self.report_script(), None, shell=True, ensurestart=False)
        self.check_detached(wait_for_file(self.marker))


if __name__ == "__main__":
    unittest.main()
