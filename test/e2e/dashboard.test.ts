// The dashboard in real headless Chromium against a real `dsr run` with real containers: it
// renders the services, follows manifest commits without a reload, shows invalid manifests as a
// banner (as text, never as markup), and its promote button is refused without the token and
// works with it. Leaves a screenshot in test-output/dashboard.png (and docs/dashboard.png).
import { it, after, before } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { cleanupOwner, describeDocker, uniqueOwner } from '../helpers/docker.js';
import { GitRepo, manifest } from '../helpers/git-repo.js';
import { freePort, startDsr, type DsrProcess } from '../helpers/dsr-process.js';
import { startLoad, type RunningLoad } from '../helpers/load.js';
import { waitFor } from '../helpers/wait.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SCREENSHOT = join(ROOT, 'test-output', 'dashboard.png');
const README_SCREENSHOT = join(ROOT, 'docs', 'dashboard.png');

/** What the test reads of the page's globals (tsconfig has no DOM lib: these run in Chromium). */
interface PageGlobals {
  __dsrMarker?: number;
  sessionStorage: { getItem(key: string): string | null };
}

/** web at v2 with a gate first, a judged 50% step, and a second gate. */
function webV2(): string {
  return `${manifest('web', { image: 'dsr-test-web:v2', version: 'v2', replicas: 2, interval: '500ms' })}  rollout:
    steps: [{ pause: {} }, { setWeight: 50 }, { pause: {} }]
    analysis: { interval: 1s, minRequests: 5, maxErrorRate: 0.5, maxLatencyP99: 5s, failureLimit: 3 }
    progressDeadline: 30s
`;
}

