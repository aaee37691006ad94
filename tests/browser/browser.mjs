// Shared by the browser tests: launches Debian's chromium through playwright-core (installed by the
// build into YIKE_NODE_MODULES; nothing is downloaded) with the flags this closed network needs, and
// collects console errors and failed requests so that a test can assert there were none.
import { createRequire } from 'node:module';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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
