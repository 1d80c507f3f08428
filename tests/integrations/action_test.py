"""The GitHub action (action.yml) run here as GitHub's runner would run it:
its run steps, as written, in order, with the inputs, the runner's files
(GITHUB_ENV, GITHUB_OUTPUT, GITHUB_PATH) and the `${{ }}` values they use,
on the sample project. The steps that need GitHub (upload-sarif,
upload-artifact) are not run: the test checks what they would be given.

python3 action_test.py SOURCE_DIR FORKSAFE WORK_DIR
"""
import json
import os
import re
import sys

import yaml

from harness import Checks, run, sample_project

EXPRESSION = re.compile(r'\$\{\{\s*([\w.-]+)\s*\}\}')


def evaluate(text, context):
    """Replaces each ${{ a.b.c }} by its value in context ('' when unknown, as GitHub does)."""
    def value(match):
        node = context
        for part in match.group(1).split('.'):
            node = node.get(part, '') if isinstance(node, dict) else ''
        return str(node)
    return EXPRESSION.sub(value, str(text))


def read_pairs(path):
    """KEY=VALUE lines of a runner file (GITHUB_ENV, GITHUB_OUTPUT)."""
    with open(path) as f:
        return dict(line.rstrip('\n').split('=', 1) for line in f if '=' in line)


def run_action(source, workspace, temp, inputs):
    """Runs the action's steps until one fails. Returns the steps as
    [{'name', 'status', 'output'} or {'name', 'uses', 'with'}]."""
    with open(os.path.join(source, 'action.yml')) as f:
        action = yaml.safe_load(f)
    given = {name: str(spec.get('default', '')) for name, spec in action['inputs'].items()}
    given.update(inputs)
    context = {'inputs': given, 'github': {'action_path': source, 'workspace': workspace},
               'runner': {'temp': temp}, 'steps': {}}
    files = {name: os.path.join(temp, name.lower()) for name in ('GITHUB_ENV', 'GITHUB_OUTPUT', 'GITHUB_PATH')}
    exported, paths, done = {}, [], []
    for number, step in enumerate(action['runs']['steps']):
        if 'uses' in step:
            done.append({'name': step['name'], 'uses': step['uses'],
                         'with': {k: evaluate(v, context) for k, v in step.get('with', {}).items()}})
            continue
        for path in files.values():
            open(path, 'w').close()
        env = dict(os.environ, **exported, **files, GITHUB_WORKSPACE=workspace, GITHUB_ACTION_PATH=source,
                   RUNNER_TEMP=temp, **{k: evaluate(v, context) for k, v in step.get('env', {}).items()})
        env['PATH'] = os.pathsep.join(paths + [env['PATH']])
        script = os.path.join(temp, 'step-%d.sh' % number)
        with open(script, 'w') as f:
            f.write(step['run'])
        cwd = os.path.join(workspace, evaluate(step.get('working-directory', '.'), context))
        # GitHub's command for `shell: bash`.
        status, output = run(['bash', '--noprofile', '--norc', '-eo', 'pipefail', script], cwd, env)
        done.append({'name': step['name'], 'status': status, 'output': output})
        exported.update(read_pairs(files['GITHUB_ENV']))
        with open(files['GITHUB_PATH']) as f:
            paths = [line.strip() for line in f if line.strip()] + paths
        if 'id' in step:
            context['steps'][step['id']] = {'outputs': read_pairs(files['GITHUB_OUTPUT'])}
        if status != 0:
            break
    return done


def fresh(work, name):
    """A copy of the sample project as the workspace, and the runner's temporary directory."""
    project = sample_project(os.path.join(work, name))
    temp = os.path.join(work, name, 'runner-temp')
    os.makedirs(temp)
    return project, temp


