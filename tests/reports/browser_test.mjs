// The HTML report in a real headless browser (Debian's chromium, driven by
// playwright-core): opened from disk, it must render without console errors,
// show the counts its inputs hold, filter, sort, follow a finding's chain to
// the right source lines, run no script from hostile inputs, and stay
// responsive with 10,000 findings (figures printed, never asserted; --big N
// for another count).
//
// node browser_test.mjs --forksafe BIN --make-findings BIN --fixtures DIR --tools DIR --work DIR
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const args = {};
for (let i = 2; i < process.argv.length; i += 2) args[process.argv[i].replace(/^--/, '')] = process.argv[i + 1];
const { chromium } = createRequire(path.join(args.tools, 'package.json'))('playwright-core');

const failures = [];
function check(ok, what) {
  console.log((ok ? 'ok   ' : 'FAIL ') + what);
  if (!ok) failures.push(what);
}

// ---- inputs ------------------------------------------------------------------

fs.rmSync(args.work, { recursive: true, force: true });
fs.mkdirSync(args.work, { recursive: true });
const work = (name) => path.join(args.work, name);
const fixture = (name) => path.join(args.fixtures, name);
function makeFindings(kind, count, name) {
  execFileSync(args['make-findings'], [kind, String(count), work(name), work(name + '-src')]);
  return JSON.parse(fs.readFileSync(work(name), 'utf8')).runs[0].results;
}
function report(inputs, name, options = []) {
  execFileSync(args.forksafe, ['report', ...inputs, '-o', work(name), ...options]);
  return 'file://' + work(name);
}
// A finding in a system header whose stack passes through glibc's build path:
// both outside the source root.
function outsideFindings(name) {
  const at = (uri, line) => ({ physicalLocation: { artifactLocation: { uri }, region: { startLine: line, startColumn: 1 } } });
  const result = { ruleId: 'fork-unsafe-call', level: 'warning', message: { text: 'printf() called in the window (outside)' },
    locations: [at('file:///usr/include/stdio.h', 1)],
    codeFlows: [{ threadFlows: [{ locations: [{ location: { ...at('./csu/../csu/libc-start.c', 120), message: { text: 'child side of fork() starts here' } } },
      { location: { ...at('file:///usr/include/stdio.h', 1), message: { text: 'calls printf()' } } }] }] }] };
  fs.writeFileSync(work(name), JSON.stringify({ version: '2.1.0', runs: [{ tool: { driver: { name: 'other' } }, results: [result] }] }));
  return [result];
}
const staticResults = makeFindings('static', 60, 'static.sarif');
const runtimeResults = makeFindings('runtime', 24, 'runtime.sarif');
const outsideResults = outsideFindings('outside.sarif');
const results = [...staticResults, ...runtimeResults, ...outsideResults];  // report ids follow input order
const scenarios = JSON.parse(fs.readFileSync(fixture('scenarios.json'), 'utf8'));
const bench = JSON.parse(fs.readFileSync(fixture('bench.json'), 'utf8'));
const mainUrl = report([work('static.sarif'), work('runtime.sarif'), work('outside.sarif'), fixture('scenarios.json'), fixture('bench.json')],
  'main.html', ['--source-root', args.work]);
makeFindings('hostile', 6, 'hostile.sarif');
const hostileUrl = report([work('hostile.sarif'), fixture('hostile_scenarios.json'), fixture('hostile_bench.json')], 'hostile.html');
const bigCount = Number(args.big || 10000);  // --big 100000 for the figures at scale
makeFindings('static', bigCount, 'big.sarif');
const bigUrl = report([work('big.sarif')], 'big.html');

const countBy = (items, key) => items.reduce((m, x) => m.set(key(x), (m.get(key(x)) || 0) + 1), new Map());

