// The HTML report in a real headless browser (Debian's chromium, driven by
// playwright-core): opened from disk, it must render without console errors,
// show the counts its inputs hold, filter, sort, follow a finding's chain to
// the right source lines, run no script from hostile inputs, and stay
// responsive with 10,000 findings (figures printed, never asserted).
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
function report(inputs, name) {
  execFileSync(args.forksafe, ['report', ...inputs, '-o', work(name)]);
  return 'file://' + work(name);
}
const staticResults = makeFindings('static', 60, 'static.sarif');
const runtimeResults = makeFindings('runtime', 24, 'runtime.sarif');
const results = [...staticResults, ...runtimeResults];  // report ids follow input order
const scenarios = JSON.parse(fs.readFileSync(fixture('scenarios.json'), 'utf8'));
const bench = JSON.parse(fs.readFileSync(fixture('bench.json'), 'utf8'));
const mainUrl = report([work('static.sarif'), work('runtime.sarif'), fixture('scenarios.json'), fixture('bench.json')], 'main.html');
makeFindings('hostile', 6, 'hostile.sarif');
const hostileUrl = report([work('hostile.sarif'), fixture('hostile_scenarios.json'), fixture('hostile_bench.json')], 'hostile.html');
makeFindings('static', 10000, 'big.sarif');
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
  check(inputs.length === 4 && inputs[0] === work('static.sarif') && inputs[3] === fixture('bench.json'), 'the inputs are listed in order');
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
  check((await page.textContent('#finalizers')).includes('sshpeer.__del__'), 'the finalizers that ran are listed');

  // Scenario matrix and benchmark.
  const failed = scenarios.filter((c) => !c.passed).length;
  check((await page.$$('#scenario-matrix td.cell.fail')).length === failed && (await page.$$('#scenario-matrix td.cell.pass')).length === scenarios.length - failed,
    'the scenario matrix shows each cell as pass or fail');
  check((await page.textContent('#scenario-verdict')) === `${failed} of ${scenarios.length} cells did not behave as expected.`, 'the scenario verdict counts the failures');
  const series = new Set(bench.map((p) => p.strategy + (p.ensurestart === null ? '' : p.ensurestart ? ', wait for start' : ', no wait')));
  check((await page.$$('#bench-chart svg polyline')).length === series.size, `the chart draws one line per strategy (${series.size})`);
  check((await page.$$('#bench-table tr')).length === new Set(bench.map((p) => p.size_gib)).size + 1, 'the bench table has one row per heap size');
  check(problems.length === 0, 'no console errors, exceptions or requests: ' + problems.join(' | '));
  await page.close();
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
  check(!state.text.includes('[object Object]') && !state.text.includes('function Object()') && state.text.includes('__proto__'),
    'property names such as __proto__ and constructor are shown as names, not looked up on the prototype');
  check(problems.length === 0, 'no console errors (a blocked script would log one): ' + problems.join(' | '));
  await page.close();
}

// ---- 10,000 findings: figures, and only the visible rows in the page ---------

async function bigReport() {
  const bytes = fs.statSync(work('big.html')).size;
  const { page, problems } = await open(bigUrl);
  const ready = await page.evaluate(() => performance.getEntriesByName('forksafe-ready')[0].startTime);
  const rendered = await page.$$eval('#rows .row', (rows) => rows.length);
  check((await page.textContent('#shown')) === 'Showing 10,000 of 10,000 findings' && rendered > 10 && rendered < 100,
    `10,000 findings are listed with only the visible rows in the page (${rendered} rows)`);
  // Each timing runs the handler and forces layout, in the page.
  const timed = (action) => page.evaluate(action);
  const search = await timed(() => {
    const t = performance.now(), box = document.getElementById('filter-text');
    box.value = 'helper_9999()';
    box.dispatchEvent(new Event('input'));
    document.getElementById('rows').getBoundingClientRect();
    return [performance.now() - t, document.querySelectorAll('#rows .row').length];
  });
  check(search[1] === 1, 'searching 10,000 findings finds the one that calls helper_9999()');
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
  console.log(`measure: 10,000 findings, ${(bytes / 1e6).toFixed(1)} MB report: ready ${ready.toFixed(0)} ms after navigation, ` +
    `search ${search[0].toFixed(1)} ms, sort by message ${sort.toFixed(1)} ms, scroll to row 5000 ${scroll[0].toFixed(1)} ms (two frames)`);
  check(problems.length === 0, 'no console errors with 10,000 findings: ' + problems.join(' | '));
  await page.close();
}
