#!/usr/bin/env python3
"""End-to-end tests of `forksafe analyze` and `forksafe merge`.

The fixture corpus (fixtures/) carries its expected findings inline, on the
line each finding is reported at: `// expect: RULE [RULE...]`, `RULE xN` for N
findings of one rule on that line. A run must report exactly those: any missing
or extra finding fails.
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

FORKSAFE = os.environ.get("FORKSAFE", "build/forksafe")
SOURCE_DIR = os.environ.get("FORKSAFE_SOURCE_DIR", os.path.join(os.path.dirname(__file__), "..", ".."))
FIXTURES = os.path.realpath(os.path.join(SOURCE_DIR, "tests", "analyzer", "fixtures"))
MULTITOOL = os.path.join(SOURCE_DIR, "tools", "node_modules", ".bin", "sarif-multitool")
RULES = {"fork-unsafe-call", "fork-indirect-call", "fork-exit", "vfork-child", "fd-no-cloexec", "fork-no-exec"}


def fixture_files():
    return sorted(os.path.join(FIXTURES, f) for f in os.listdir(FIXTURES) if f.endswith((".c", ".cc")))


def expected_findings(files):
    """Counter of (file, line, rule) from the `expect:` comments."""
    expected = collections.Counter()
    for path in files:
        with open(path) as f:
            for number, line in enumerate(f, 1):
                m = re.search(r"expect:\s*(.*)$", line)
                if not m:
                    continue
                words = m.group(1).split()
                for i, word in enumerate(words):
                    if word in RULES:
                        count = 1
                        if i + 1 < len(words) and re.fullmatch(r"x\d+", words[i + 1]):
                            count = int(words[i + 1][1:])
                        expected[(path, number, word)] += count
    return expected


def write_database(directory, files):
    commands = []
    for path in files:
        compiler, std = ("clang++", "-std=c++17") if path.endswith(".cc") else ("clang", "-std=gnu11")
        commands.append({"directory": directory, "file": path,
                         "arguments": [compiler, std, "-c", path, "-o", "/dev/null"]})
    with open(os.path.join(directory, "compile_commands.json"), "w") as f:
        json.dump(commands, f)


def run(*args):
    """forksafe analyze ARGS (or forksafe merge ... when ARGS start with "merge")."""
    command = list(args) if args and args[0] == "merge" else ["analyze", *args]
    return subprocess.run([FORKSAFE, *command], capture_output=True, text=True, timeout=240)


def found(json_text):
    return collections.Counter((f["file"], f["line"], f["rule"]) for f in json.loads(json_text))


def sarif_results(log):
    """(uri, line, rule, fingerprint) of every result, for comparing runs."""
    out = collections.Counter()
    for r in log["runs"]:
        for res in r["results"]:
            loc = res["locations"][0]["physicalLocation"]
            out[(loc["artifactLocation"]["uri"], loc["region"]["startLine"], res["ruleId"],
                 res["partialFingerprints"]["forksafe/v1"])] += 1
    return out


class Corpus(unittest.TestCase):
    """A temporary build directory with a compile_commands.json for the fixtures."""

    def setUp(self):
        self.dir = tempfile.mkdtemp(prefix="forksafe-analyzer-")
        self.files = fixture_files()
        write_database(self.dir, self.files)

    def tearDown(self):
        shutil.rmtree(self.dir, ignore_errors=True)

    def analyze(self, *args, expect_rc=1):
        p = run("-p", self.dir, "-j", "2", *args)
        self.assertEqual(p.returncode, expect_rc, p.stderr)
        return p


class Fixtures(Corpus):
    def test_every_expected_finding_and_no_other(self):
        p = self.analyze("--all", "--format", "json", "--fail-on", "note")
        self.assertEqual(p.stderr, "")
        got = found(p.stdout)
        want = expected_findings(self.files)
        missing = want - got
        extra = got - want
        self.assertFalse(missing or extra, f"missing: {sorted(missing)}\nextra: {sorted(extra)}")

    def test_negative_fixture_alone_is_clean(self):
        negatives = os.path.join(FIXTURES, "negatives.c")
        p = run(negatives, "--fail-on", "note", "--", "-std=gnu11")
        self.assertEqual((p.returncode, p.stdout), (0, ""), p.stderr)

    def test_text_output_is_compiler_style_with_chain_notes(self):
        p = self.analyze("--all")
        cross = os.path.join(FIXTURES, "cross_a.c")
        lines = p.stdout.splitlines()
        head = [i for i, l in enumerate(lines) if l.startswith(cross + ":13:5: warning:")]
        self.assertEqual(len(head), 1, p.stdout)
        self.assertTrue(lines[head[0]].endswith("[fork-unsafe-call]"))
        notes = lines[head[0] + 1: head[0] + 5]
        self.assertTrue(notes[0].startswith(cross + ":10:15: note: child side of fork()"), notes)
        self.assertIn("note: calls log_start()", notes[1])
        self.assertIn("cross_b.c", notes[2])  # log_start -> write_line in the other TU
        self.assertIn("note: calls fprintf()", notes[3])

    def test_fork_like_wrapper_makes_its_callers_windows(self):
        src = os.path.join(self.dir, "wrapper.c")
        with open(src, "w") as f:
            f.write("#include <stdio.h>\n#include <unistd.h>\n"
                    "pid_t make_child(void) { return fork(); }\n"
                    "void run(char** argv) {\n"
                    "  if (make_child() == 0) {\n"
                    "    puts(\"child\");\n"
                    "    execv(argv[0], argv);\n"
                    "    _exit(127);\n"
                    "  }\n"
                    "}\n")
        plain = found(run(src, "--format", "json", "--", "-std=gnu11").stdout)
        wrapped = found(run(src, "--format", "json", "--fork-like", "make_child", "--", "-std=gnu11").stdout)
        self.assertEqual(plain, collections.Counter())
        self.assertEqual(wrapped, collections.Counter({(src, 6, "fork-unsafe-call"): 1}))

    def test_profile_2017_makes_fork_in_child_safe_and_linux_trusts_execvp(self):
        more = os.path.join(FIXTURES, "more_idioms.c")
        idioms = os.path.join(FIXTURES, "idioms.c")
        forks_in_child = lambda *flags: [f for f in json.loads(run(more, "--format", "json", *flags, "--",
                                                                    "-std=gnu11").stdout)
                                         if f["properties"].get("callee") == "fork"]
        self.assertEqual(len(forks_in_child()), 1)
        self.assertEqual(len(forks_in_child("--profile", "posix-2017")), 0)
        execvp = lambda *flags: [f for f in json.loads(run(idioms, "--format", "json", *flags, "--",
                                                          "-std=gnu11").stdout) if "execvp" in f["message"]]
        self.assertEqual(len(execvp()), 1)
        self.assertEqual(len(execvp("--linux")), 0)


class Modes(Corpus):
    """Demand-driven, parallel and sharded runs report what the full run reports."""

    def full(self):
        return found(self.analyze("--all", "--format", "json", "--fail-on", "note").stdout)

    def test_demand_driven_default_equals_full_analysis(self):
        self.assertEqual(found(self.analyze("--format", "json").stdout), self.full())

    def test_files_with_database_still_see_definitions_in_other_tus(self):
        cross = os.path.join(FIXTURES, "cross_a.c")
        only = found(self.analyze(cross, "--format", "json").stdout)
        self.assertEqual(only, collections.Counter({k: v for k, v in self.full().items() if k[0] == cross}))

    def test_one_thread_equals_two(self):
        one = run("-p", self.dir, "-j", "1", "--all", "--format", "json")
        self.assertEqual(found(one.stdout), self.full())

    def test_shards_with_summaries_then_merge_equal_full(self):
        full = self.analyze("--all", "--format", "sarif", "-o", os.path.join(self.dir, "full.sarif"))
        del full
        n = 3
        summaries = [os.path.join(self.dir, f"s{k}.json") for k in range(1, n + 1)]
        for k in range(1, n + 1):
            p = run("-p", self.dir, "--all", "--shard", f"{k}/{n}", "--summaries-out", summaries[k - 1])
            self.assertEqual(p.returncode, 0, p.stderr)
        shards = []
        for k in range(1, n + 1):
            out = os.path.join(self.dir, f"r{k}.sarif")
            p = run("--summaries-in", *summaries, "--shard", f"{k}/{n}", "--format", "sarif", "-o", out)
            self.assertIn(p.returncode, (0, 1), p.stderr)
            shards.append(out)
        merged = os.path.join(self.dir, "merged.sarif")
        p = run("merge", *shards, "-o", merged)
        self.assertEqual(p.returncode, 0, p.stderr)
        with open(merged) as f, open(os.path.join(self.dir, "full.sarif")) as g:
            self.assertEqual(sarif_results(json.load(f)), sarif_results(json.load(g)))

    def test_demand_driven_shards_see_across_tus_without_summaries(self):
        union = collections.Counter()
        for k in (1, 2, 3):
            union += found(run("-p", self.dir, "--shard", f"{k}/3", "--format", "json").stdout)
        self.assertEqual(union, self.full())

    def test_shard_argument_is_checked(self):
        p = run("-p", self.dir, "--shard", "4/3")
        self.assertEqual(p.returncode, 2)
        self.assertEqual(len(p.stderr.strip().splitlines()), 1, p.stderr)


class Sarif(Corpus):
    def test_validates_with_sarif_multitool(self):
        out = os.path.join(self.dir, "out.sarif")
        self.analyze("--all", "--format", "sarif", "-o", out)
        v = subprocess.run([MULTITOOL, "validate", out], capture_output=True, text=True, timeout=240)
        errors = [l for l in v.stdout.splitlines() if re.search(r": error [A-Z]+\d+:", l)]
        self.assertEqual(errors, [], v.stdout)
        # The validator does catch errors (so this test can fail).
        broken = os.path.join(self.dir, "broken.sarif")
        with open(out) as f:
            log = json.load(f)
        log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] = "a b"
        with open(broken, "w") as f:
            json.dump(log, f)
        v = subprocess.run([MULTITOOL, "validate", broken], capture_output=True, text=True, timeout=240)
        self.assertRegex(v.stdout, r": error [A-Z]+\d+:")

    def test_results_carry_chain_relative_uris_and_properties(self):
        p = run("-p", self.dir, "--all", "--format", "sarif", "--source-root", SOURCE_DIR)
        log = json.loads(p.stdout)
        run0 = log["runs"][0]
        self.assertEqual(run0["properties"]["forksafeKind"], "static")
        self.assertIn("SRCROOT", run0["originalUriBaseIds"])
        cross = [r for r in run0["results"] if r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                 == "tests/analyzer/fixtures/cross_a.c" and "log_start" in r["message"]["text"]]
        self.assertEqual(len(cross), 1)
        r = cross[0]
        self.assertEqual(r["properties"]["window"], "fork")
        self.assertEqual(r["properties"]["callee"], "fprintf")
        self.assertEqual(r["properties"]["reason"], "stdio")
        flow = r["codeFlows"][0]["threadFlows"][0]["locations"]
        self.assertEqual(len(flow), len(r["relatedLocations"]))
        self.assertEqual(len(flow), 4)  # fork site, log_start, write_line, fprintf

    def test_fingerprints_survive_unrelated_line_shifts(self):
        src = os.path.join(self.dir, "shifted")
        os.makedirs(src)
        orig = os.path.join(src, "idioms.c")
        shutil.copy(os.path.join(FIXTURES, "idioms.c"), orig)

        def prints():
            p = run(orig, "--format", "sarif", "--source-root", src, "--", "-std=gnu11")
            results = sarif_results(json.loads(p.stdout))
            return {(k[2], k[3]) for k in results}, {k[1] for k in results}

        before, lines_before = prints()
        with open(orig) as f:
            text = f.read()
        with open(orig, "w") as f:
            f.write("// a new comment\n// and another\n\n" + text)
        after, lines_after = prints()
        self.assertTrue(before)
        self.assertEqual(before, after)
        self.assertEqual({l + 3 for l in lines_before}, lines_after)


class Suppressions(Corpus):
    def test_baseline_hides_known_findings_and_shows_new_ones(self):
        base = os.path.join(self.dir, "baseline.json")
        p = self.analyze("--all", "--write-baseline", base)
        p = self.analyze("--all", "--baseline", base, "--fail-on", "note", expect_rc=0)
        self.assertEqual(p.stdout, "")
        # A new finding in a copied fixture is reported despite the baseline.
        extra = os.path.join(self.dir, "new.c")
        with open(extra, "w") as f:
            f.write("#include <stdio.h>\n#include <unistd.h>\n"
                    "void f(void) { if (fork() == 0) { puts(\"x\"); _exit(0); } }\n")
        write_database(self.dir, self.files + [extra])
        p = self.analyze("--all", "--baseline", base, "--format", "json")
        self.assertEqual(list(found(p.stdout)), [(extra, 3, "fork-unsafe-call")])

    def test_baseline_applies_in_another_checkout(self):
        checkouts = [os.path.join(self.dir, name) for name in ("here", "elsewhere")]
        for checkout in checkouts:
            os.makedirs(checkout)
            shutil.copy(os.path.join(FIXTURES, "idioms.c"), checkout)
        base = os.path.join(self.dir, "baseline.json")

        def analyze_in(checkout, *options):
            return run(os.path.join(checkout, "idioms.c"), "--source-root", checkout, *options, "--", "-std=gnu11")

        self.assertEqual(analyze_in(checkouts[0], "--write-baseline", base).returncode, 1)
        p = analyze_in(checkouts[1], "--baseline", base, "--fail-on", "note")
        self.assertEqual((p.returncode, p.stdout), (0, ""), p.stderr)

    def test_fail_on_error_ignores_warnings(self):
        negatives_and_warnings = os.path.join(FIXTURES, "fds.c")
        p = run(negatives_and_warnings, "--fail-on", "error", "--", "-std=gnu11")
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("[fd-no-cloexec]", p.stdout)


class Errors(Corpus):
    def one_line(self, p):
        self.assertEqual(p.returncode, 2, p.stdout + p.stderr)
        self.assertNotIn("terminate", p.stderr)
        return p.stderr.strip().splitlines()

    def test_missing_database(self):
        lines = self.one_line(run("-p", os.path.join(self.dir, "nowhere")))
        self.assertEqual(len(lines), 1)
        self.assertIn("compile_commands.json", lines[0])

    def test_invalid_database(self):
        with open(os.path.join(self.dir, "compile_commands.json"), "w") as f:
            f.write("{ not json")
        lines = self.one_line(run("-p", self.dir))
        self.assertEqual(len(lines), 1)
        self.assertIn("not a valid compilation database", lines[0])

    def test_bad_tus_get_one_line_each_and_the_rest_is_analysed(self):
        clean = found(run("-p", self.dir, "--all", "--format", "json").stdout)
        broken = os.path.join(self.dir, "broken.c")
        with open(broken, "w") as f:
            f.write("int f( { this is not C\n")
        missing = os.path.join(self.dir, "missing.c")
        write_database(self.dir, self.files + [broken, missing])
        p = run("-p", self.dir, "--all", "--format", "json")
        lines = self.one_line(p)
        self.assertEqual(len(lines), 2, lines)
        self.assertTrue(any("broken.c" in l and "parse error" in l for l in lines), lines)
        self.assertTrue(any("missing.c" in l and "no such file" in l for l in lines), lines)
        self.assertEqual(found(p.stdout), clean)
        self.assertGreater(len(clean), 10)

    def test_file_not_in_database(self):
        stray = os.path.join(self.dir, "stray.c")
        open(stray, "w").close()
        lines = self.one_line(run("-p", self.dir, stray))
        self.assertEqual(lines, [f"forksafe analyze: {stray}: not in compile_commands.json"])

    def test_refuses_to_overwrite_an_input(self):
        target = os.path.join(FIXTURES, "idioms.c")
        with open(target) as f:
            before = f.read()
        lines = self.one_line(run(target, "-o", target, "--", "-std=gnu11"))
        self.assertEqual(len(lines), 1)
        with open(target) as f:
            self.assertEqual(f.read(), before)

    def test_merge_rejects_non_sarif(self):
        bogus = os.path.join(self.dir, "bogus.sarif")
        with open(bogus, "w") as f:
            f.write("[1, 2]")
        lines = self.one_line(run("merge", bogus))
        self.assertEqual(len(lines), 1)

    def test_bad_flags(self):
        for args in (["--format", "xml", "-p", self.dir], ["--fail-on", "fatal", "-p", self.dir],
                     ["--profile", "posix-1990", "-p", self.dir], ["--no-such-flag"]):
            self.assertEqual(len(self.one_line(run(*args))), 1, args)


if __name__ == "__main__":
    unittest.main()
