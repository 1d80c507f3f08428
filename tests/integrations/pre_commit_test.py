"""The pre-commit hook (.pre-commit-hooks.yaml) run by Debian's pre-commit
(`pre-commit try-repo`, which takes the hook from this checkout: its
commits and the uncommitted changes to its tracked files) in a git repository of the sample project: a
change to the file with the bug stops the commit, a change to the clean
file and to files that are not C pass.

python3 pre_commit_test.py SOURCE_DIR FORKSAFE WORK_DIR
"""
import os
import sys

from harness import Checks, run, sample_project

SKIP = 77  # CTest's SKIP_RETURN_CODE for this test


def main():
    source, forksafe, work = sys.argv[1:4]
    check = Checks()
    if run(['git', '-C', source, 'rev-parse', '--git-dir'], source)[0] != 0:
        print('skipped: %s is not a git checkout, which pre-commit try-repo needs' % source)
        raise SystemExit(SKIP)
    project = sample_project(work)
    # language: system runs the forksafe on PATH; pre-commit keeps its cache in the work directory.
    env = dict(os.environ, PATH=os.path.dirname(forksafe) + os.pathsep + os.environ['PATH'],
               PRE_COMMIT_HOME=os.path.join(work, 'cache'), GIT_AUTHOR_NAME='t', GIT_AUTHOR_EMAIL='t@invalid',
               GIT_COMMITTER_NAME='t', GIT_COMMITTER_EMAIL='t@invalid')
    for command in (['git', 'init', '-q'], ['git', 'add', '.'],
                    ['cmake', '-S', '.', '-B', 'build', '-DCMAKE_EXPORT_COMPILE_COMMANDS=ON']):
        status, output = run(command, project, env)
        check(status == 0, ' '.join(command), output)

    def hook(*files):
        return run(['pre-commit', 'try-repo', source, 'forksafe-analyze', '--verbose', '--files', *files], project, env)

    status, output = hook('buggy_spawn.c', 'CMakeLists.txt')
    check(status == 1 and 'buggy_spawn.c:' in output and 'malloc' in output,
          'a change to buggy_spawn.c fails the hook with the finding', output)
    status, output = hook('clean_spawn.c', 'CMakeLists.txt')
    check(status == 0 and 'Passed' in output and 'buggy_spawn.c' not in output,
          'a change to clean_spawn.c passes, and the other file is not reported', output)
    status, output = hook('CMakeLists.txt')
    check(status == 0 and 'no files to check' in output.lower(), 'a change to no C file skips the hook', output)
    check.exit()


if __name__ == '__main__':
    main()
