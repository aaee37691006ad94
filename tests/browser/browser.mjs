// Shared by the browser tests: launches Debian's chromium through playwright-core (installed by the
// build into YIKE_NODE_MODULES; nothing is downloaded) with the flags this closed network needs, and
// collects console errors and failed requests so that a test can assert there were none.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const modules = process.env.YIKE_NODE_MODULES;
if (!modules) throw new Error('YIKE_NODE_MODULES is not set (run the test through ctest)');
const require = createRequire(join(modules, 'noop.js'));
const { chromium } = require('playwright-core');

export async function launch() {
  const profile = mkdtempSync(join(tmpdir(), 'yike-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.YIKE_CHROMIUM || '/usr/bin/chromium',
    headless: true,
    viewport: { width: 1280, height: 900 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
           '--disable-component-update', '--disable-sync'],
  });
  const problems = [];
  context.on('console', (msg) => { if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`); });
  context.on('weberror', (err) => problems.push(`page error: ${err.error().message}`));
  context.on('requestfailed', (req) => problems.push(`request failed: ${req.url()} (${req.failure()?.errorText})`));
  const close = async () => { await context.close(); rmSync(profile, { recursive: true, force: true }); };
  return { context, problems, close };
}

// Fails the test with a readable message.
export function check(condition, message) {
  if (!condition) throw new Error(message);
}

// Opens the HTML report at `file` (a path) from file:// and waits until its script has drawn it.
// Returns the page, its URL and every URL the page asked for (to check that it loaded nothing else).
export async function openReport(context, file) {
  const url = pathToFileURL(file).href;
  console.log(`report.html: ${statSync(file).size} bytes`);
  const requests = [];
  context.on('request', (req) => requests.push(req.url()));
  const page = await context.newPage();
  await page.goto(url, { waitUntil: 'load' });
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  const foreign = () => requests.filter((u) => u !== url && !u.startsWith('data:'));
  return { page, url, foreign };
}
