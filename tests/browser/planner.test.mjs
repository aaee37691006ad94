// The web planner in Debian's chromium: start `yike serve` on Monaco (any free loopback port),
// load the page, click the map and see isochrone polygons appear, add a facility at an uncovered
// household and see the target table change; then, on Dongcheng's standard, add a senior dining
// table (a presence target: one in every community, here the grid cells standing for them) in a
// cell without one and see that cell pass; no console errors. Saves a screenshot
// (argv[2], default planner.png in the working folder).
import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { launch, check } from './browser.mjs';

const binary = process.env.YIKE_BINARY;
const data = process.env.YIKE_DATA_DIR;
check(binary && data, 'YIKE_BINARY and YIKE_DATA_DIR must be set (run through ctest)');
const screenshot = resolve(process.argv[2] || 'planner.png');

function startServer(standard) {
  const child = spawn(binary, ['serve', '--osm', `${data}/osm/monaco.osm.pbf`, '--standard', standard, '--port', '0'],
    { stdio: ['ignore', 'ignore', 'pipe'] });
  return new Promise((resolveUrl, reject) => {
    let err = '';
    const timer = setTimeout(() => reject(new Error(`yike serve did not start within 120 s:\n${err}`)), 120000);
    child.stderr.on('data', (chunk) => {
      err += chunk;
      const m = err.match(/listening on (http:\/\/127\.0\.0\.1:\d+)/);
      if (m) {
        clearTimeout(timer);
        resolveUrl({ child, url: m[1] });
      }
    });
    child.on('exit', (code) => { clearTimeout(timer); reject(new Error(`yike serve exited with ${code}:\n${err}`)); });
  });
}

const { child, url } = await startServer('mofcom-15min');
const exited = new Promise((r) => child.on('exit', (code, signal) => r({ code, signal })));
const browser = await launch();
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
  check(await page.locator('#targets tbody tr').count() > 0, 'the target table is empty');

  // Closer in (one zoom level, same centre), then isochrones: click the middle of the map.
  await page.evaluate(() => new Promise((done) => {
    const map = window.yikePlanner.map;
    map.once('zoomend', () => done());
    map.setZoom(map.getZoom() + 1, { animate: false });
  }));
  check(await page.locator('path.yike-iso').count() === 0, 'isochrones before any click');
  const box = await page.locator('#map').boundingBox();
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.waitForFunction(() => window.yikePlanner.state.isochrones === 1 || document.querySelector('.status.error'), null, { timeout: 30000 });
  const error = await page.locator('.status.error').count();
  check(error === 0, `isochrone request failed: ${await page.locator('#status').textContent()}`);
  const polygons = await page.locator('path.yike-iso').count();
  check(polygons >= 3, `expected at least 3 isochrone polygons, found ${polygons}`);

  // Add a convenience store (5-minute target, convenience store or supermarket) at an uncovered household.
  await page.selectOption('#category', 'convenience_store');
  await page.waitForFunction(() => window.yikePlanner.state.result?.category === 'convenience_store' && !window.yikePlanner.state.inFlight,
    null, { timeout: 30000 });
  const before = await page.locator('#targets tbody').innerHTML();
  // The uncovered household with the most uncovered neighbours within 60 px, among those 80 to
  // 300 px from the isochrone's origin (a site there shows its effect).
  const target = await page.evaluate(() => {
    const { map, state } = window.yikePlanner;
    const f = state.result.uncovered.features;
    const centre = map.getSize().divideBy(2);
    const points = f.map((feature) => {
      const [lon, lat] = feature.geometry.coordinates;
      return map.latLngToContainerPoint([lat, lon]);
    });
    let best = null;
    for (const p of points) {
      const d = p.distanceTo(centre);
      if (d < 80 || d > 300) continue;
      const around = points.filter((q) => q.distanceTo(p) <= 60).length;
      if (!best || around > best.around) best = { x: p.x, y: p.y, around };
    }
    return best && { x: best.x, y: best.y, n: f.length };
  });
  check(target, 'the selected category has no uncovered households to serve');
  await page.check('input[name=mode][value=add]');
  const evaluations = await page.evaluate(() => window.yikePlanner.state.evaluations);
  await page.mouse.click(box.x + target.x, box.y + target.y);
  await page.waitForFunction((n) => window.yikePlanner.state.evaluations > n && !window.yikePlanner.state.inFlight, evaluations, { timeout: 30000 });
  const after = await page.locator('#targets tbody').innerHTML();
  check(after !== before, 'the target table did not change after adding a facility');
  const changed = await page.locator('#targets tbody tr.changed').count();
  check(changed > 0, 'no target row is marked as changed');
  const uncoveredAfter = await page.evaluate(() => window.yikePlanner.state.result.uncovered.features.length);
  check(uncoveredAfter < target.n, `uncovered households did not decrease (${target.n} -> ${uncoveredAfter})`);
  check(await page.locator('.site-icon').count() === 1, 'the added site is not on the map');

  await page.screenshot({ path: screenshot });
  check(browser.problems.length === 0, `browser problems:\n${browser.problems.join('\n')}`);
  console.log(`planner: ${polygons} isochrone polygons, ${changed} target rows changed, uncovered ${target.n} -> ${uncoveredAfter}; screenshot ${screenshot}`);
} catch (err) {
  await browser.close();
  throw err;
} finally {
  child.kill('SIGTERM');
}
const { code, signal } = await exited;
check(code === 0, `yike serve did not stop cleanly on SIGTERM (code ${code}, signal ${signal})`);