// ---- browser -----------------------------------------------------------------

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'forksafe-chromium-'));
const browser = await chromium.launchPersistentContext(profile, {
  executablePath: '/usr/bin/chromium',
  headless: true,
  viewport: { width: 1440, height: 900 },
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
// A hung browser must not hang the suite: close it and fail well before CTest's timeout.
const watchdog = setTimeout(async () => {
  console.log('FAIL the browser test did not finish in 240 s');
  await browser.close().catch(() => {});
  process.exit(1);
}, 240000);

// Opens a report and records what a user would not see: console errors,
// uncaught exceptions, and any request that leaves the file itself.
async function open(url) {
  const page = await browser.newPage();
  const problems = [];
  page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push('console ' + m.type() + ': ' + m.text()); });
  page.on('pageerror', (e) => problems.push('exception: ' + e.message));
  page.on('request', (r) => { if (r.url().split('#')[0] !== url) problems.push('request: ' + r.url()); });
  await page.goto(url);
  await page.waitForSelector('html[data-ready="true"]', { timeout: 60000 });
  return { page, problems };
}
// Opens finding `id` through its address, as a link elsewhere in the report would.
async function openFinding(page, id) {
  await page.evaluate((n) => { location.hash = '#finding-' + n; }, id);
  await page.waitForFunction((n) => document.querySelector('#detail .badge.kind:last-child')?.textContent === '#' + n, id);
}
const texts = (page, selector) => page.$$eval(selector, (nodes) => nodes.map((n) => n.textContent));
const visibleRules = (page) => texts(page, '#rows .row .rule');