def main():
    source, forksafe, work = sys.argv[1:4]
    check = Checks()

    # Findings at the default fail-on (warning): everything runs, the last step fails the job.
    project, temp = fresh(work, 'findings')
    steps = run_action(source, project, temp, {'forksafe': forksafe, 'category': 'forksafe-sample'})
    by_name = {s['name']: s for s in steps}
    names = [s['name'] for s in steps]
    check(names == ['Install forksafe', 'Analyze', 'Upload SARIF to code scanning', 'Attach the HTML report',
                    'Fail on findings'], 'every step of the action ran, in order: %s' % names)
    analyze = by_name.get('Analyze', {})
    check(analyze.get('status') == 0, 'Analyze configured the CMake project and analyzed it', analyze.get('output', ''))
    check(os.path.isfile(os.path.join(project, 'build', 'compile_commands.json')),
          'the compilation database was made with CMake, in build-dir')
    sarif_path = os.path.join(temp, 'forksafe', 'forksafe.sarif')
    report_path = os.path.join(temp, 'forksafe', 'report.html')
    upload = by_name.get('Upload SARIF to code scanning', {})
    check(upload.get('uses', '').startswith('github/codeql-action/upload-sarif@') and
          upload.get('with') == {'sarif_file': sarif_path, 'category': 'forksafe-sample'},
          'upload-sarif gets the SARIF and the category: %s' % upload.get('with'))
    artifact = by_name.get('Attach the HTML report', {})
    check(artifact.get('uses', '').startswith('actions/upload-artifact@') and
          artifact.get('with', {}).get('name') == 'forksafe-report' and
          artifact.get('with', {}).get('path', '').split() == [report_path, sarif_path],
          'upload-artifact gets report.html and the SARIF: %s' % artifact.get('with'))
    results = []
    if os.path.isfile(sarif_path):
        with open(sarif_path) as f:
            results = json.load(f)['runs'][0]['results']
    files = {loc['physicalLocation']['artifactLocation'].get('uri') for r in results for loc in r['locations']}
    check(any(r['ruleId'] == 'fork-unsafe-call' and 'malloc' in r['message']['text'] for r in results) and
          files == {'buggy_spawn.c'}, 'the SARIF has the malloc in the child of buggy_spawn.c, by a relative URI: %s' % files)
    html = open(report_path, encoding='utf-8').read() if os.path.isfile(report_path) else ''
    check('buggy_spawn.c' in html and '"source_root"' in html, 'report.html shows the findings with the project as source root')
    gate = by_name.get('Fail on findings', {})
    check(gate.get('status') == 1 and 'buggy_spawn.c' in gate.get('output', ''),
          'the last step fails the job on the warning and prints it', gate.get('output', ''))

    # fail-on none: the same findings, and the job passes. The project in a
    # subdirectory of the repository: URIs stay relative to the repository.
    project, temp = fresh(work, 'none')
    steps = run_action(source, os.path.dirname(project), temp,
                       {'forksafe': forksafe, 'fail-on': 'none', 'working-directory': 'project'})
    check(len(steps) == 5 and all(s.get('status', 0) == 0 for s in steps),
          'with fail-on none every step passes', '\n'.join(s.get('output', '') for s in steps))
    with open(os.path.join(temp, 'forksafe', 'forksafe.sarif')) as f:
        uris = {loc['physicalLocation']['artifactLocation'].get('uri')
                for r in json.load(f)['runs'][0]['results'] for loc in r['locations']}
    check(uris == {'project/buggy_spawn.c'}, 'a project in a subdirectory has URIs relative to the repository: %s' % uris)

    # A broken build directory is an error, not a pass: the job stops at Analyze.
    project, temp = fresh(work, 'broken')
    os.remove(os.path.join(project, 'CMakeLists.txt'))
    steps = run_action(source, project, temp, {'forksafe': forksafe})
    check([s['name'] for s in steps] == ['Install forksafe', 'Analyze'] and steps[-1]['status'] == 2,
          'without a compilation database Analyze fails with exit 2 and nothing is uploaded',
          steps[-1].get('output', ''))
    check.exit()


if __name__ == '__main__':
    main()
