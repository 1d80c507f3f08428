"""The CMake module (cmake/ForksafeTest.cmake) on the sample project, from
the source tree (include) and from forksafe installed into a prefix
(find_package): configured, built and tested with ctest, the tests of the
two targets named in forksafe_add_test_launcher() run under forksafe run,
one SARIF log per test; the one whose child calls malloc before exec fails,
the clean one passes, and the test of a target not named runs as it always did.

python3 cmake_module_test.py SOURCE_DIR FORKSAFE WORK_DIR
"""
import glob
import json
import os
import re
import sys

from harness import Checks, run, sample_project


def main():
    source, forksafe, work = sys.argv[1:4]
    check = Checks()
    project = sample_project(work)
    test_with(check, project, os.path.join(work, 'build'), 'include(ForksafeTest)', forksafe,
              ['-DFORKSAFE_EXECUTABLE=' + forksafe, '-DCMAKE_MODULE_PATH=' + os.path.join(source, 'cmake')])
    # As another project gets it: forksafe installed, find_package(forksafe).
    prefix = os.path.join(work, 'prefix')
    status, output = run(['cmake', '--install', os.path.dirname(forksafe), '--prefix', prefix], work)
    check(status == 0, 'forksafe installs into a prefix', output)
    test_with(check, project, os.path.join(work, 'installed'), 'find_package(forksafe) from the installed package',
              os.path.join(prefix, 'bin', 'forksafe'), ['-DCMAKE_PREFIX_PATH=' + prefix])
    check.exit()


def test_with(check, project, build, how, forksafe, options):
    """Configures, builds and tests the sample with the launcher, the module found by `how`,
    its tests run by `forksafe`."""
    work = os.path.dirname(build)
    status, output = run(['cmake', '-S', project, '-B', build, '-DFORKSAFE_TEST_LAUNCHER=ON', *options], work)
    check(status == 0, 'the sample project configures with ' + how, output)
    tests = open(os.path.join(build, 'CTestTestfile.cmake')).read() if status == 0 else ''
    check('add_test([=[buggy]=] "%s" "run"' % forksafe in tests, 'the buggy test runs under ' + forksafe, tests)
    status, output = run(['cmake', '--build', build], work)
    check(status == 0, 'and builds', output)
    status, output = run(['ctest', '--test-dir', build, '--output-on-failure', '--timeout', '120'], work)
    outcomes = dict(re.findall(r'Test +#\d+: (\w+) \.+ *(?:\*\*\*)?(\w+)', output))
    check(outcomes == {'clean': 'Passed', 'buggy': 'Failed', 'untraced': 'Passed'} and status != 0,
          'under forksafe run the buggy test fails and the clean one passes; the untraced one passes as before: %s'
          % outcomes, output)
    check('runtime-unsafe-call' in output and 'malloc' in output, 'ctest shows why the buggy test failed', output)

    logs = {name: glob.glob(os.path.join(build, 'forksafe', name + '-*.sarif'))
            for name in ('clean_spawn', 'buggy_spawn', 'untraced')}
    check([len(logs[n]) for n in ('clean_spawn', 'buggy_spawn', 'untraced')] == [1, 1, 0],
          'one SARIF log per traced test, named by target and pid (%%p), none for the other: %s' % logs)

    def results(name):
        if len(logs[name]) != 1:
            return []
        with open(logs[name][0]) as f:
            return [r for run_ in json.load(f)['runs'] for r in run_.get('results', [])]
    buggy = results('buggy_spawn')
    check(any(r['ruleId'] == 'runtime-unsafe-call' and 'malloc' in r['message']['text'] and
              r.get('properties', {}).get('process_command', '').endswith('/buggy_spawn') for r in buggy),
          "the buggy test's log has the malloc in its child, which names its own command line",
          json.dumps(buggy)[:2000])
    check(logs['clean_spawn'] and results('clean_spawn') == [], "the clean test's log has no finding")


if __name__ == '__main__':
    main()