try {
  await mainReport();
  await hostileReport();
  await bigReport();
} catch (e) {
  check(false, 'the test ran to its end: ' + (e.stack || e));
} finally {
  clearTimeout(watchdog);
  await browser.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
console.log(failures.length ? failures.length + ' check(s) failed' : 'all browser checks passed');
process.exit(failures.length ? 1 : 0);

// ---- the report of ordinary inputs ------------------------------------------

async function mainReport() {
  const { page, problems } = await open(mainUrl);
  await page.screenshot({ path: work('report.png'), fullPage: true });

  // Summary: the counts the inputs hold.
  const card = async (label) => Number((await page.$eval(`.card:has(.label:text-is("${label}")) .value`, (n) => n.textContent)).replace(/,/g, ''));
  check(await card('findings') === results.length, `summary shows ${results.length} findings`);
  for (const [level, n] of countBy(results, (r) => r.level)) check(await card(level + 's') === n, `summary shows ${n} ${level}s`);
  const byRule = new Map(await page.$$eval('#by-rule tr', (rows) => rows.map((r) => [r.cells[0].textContent, Number(r.cells[2].textContent.replace(/,/g, ''))])));
  const expectedRules = countBy(results, (r) => r.ruleId);
  check(byRule.size === expectedRules.size && [...expectedRules].every(([rule, n]) => byRule.get(rule) === n),
    'counts by rule match the inputs: ' + JSON.stringify([...byRule]));
  const inputs = await texts(page, '#inputs tr td:first-child');
  check(inputs.length === 5 && inputs[0] === work('static.sarif') && inputs[4] === fixture('bench.json'), 'the inputs are listed in order');
  check((await page.textContent('#meta')).startsWith('forksafe 0.') && (await page.textContent('#meta')).includes('generated 20'),
    'the header says which version made the report, and when');

  // Filtering and sorting change the visible rows.
  check((await page.textContent('#shown')) === `Showing ${results.length} of ${results.length} findings`, 'every finding is listed at first');
  await page.selectOption('#filter-rule', 'fork-exit');
  const exits = results.filter((r) => r.ruleId === 'fork-exit').length;
  let rules = await visibleRules(page);
  check(rules.length === exits && rules.every((r) => r === 'fork-exit'), `the rule filter leaves the ${exits} fork-exit rows`);
  await page.selectOption('#filter-rule', '');
  await page.selectOption('#filter-level', 'error');
  const levels = await texts(page, '#rows .row .level');
  check(levels.length === countBy(results, (r) => r.level).get('error') && levels.every((l) => l === 'error'), 'the level filter leaves the error rows');
  await page.click('#filter-clear');
  await page.fill('#filter-text', 'HELPER_42()');
  check((await page.$$eval('#rows .row', (rows) => rows.map((r) => r.dataset.id))).join() === '42', 'text search (any case) finds the one finding that calls helper_42()');
  await page.fill('#filter-text', '');
  await page.selectOption('#filter-file', { index: 2 });
  const file = await page.$eval('#filter-file', (s) => s.value);
  const locations = await page.$$eval('#rows .row .loc a', (links) => links.map((a) => a.title));
  check(locations.length > 0 && locations.every((l) => l.startsWith(file + ':')), 'the file filter leaves the rows of ' + path.basename(file));
  await page.click('#filter-clear');

  const before = await visibleRules(page);
  await page.click('#findings-head button[data-key="rule"]');
  const ascending = await visibleRules(page);
  await page.click('#findings-head button[data-key="rule"]');
  const descending = await visibleRules(page);
  const sorted = [...ascending].sort();
  check(ascending.join() === sorted.join() && ascending.join() !== before.join(), 'a click on Rule sorts the rows by rule');
  check(descending[0] === [...new Set(results.map((r) => r.ruleId))].sort().pop() && descending[0] !== ascending[0], 'a second click sorts them the other way');

  // One finding (fork-exit): its chain links land on the marked source lines.
  await page.fill('#filter-text', 'helper_8()');
  await page.click('#rows .row[data-id="8"] .loc a');
  await page.waitForSelector('#detail:not([hidden])');
  check((await page.textContent('#detail h2')) === staticResults[8].message.text, 'a click on a finding shows it');
  check((await page.textContent('#detail .fix')).includes('_exit'), 'the finding shows its suggested fix');
  const steps = staticResults[8].codeFlows[0].threadFlows[0].locations;
  for (let k = 1; k <= steps.length; k++) {
    await page.click(`#detail ol.steps li:nth-child(${k}) a`);
    await page.waitForFunction((k) => location.hash === '#f8-s' + k &&
      document.getElementById('f8-s' + k).closest('tr').classList.contains('current'), k, { timeout: 5000 }).catch(() => {});
    const hash = await page.evaluate(() => location.hash);
    const target = await page.$eval(`[id="f8-s${k}"]`, (n) => {
      const r = n.getBoundingClientRect();
      return { line: Number(n.closest('tr').querySelector('.ln').textContent), code: n.closest('td').textContent,
        inView: r.top >= 0 && r.bottom <= innerHeight, current: n.closest('tr').classList.contains('current') };
    });
    const want = steps[k - 1].location.physicalLocation.region.startLine;
    check(hash === `#f8-s${k}` && target.line === want && target.inView && target.current,
      `chain step ${k} links to line ${want}, scrolled into view and highlighted (got line ${target.line})`);
  }
  const unsafe = await page.$eval('[id="f8-s3"]', (n) => n.closest('tr').textContent);
  check(unsafe.includes('exit(1);') && unsafe.includes('3. calls exit(): runs atexit handlers'), 'the unsafe call is marked on its real source line');
  await page.screenshot({ path: work('finding.png') });

  // A link to a step from outside the report (a shared address) lands there too, below the sticky header.
  const shared = await browser.newPage();
  await shared.goto(mainUrl + '#f8-s1');
  await shared.waitForSelector('html[data-ready="true"]');
  await shared.waitForTimeout(200);  // the browser's own scroll to the fragment comes after load
  const landed = await shared.$eval('[id="f8-s1"]', (n) => {
    const r = n.getBoundingClientRect(), header = document.querySelector('header').getBoundingClientRect();
    return { below: r.top >= header.bottom, inView: r.bottom <= innerHeight, current: n.closest('tr').classList.contains('current') };
  });
  check(landed.below && landed.inView && landed.current, 'opening the report at #f8-s1 shows step 1 highlighted, below the header: ' + JSON.stringify(landed));
  await shared.close();

  // A runtime finding: unsymbolized frame, process facts, finalizer.
  const deadlock = staticResults.length + 1;  // the second runtime finding is a deadlock with a finalizer
  await openFinding(page, deadlock);
  await page.click('#detail ol.steps li:nth-child(4) a');
  const frame = await page.$eval(`[id="f${deadlock}-s4"]`, (n) => n.closest('.nosource').textContent);
  check(frame.includes('libc.so.6+0x') && frame.includes('unsymbolized frame'), 'an unsymbolized stack frame shows module+offset');
  const facts = await page.textContent('#detail .facts');
  check(facts.includes('Finalizer that ran') && facts.includes('sshpeer.__del__') && facts.includes('Parent process'), 'a runtime finding shows its process and finalizer');
  check((await page.textContent('#process-tree')).includes('pid 5001'), 'the process tree lists the traced children');
  const leaked = runtimeResults.filter((r) => r.ruleId === 'runtime-leaked-fd').length;
  check((await page.$$('#leaked-fds tr')).length === leaked + 1, `the ${leaked} leaked descriptors are listed`);
  const leakers = await texts(page, '#leaked-fds tr td:nth-child(4)');
  check(leakers.join() === runtimeResults.filter((r) => r.ruleId === 'runtime-leaked-fd').map((r) => r.properties.process_command).join(),
    'each leaked descriptor names the command line of the process that leaked it: ' + leakers.join(', '));
  check((await page.textContent('#finalizers')).includes('sshpeer.__del__'), 'the finalizers that ran are listed');

  // Scenario matrix and benchmark.
  const failed = scenarios.filter((c) => !c.passed).length;
  check((await page.$$('#scenario-matrix td.cell.fail')).length === failed && (await page.$$('#scenario-matrix td.cell.pass')).length === scenarios.length - failed,
    'the scenario matrix shows each cell as pass or fail');
  check((await page.textContent('#scenario-verdict')) === `${failed} of ${scenarios.length} cells did not behave as expected.`, 'the scenario verdict counts the failures');
  const series = new Set(bench.map((p) => p.strategy + (p.ensurestart === null ? '' : p.ensurestart ? ', wait for start' : ', no wait')));
  check((await page.$$('#bench-chart svg polyline')).length === series.size, `the chart draws one line per strategy (${series.size})`);
  check((await page.$$('#bench-table tr')).length === new Set(bench.map((p) => p.size_gib)).size + 1, 'the bench table has one row per heap size');
  await paths(page);
  await runtimeSection(page);
  await sourceView(page);
  await headers(page);
  check(problems.length === 0, 'no console errors, exceptions or requests: ' + problems.join(' | '));
  await page.close();
}

// Paths relative to the source root; the files outside it listed apart, tidied.
async function paths(page) {
  const inside = await texts(page, '#by-file td:first-child code');
  check(inside.length > 0 && inside.every((f) => /^(static|runtime)\.sarif-src\/(rt_)?spawner_\d+\.c$/.test(f)),
    'files under the source root are shown relative to it: ' + inside.slice(0, 3).join(', '));
  check((await texts(page, '#by-outside td:first-child code')).join() === '/usr/include/stdio.h' && !(await page.isHidden('#outside-title')),
    'the file outside the source root is listed apart, with its absolute path');
  check((await page.textContent('#root-note')).includes(args.work) && (await page.textContent('#root-note')).includes('1 file outside it'),
    'the findings say which directory paths are relative to: ' + await page.textContent('#root-note'));
  check((await texts(page, '#filter-file optgroup[label="Outside the source root"] option')).join() === '/usr/include/stdio.h (1)',
    'the file filter keeps the outside file in a group of its own');
  const relative = await page.$$eval('#rows .row .loc a', (links) => links.map((a) => a.textContent));
  check(relative.length > 0 && relative.every((l) => !l.startsWith(args.work)), 'the findings table shows no absolute path under the source root');
  await openFinding(page, results.length - 1);
  const where = await texts(page, '#detail ol.steps .where');
  check(where[0] === 'csu/libc-start.c:120:1', 'build-path noise is trimmed (./csu/../csu/libc-start.c): ' + where[0]);
}

// Each process by its own command line, in one tree under the traced command; properties in words; frames by function.
async function runtimeSection(page) {
  const roots = await page.$$('#process-tree > ul.traced');
  check(roots.length === 1 && (await page.textContent('#process-tree > ul.traced > li > .proc')).includes('-- python3 -m worker'),
    'the process tree has one root: the command forksafe run traced');
  const pids = new Set(runtimeResults.map((r) => String(r.properties.pid)));
  const parents = new Set(runtimeResults.map((r) => String(r.properties.ppid)).filter((p) => !pids.has(p)));
  const labels = new Map(await page.$$eval('#process-tree li li .proc', (nodes) => nodes.map((n) => [n.querySelector('.pid').textContent.slice(4), n.querySelector('.cmd').textContent])));
  check(labels.size === pids.size + parents.size && [...pids, ...parents].every((p) => labels.has(p)),
    `every process and each unrecorded parent is in the one tree (${labels.size})`);
  const own = runtimeResults.filter((r) => r.properties.pid === 5007)[0].properties.process_command;
  check(labels.get('5007') === own && labels.get('5007') !== labels.get('5003'), 'a process is labelled with its own command line: ' + labels.get('5007'));
  check(labels.get('4000') === runtimeResults.find((r) => r.properties.ppid === 4000).properties.process_command,
    "a parent with no record of its own is named by its forked child's command line (the parent's, until exec): " + labels.get('4000'));
  const nested = await page.$$eval('#process-tree li', (items) => items.some((li) => li.querySelector(':scope > .proc .pid')?.textContent === 'pid 5004' &&
    li.parentElement.closest('li')?.querySelector(':scope > .proc .pid')?.textContent === 'pid 5000'));
  check(nested, 'a child sits under its parent (5004 under 5000)');
  const deadlock = staticResults.length + 1;
  await openFinding(page, deadlock);
  const terms = await texts(page, '#detail .facts dt');
  check(terms.length > 5 && terms.every((t) => /^[A-Z]/.test(t) && !t.includes('_')), 'every property is named in words: ' + terms.join(' | '));
  const frames = await page.$$eval('#detail ol.steps li > a', (links) => links.map((a) => a.textContent));
  check(frames[0] === 'spawn_' + (deadlock - staticResults.length) && frames[2] === 'helper_' + (deadlock - staticResults.length),
    'runtime stack steps are named by their function: ' + frames.join(', '));
}

// Highlighted C, the call's columns marked, and n / p (and the buttons) along the path.
async function sourceView(page) {
  await openFinding(page, 3);  // syslog(LOG_INFO, "spawning");
  const tokens = async (cls) => texts(page, '#detail .excerpt .tok-' + cls);
  check((await tokens('kw')).includes('static') && (await tokens('kw')).includes('if'), 'keywords are highlighted');
  check((await tokens('st')).includes('"spawning"'), 'strings are highlighted');
  check((await tokens('cm')).includes('/* window 3 */'), 'comments are highlighted');
  check((await tokens('nu')).includes('0'), 'numbers are highlighted');
  const marks = await texts(page, '#detail .excerpt mark.call');
  check(marks.join('|') === 'syslog(LOG_INFO, "spawning")|fork()|helper_3(peer)',
    "each step's call is marked at its columns: " + marks.join('|'));
  await page.evaluate(() => window.scrollTo(0, 0));
  // Whether the address reaches step k of finding 3 (false after 10 s, rather than a throw).
  const at = (k) => page.waitForFunction((k) => location.hash === '#f3-s' + k, k, { timeout: 10000 }).then(() => true, () => false);
  await page.keyboard.press('n');
  const first = await at(1);
  await page.keyboard.press('n');
  check(first && await at(2) && (await page.textContent('#step-at')) === 'Step 2 of 3' &&
    await page.$eval('[id="f3-s2"]', (n) => n.closest('tr').classList.contains('current')), 'n steps along the path: step 2 of 3 is highlighted');
  await page.keyboard.press('p');
  const back = await at(1);
  await page.click('#step-next');
  const second = await at(2);
  await page.click('#step-next');
  check(back && second && await at(3) && await page.$eval('#step-next', (b) => b.disabled) && !(await page.$eval('#step-prev', (b) => b.disabled)),
    'p goes back, the buttons go forward, and Next stops at the last step');
  const barShown = () => page.$eval('#detail .step-nav', (n) => {
    const r = n.getBoundingClientRect(), header = document.querySelector('header').getBoundingClientRect();
    return r.top >= header.bottom - 1 && r.bottom <= innerHeight;
  });
  check(await barShown(), 'the step buttons stay on screen, below the header, while the path is followed');
  // A small window where the header wraps to two lines: the bar must stick below it.
  await page.setViewportSize({ width: 760, height: 420 });
  await page.evaluate(() => document.querySelector('#detail .excerpt tr:last-child').scrollIntoView({ block: 'end' }));
  await page.waitForTimeout(200);
  check(await page.$eval('header', (h) => h.offsetHeight > 60) && await barShown(), 'and at 760 px, where the header is taller');
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.evaluate(() => { location.hash = '#f3-s3'; });
  await at(3);
  await page.focus('#filter-text');
  await page.keyboard.press('n');
  check((await page.evaluate(() => location.hash)) === '#f3-s3' && (await page.inputValue('#filter-text')).endsWith('n'),
    'typing n in the search box types, and does not step');
  await page.fill('#filter-text', '');
  await page.evaluate(() => { location.hash = '#f3-s1'; });
  await page.waitForTimeout(100);
  await page.screenshot({ path: work('source.png') });
}

// No table header wraps inside a word, at a wide and at a narrow window.
async function headers(page) {
  for (const width of [1440, 760]) {
    await page.setViewportSize({ width, height: 900 });
    // A word whose characters lie on more than one line was broken.
    const broken = await page.$$eval('th', (cells) => cells.filter((th) => th.offsetParent).filter((th) => {
      const walker = document.createTreeWalker(th, NodeFilter.SHOW_TEXT);
      for (let node; (node = walker.nextNode());) {
        for (const word of node.data.matchAll(/\S+/g)) {
          const range = document.createRange();
          range.setStart(node, word.index);
          range.setEnd(node, word.index + word[0].length);
          if (new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size > 1) return true;
        }
      }
      return false;
    }).map((th) => th.textContent));
    check(broken.length === 0, `at ${width} px no table header is broken inside a word: ` + broken.join(' | '));
  }
  await page.setViewportSize({ width: 1440, height: 900 });
}

// ---- hostile inputs: markup everywhere, none of it may run -------------------

async function hostileReport() {
  const { page, problems } = await open(hostileUrl);
  const count = await page.$$eval('#rows .row', (rows) => rows.length);
  for (let id = 0; id < count; id++) {
    await openFinding(page, id);
    for (let k = 1; k <= 4; k++) await page.click(`#detail ol.steps li:nth-child(${k}) a`);
  }
  await page.hover('#bench-chart circle');
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: work('hostile.png'), fullPage: true });
  const state = await page.evaluate(() => ({ pwned: window.__pwned, title: document.title, images: document.images.length,
    scripts: document.scripts.length, text: document.body.innerText }));
  check(count === 6, 'the hostile report lists its 6 findings');
  check(state.pwned === undefined && state.title === 'forksafe report', 'no script from the inputs ran (window.__pwned, document.title untouched)');
  check(state.images === 0 && state.scripts === 2, 'the inputs added no elements (no <img>, only the report\'s 2 scripts)');
  for (const text of ['<script>window.__pwned = 1;</script>"><img src=x onerror="window.__pwned = 2">',
    '</style><script>window.__pwned = 3;</script>', '</script><script>document.title = \'pwned\'</script>', 'x"><img src=x onerror="window.__pwned = 4">_0.c',
    '<script>window.__pwned = 5;</script>"><img src=x onerror="window.__pwned = 6"></style></svg>']) {
    check(state.text.includes(text), 'shown as text: ' + text);
  }
  check(state.text.includes("-- python3 -m '<script>window.__pwned = 1;</script>"), 'the traced command is shown with its words quoted as a shell would take them');
  check(!state.text.includes('[object Object]') && !state.text.includes('function Object()') && state.text.includes('__proto__'),
    'property names such as __proto__ and constructor are shown as names, not looked up on the prototype');
  check(problems.length === 0, 'no console errors (a blocked script would log one): ' + problems.join(' | '));
  await page.close();
}

