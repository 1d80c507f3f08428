"""What the integration tests share: running a command with a timeout that
kills everything it started, and a fresh copy of the sample project."""
import os
import shutil
import signal
import subprocess

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'sample')


def run(command, cwd, env=None, timeout=300):
    """Runs command (a list) in its own process group; returns (exit status, output)."""
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, start_new_session=True)
    try:
        output, _ = process.communicate(timeout=timeout)
        status = process.returncode
    except subprocess.TimeoutExpired:
        output, status = '(killed after %d s)\n' % timeout, -1
    finally:
        try:  # whatever it left behind, and everything on a timeout
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
    if status == -1:
        output += process.communicate()[0]
    return status, output


def sample_project(work):
    """A fresh copy of tests/integrations/sample in work/project."""
    shutil.rmtree(work, ignore_errors=True)
    os.makedirs(work)
    project = os.path.join(work, 'project')
    shutil.copytree(SAMPLE, project)
    return project


class Checks:
    """Prints each check and counts the failures."""

    def __init__(self):
        self.failed = 0

    def __call__(self, ok, what, detail=''):
        print(('ok   ' if ok else 'FAIL ') + what)
        if not ok:
            self.failed += 1
            if detail:
                print('     ' + detail.strip().replace('\n', '\n     '))

    def exit(self):
        print('%d check(s) failed' % self.failed if self.failed else 'all checks passed')
        raise SystemExit(1 if self.failed else 0)