// Dongcheng: a senior dining table in every community (presence). Monaco has none mapped and no
// community layer, so every 500 m grid cell (standing for a community) lacks data until it gets one.
const second = await startServer('dongcheng-2020');
const secondExited = new Promise((r) => second.child.on('exit', (c, s) => r({ code: c, signal: s })));
try {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1440, height: 1000 });
  await page.goto(second.url);
  await page.waitForSelector('body[data-ready="1"]', { timeout: 60000 });
  await page.selectOption('#category', 'senior_dining');
  await page.waitForFunction(() => window.yikePlanner.state.result?.category === 'senior_dining' && !window.yikePlanner.state.inFlight,
    null, { timeout: 30000 });
  const units = await page.evaluate(() => window.yikePlanner.state.result.units);
  check(units.length >= 1 && units[0].target === 'dc.senior_dining', `no per-unit result for dc.senior_dining: ${JSON.stringify(units)}`);
  check(units[0].level === 'grid' && units[0].passing_before === 0, `expected grid cells, none passing: ${JSON.stringify(units[0]).slice(0, 200)}`);
  // No source gives senior dining tables (OSM rarely maps them, no layer): every cell is no_data, not fail.
  const failing = await page.locator('path.yike-unit-no_data').count();
  check(failing === units[0].units, `${failing} cells without data drawn of ${units[0].units}`);
  // The cell holding most households, brought into view; click its centre (a grid cell is a square).
  const cell = await page.evaluate(() => new Promise((done) => {
    const { map, state } = window.yikePlanner;
    const cells = state.areas.communities;
    const boxOf = (ring) => {
      const lons = ring.filter((_, k) => k % 2 === 0);
      const lats = ring.filter((_, k) => k % 2 === 1);
      return [Math.min(...lons), Math.min(...lats), Math.max(...lons), Math.max(...lats)];
    };
    let best = 0;
    let bestHouseholds = -1;
    cells.forEach((c, i) => {
      const [w, s, e, n] = boxOf(c.rings[0]);
      const hh = state.demand.filter(([lon, lat]) => lon > w && lon < e && lat > s && lat < n).reduce((sum, d) => sum + d[2], 0);
      if (hh > bestHouseholds) {
        bestHouseholds = hh;
        best = i;
      }
    });
    const [w, s, e, n] = boxOf(cells[best].rings[0]);
    const bounds = L.latLngBounds([[s, w], [n, e]]);
    map.once('moveend', () => {
      const p = map.latLngToContainerPoint(bounds.getCenter());
      done({ index: best, id: cells[best].id, x: p.x, y: p.y });
    });
    map.fitBounds(bounds.pad(0.5), { animate: false });
  }));
  await page.check('input[name=mode][value=add]');
  const evaluations = await page.evaluate(() => window.yikePlanner.state.evaluations);
  const mapBox = await page.locator('#map').boundingBox();
  await page.mouse.click(mapBox.x + cell.x, mapBox.y + cell.y);
  await page.waitForFunction((n) => window.yikePlanner.state.evaluations > n && !window.yikePlanner.state.inFlight, evaluations, { timeout: 30000 });
  const result = await page.evaluate(() => window.yikePlanner.state.result);
  const u = result.units[0];
  check(u.status_after[cell.index] === 'pass', `cell ${cell.id} does not pass after adding a table: ${u.status_after[cell.index]}`);
  // Every cell changes: from no data to judged (the one with the table passes, the others fail).
  check(u.passing_after === 1 && u.changed === u.units && u.status_after.filter((st) => st === 'fail').length === u.units - 1,
    `expected one cell to pass and the others to fail: ${u.passing_after} passing, ${u.changed} changed of ${u.units}`);
  const row = result.targets.find((t) => t.id === 'dc.senior_dining');
  // No source gives senior dining tables (OSM rarely maps them): no data before, judged after one is added.
  check(row.before.status === 'no_data' && row.after.status !== 'no_data' && row.after.achieved > row.before.achieved,
    `the target row did not improve: ${JSON.stringify(row)}`);
  check(await page.locator('#targets tbody tr.changed[data-target="dc.senior_dining"]').count() === 1, 'dc.senior_dining not marked as changed');
  check(await page.locator('path.yike-unit-pass.yike-unit-changed').count() === 1, 'the cell is not drawn as passing');
  check(await page.locator(`[data-units="dc.senior_dining"]`).count() === 1, 'no unit summary for dc.senior_dining');
  check(browser.problems.length === 0, `browser problems:\n${browser.problems.join('\n')}`);
  console.log(`planner (dongcheng): senior dining table added in cell ${cell.id}: passing cells ${u.passing_before} -> ${u.passing_after} of ${u.units}`);
} finally {
  await browser.close();
  second.child.kill('SIGTERM');
}
const second_stop = await secondExited;
check(second_stop.code === 0, `yike serve (dongcheng) did not stop cleanly on SIGTERM (code ${second_stop.code}, signal ${second_stop.signal})`);