// ---- 10,000 (--big) findings: figures, and only the visible rows in the page -

async function bigReport() {
  const bytes = fs.statSync(work('big.html')).size;
  const { page, problems } = await open(bigUrl);
  const ready = await page.evaluate(() => performance.getEntriesByName('forksafe-ready')[0].startTime);
  const rendered = await page.$$eval('#rows .row', (rows) => rows.length);
  const many = bigCount.toLocaleString('en-US');
  check((await page.textContent('#shown')) === `Showing ${many} of ${many} findings` && rendered > 10 && rendered < 100,
    `${many} findings are listed with only the visible rows in the page (${rendered} rows)`);
  // Each timing runs the handler and forces layout, in the page.
  const timed = (action) => page.evaluate(action);
  const search = await page.evaluate((count) => {
    const t = performance.now(), box = document.getElementById('filter-text');
    box.value = 'helper_' + (count - 1) + '()';
    box.dispatchEvent(new Event('input'));
    document.getElementById('rows').getBoundingClientRect();
    return [performance.now() - t, document.querySelectorAll('#rows .row').length];
  }, bigCount);
  check(search[1] === 1, `searching ${many} findings finds the one that calls helper_${bigCount - 1}()`);
  await page.click('#filter-clear');
  const sort = await timed(() => {
    const t = performance.now();
    document.querySelector('#findings-head button[data-key="message"]').click();
    document.getElementById('rows').getBoundingClientRect();
    return performance.now() - t;
  });
  const scroll = await page.evaluate(() => new Promise((resolve) => {
    const box = document.getElementById('rows'), t = performance.now();
    box.scrollTop = 150000;
    requestAnimationFrame(() => requestAnimationFrame(() => {
      const first = box.querySelector('.row');
      resolve([performance.now() - t, first ? parseFloat(first.style.top) : -1, box.querySelectorAll('.row').length]);
    }));
  }));
  check(scroll[1] > 140000 && scroll[2] < 100, 'scrolling far down renders the rows there, and only those');
  await page.screenshot({ path: work('big.png') });
  console.log(`measure: ${many} findings, ${(bytes / 1e6).toFixed(1)} MB report: ready ${ready.toFixed(0)} ms after navigation, ` +
    `search ${search[0].toFixed(1)} ms, sort by message ${sort.toFixed(1)} ms, scroll to row 5000 ${scroll[0].toFixed(1)} ms (two frames)`);
  check(problems.length === 0, `no console errors with ${many} findings: ` + problems.join(' | '));
  await page.close();
}