describeDocker('dashboard in headless Chromium', () => {
  const owner = uniqueOwner();
  const repo = new GitRepo();
  const data = mkdtempSync(join(tmpdir(), 'dsr-dashboard-'));
  const token = 'dashboard-token-7f3a';
  let dsrProc: DsrProcess;
  let browser: Browser;
  let page: Page;
  /** A second tab whose event stream is cut: it must keep up by polling. */
  let polling: Page;
  let load: RunningLoad | null = null;
  /** Uncaught exceptions and CSP violations in the page: there must be none. */
  const pageProblems: string[] = [];

  const card = (service: string, on: Page = page): Locator => on.locator(`article.service[data-service="${service}"]`);
  const textOf = async (locator: Locator): Promise<string> => ((await locator.count()) > 0 ? ((await locator.first().textContent()) ?? '') : '');
  /** Waits until the page (never reloaded) shows what `check` looks for. */
  const shows = (what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<true> =>
    waitFor(`the dashboard to show ${what}`, async () => (await check()) || null, timeoutMs, 200).then(() => true as const);
  /** Set on window after the first load; a reload would lose it. */
  const notReloaded = async (): Promise<boolean> => page.evaluate(() => (globalThis as unknown as PageGlobals).__dsrMarker === 42);
  const apiStatus = async (): Promise<{ phase: string; rollout: { step: number; weight: number } | null; stable: string | null }> =>
    (await (await fetch(`${dsrProc.url}/api/services/web`)).json()) as { phase: string; rollout: { step: number; weight: number } | null; stable: string | null };

  before(async () => {
    repo.write('web.yaml', manifest('web', { replicas: 1, interval: '500ms' }));
    repo.commit('web v1');
    dsrProc = await startDsr(['--manifests', repo.dir, '--data', data], { DSR_OWNER: owner, DSR_TOKEN: token }, await freePort());
    await waitFor('web healthy', async () => (await apiStatus()).phase === 'Healthy', 30_000);
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    page.on('pageerror', (error) => pageProblems.push(`uncaught: ${error.message}`));
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy|Refused to/i.test(message.text())) pageProblems.push(message.text());
    });
  });

  after(async () => {
    await load?.stop();
    await browser?.close();
    await dsrProc?.kill('SIGKILL');
    await cleanupOwner(owner);
    repo.remove();
    rmSync(data, { recursive: true, force: true });
  });

  it('serves the page and its assets under a strict Content-Security-Policy', async () => {
    const res = await fetch(`${dsrProc.url}/dashboard`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^text\/html/);
    const csp = res.headers.get('content-security-policy') ?? '';
    assert.match(csp, /default-src 'self'/);
    assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval|\*/);
    const html = await res.text();
    assert.doesNotMatch(html, /https?:\/\//, 'no external assets');
    assert.doesNotMatch(html, /<script>|style=/, 'no inline script or style');
    const js = await fetch(`${dsrProc.url}/dashboard/dashboard.js`);
    assert.equal(js.status, 200);
    assert.match(js.headers.get('content-type') ?? '', /javascript/);
    assert.doesNotMatch(await js.text(), /innerHTML|insertAdjacentHTML|document\.write/, 'server data is rendered as text only');
    assert.equal((await fetch(`${dsrProc.url}/dashboard/missing.js`)).status, 404);
  });

  it('renders web as Healthy with its instance and the recent events', async () => {
    await page.goto(`${dsrProc.url}/dashboard`);
    await page.evaluate(() => ((globalThis as unknown as PageGlobals).__dsrMarker = 42));
    await shows('web Healthy', async () => (await textOf(card('web').locator('[data-role=phase]'))) === 'Healthy');
    const rows = card('web').locator('table.instances tbody tr');
    assert.equal(await rows.count(), 1);
    const row = await textOf(rows);
    assert.match(row, new RegExp(`dsr-${owner}-web-v1-1`));
    assert.match(row, /healthy/);
    assert.match(await textOf(card('web').locator('[data-role=weights]')), /v1 100%/);
    await shows('the events of the first pass', async () => (await page.locator('#events li[data-kind="instance.healthy"]').count()) > 0);
    const ids = await page.locator('#events li[data-id]').evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-id'))));
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
    // Live when this DSR serves the stream; without it the page polls (next test).
    const probe = new AbortController();
    const stream = await fetch(`${dsrProc.url}/events/stream`, { signal: probe.signal });
    const hasStream = stream.ok && (stream.headers.get('content-type') ?? '').startsWith('text/event-stream');
    probe.abort();
    if (hasStream) await shows('the live badge', async () => (await textOf(page.locator('#stream'))) === 'live');
  });

  it('keeps working without the event stream, polling behind a "disconnected" badge', async () => {
    polling = await browser.newPage({ viewport: { width: 1400, height: 950 } });
    await polling.route('**/events/stream**', (route) => route.abort());
    await polling.goto(`${dsrProc.url}/dashboard`);
    await shows('the disconnected badge', async () => (await textOf(polling.locator('#stream'))) === 'disconnected');
    await shows('web Healthy without the stream', async () => (await textOf(card('web', polling).locator('[data-role=phase]'))) === 'Healthy');
    assert.ok((await polling.locator('#events li[data-kind="instance.healthy"]').count()) > 0);
  });

  it('shows Docker unavailable in a banner (the API answer altered in the browser)', async () => {
    // Stopping the real engine would take every other suite's containers down: the page's part is
    // to render what GET /api/services says, so this tab sees the real answer with Docker marked down.
    const tab = await browser.newPage();
    await tab.route('**/api/services', async (route) => {
      const real = (await (await route.fetch()).json()) as { docker: Record<string, unknown> };
      real.docker = { available: false, error: 'connect ENOENT /var/run/docker.sock', since: new Date().toISOString() };
      await route.fulfill({ json: real });
    });
    await tab.goto(`${dsrProc.url}/dashboard`);
    const banner = tab.locator('[data-banner=docker]');
    await shows('the Docker banner', async () => (await textOf(banner)).includes('Docker unavailable'));
    assert.match(await textOf(banner), /connect ENOENT \/var\/run\/docker\.sock/);
    await tab.close();
  });

  it('shows a commit that scales web to 2 replicas without a reload', async () => {
    repo.write('web.yaml', manifest('web', { replicas: 2, interval: '500ms' }));
    repo.commit('web: 2 replicas');
    await shows('two healthy instances', async () => {
      const health = await card('web').locator('table.instances .health').allTextContents();
      return health.length === 2 && health.every((h) => h === 'healthy');
    });
    await shows('v1 2/2 ready', async () => (await textOf(card('web').locator('table.versions tbody tr'))).includes('2/2'));
    await shows('two instances in the polling tab too', async () => (await card('web', polling).locator('table.instances tbody tr').count()) === 2);
    await polling.close();
    assert.ok(await notReloaded(), 'the page was not reloaded');
  });

  it('shows an invalid manifest in a banner, as text and never as markup', async () => {
    repo.write('bad.yaml', manifest('bad', { replicas: 1 }).replace('replicas: 1', 'replicas: "<b id=injected>x</b>"'));
    repo.commit('bad manifest');
    const banner = page.locator('[data-banner=manifests]');
    await shows('the manifest error banner', async () => (await textOf(banner)).includes('bad.yaml'));
    assert.match(await textOf(banner), /<b id=injected>x<\/b>/, 'the value is shown literally');
    assert.equal(await page.locator('#injected').count(), 0, 'server text never becomes markup');
    assert.equal(await textOf(card('bad').locator('[data-role=phase]')), 'Invalid');
    rmSync(join(repo.dir, 'bad.yaml'));
    repo.commit('remove bad manifest');
    await shows('the banner gone', async () => (await banner.count()) === 0);
    assert.ok(await notReloaded(), 'the page was not reloaded');
  });

  it('holds a paused rollout when Promote is clicked without the token, and promotes with it', async () => {
    // The 50% step is judged by analysis, which needs traffic through the gateway.
    load = startLoad(`${dsrProc.url}/gateway/web/version`, { rps: 40, maxDurationMs: 60_000 });
    repo.write('web.yaml', webV2());
    repo.commit('web v2 with a gate');
    const web = card('web');
    await shows('the rollout paused at step 1 of 3', async () =>
      (await textOf(web.locator('[data-role=phase]'))) === 'Paused' && (await textOf(web.locator('[data-role=step]'))) === 'step 1 of 3');

    assert.equal(await page.inputValue('#token'), '');
    await web.locator('button[data-action=promote]').click();
    await shows('the refusal', async () => /promote refused \(401\): missing Authorization/.test(await textOf(web.locator('[data-role=action-result]'))));
    const held = await apiStatus();
    assert.equal(held.phase, 'Paused');
    assert.equal(held.rollout?.step, 1, 'a refused promote changes nothing');
    assert.equal(await textOf(web.locator('[data-role=phase]')), 'Paused');

    await page.fill('#token', token);
    assert.equal(await page.evaluate(() => (globalThis as unknown as PageGlobals).sessionStorage.getItem('dsr.token')), token);
    await web.locator('button[data-action=promote]').click();
    await shows('the promote accepted', async () => (await textOf(web.locator('[data-role=action-result]'))) === 'promote accepted');
    await shows('50% on v2 and the next gate, judged by analysis', async () =>
      (await textOf(web.locator('[data-role=step]'))) === 'step 3 of 3' &&
      (await textOf(web.locator('[data-role=phase]'))) === 'Paused' &&
      /v2 50%/.test(await textOf(web.locator('[data-role=weights]'))) &&
      /last analysis: pass · \d+ requests · error rate 0\.0%/.test(await textOf(web.locator('[data-role=verdict]'))), 30_000);
    mkdirSync(join(ROOT, 'test-output'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    mkdirSync(join(ROOT, 'docs'), { recursive: true });
    copyFileSync(SCREENSHOT, README_SCREENSHOT);

    await web.locator('button[data-action=promote]').click();
    await shows('v2 stable and Healthy', async () =>
      (await textOf(web.locator('[data-role=phase]'))) === 'Healthy' &&
      /^v2 100%$/.test(await textOf(web.locator('[data-role=weights]'))) &&
      (await web.locator('table.instances tbody tr').count()) === 2, 30_000);
    assert.equal((await apiStatus()).stable, 'v2');
    assert.equal(await web.locator('[data-role=rollout]').count(), 0);
    await load.stop();
    load = null;
    assert.ok(await notReloaded(), 'the page was not reloaded');
  });

  it('filters the recent events by service', async () => {
    await shows('the web option', async () => (await page.locator('#event-filter option[value=web]').count()) === 1);
    await page.selectOption('#event-filter', 'web');
    const services = await page.locator('#events li[data-id]').evaluateAll((items) => items.map((li) => li.getAttribute('data-service')));
    assert.ok(services.length > 0);
    assert.ok(services.every((s) => s === 'web'), `only web events: ${services.join(',')}`);
    assert.ok((await page.locator('#events li[data-kind="rollout.promoted"]').count()) >= 2);
    await page.selectOption('#event-filter', '');
    assert.ok((await page.locator('#events li[data-kind="manifest.loaded"]').count()) > 0);
    assert.deepEqual(pageProblems, [], 'no script errors or CSP violations');
  });
});
