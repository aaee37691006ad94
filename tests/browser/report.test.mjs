// The HTML report in a browser: runs the Monaco coverage (mofcom-15min: coverage, and a ratio target) into a temporary folder, opens
// report.html from file://, and checks that the map draws (network, facilities, areas, uncovered
// households; the reach appears when a coverage target is selected; the density layer can be
// switched on), that the target table and the chart render, and that the page logged no error and
// asked for nothing but itself. Saves a screenshot (argument 1, default report.png).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launch, check, openReport } from './browser.mjs';

const screenshot = resolve(process.argv[2] || 'report.png');
const work = mkdtempSync(join(tmpdir(), 'yike-report-'));
const out = join(work, 'report');
execFileSync(process.env.YIKE_BINARY, ['coverage', '--osm', join(process.env.YIKE_DATA_DIR, 'osm', 'monaco.osm.pbf'),
  '--standard', 'mofcom-15min', '--layers', 'geojson', '--threads', '2', '--out', out, '-q'], { stdio: 'inherit' });

const { context, problems, close } = await launch();
try {
  const { page, foreign } = await openReport(context, join(out, 'report.html'));
  const data = await page.evaluate(() => {
    const d = window.yikeReport.data;
    return { facilities: d.facilities.cat.length, targets: d.targets, categories: d.categories.length,
             communities: d.communities.length, defaultTarget: d.default_target };
  });
  const count = (sel) => page.locator(sel).count();

  // Map: Leaflet panes with the network, facilities and areas.
  check(await count('.leaflet-network-pane path.yike-network') === 1, 'the network is not drawn');
  const networkPath = await page.locator('.leaflet-network-pane path.yike-network').getAttribute('d');
  check(networkPath && networkPath.length > 10000, `network path too short (${networkPath && networkPath.length})`);
  check(await count('.leaflet-facilities-pane path.yike-facility') === data.facilities,
        `facility markers: ${await count('.leaflet-facilities-pane path.yike-facility')} of ${data.facilities}`);
  check(await count('.leaflet-areas-pane path.yike-area') === data.communities, 'areas not drawn');
  check(await count('.leaflet-control-attribution') === 1 &&
        (await page.locator('.leaflet-control-attribution').innerText()).includes('© OpenStreetMap contributors, ODbL'),
        'attribution missing');

  // Reach: none for a target without a threshold, drawn once a coverage target is chosen.
  const other = data.targets.findIndex((t) => t.kind !== 'coverage');
  const coverage = data.targets.findIndex((t) => t.kind === 'coverage' && t.reach.some((r) => r.poly.length > 0) && t.uncovered.length > 0);
  check(coverage >= 0, 'no coverage target with facilities in the Monaco run');
  if (other >= 0) {
    await page.selectOption('#target-select', String(other));
    check(await count('.leaflet-reach-pane path.yike-reach') === 0, 'reach drawn for a target without a threshold');
  }
  await page.selectOption('#target-select', String(coverage));
  const t = data.targets[coverage];
  const reach = await count('.leaflet-reach-pane path.yike-reach');
  check(reach === t.reach.filter((r) => r.poly.length > 0).length, `reach polygons: ${reach}`);
  const reachBox = await page.locator('.leaflet-reach-pane path.yike-reach').first().boundingBox();
  check(reachBox && reachBox.width > 20 && reachBox.height > 20, 'reach polygon has no size on screen');
  // Uncovered households of that target: one marker per uncovered point with households.
  const expectedUncovered = await page.evaluate((k) => {
    const d = window.yikeReport.data; let i = 0; let n = 0;
    d.targets[k].uncovered.forEach((v, j) => { i = j === 0 ? v : i + v; if (d.demand.hh[i] > 0) ++n; });
    return n;
  }, coverage);
  check(expectedUncovered > 0, 'the chosen target leaves nobody uncovered');
  check(await count('.leaflet-points-pane path.yike-uncovered') === expectedUncovered,
        `uncovered markers: ${await count('.leaflet-points-pane path.yike-uncovered')} of ${expectedUncovered}`);
  check(await count('#targets tbody tr.selected') === 1 &&
        await page.locator('#targets tbody tr.selected').getAttribute('data-target') === t.id, 'table row not selected');
  // Density layer: off by default, drawn when switched on.
  check(await count('path.yike-density') === 0, 'density drawn while switched off');
  await page.check('input[data-layer="density"]');
  check(await count('.leaflet-density-pane path.yike-density') > 0, 'density layer not drawn');
  await page.uncheck('input[data-layer="density"]');
  // Clicking a table row selects its target.
  await page.locator(`#targets tbody tr[data-target="${data.targets[data.defaultTarget].id}"]`).click();
  check(await page.locator('#target-select').inputValue() === String(data.defaultTarget), 'row click did not select');

  // Table and chart.
  check(await count('#targets tbody tr') === data.targets.length, 'table rows missing');
  const header = await page.locator('#targets thead').innerText();
  for (const word of ['要求', 'Required', '达到', 'Achieved', '未覆盖户数', 'Uncovered']) check(header.includes(word), `header lacks ${word}`);
  const bars = await count('#chart g.bar');
  check(bars === data.targets.filter((x) => x.kind === 'coverage').length, `chart bars: ${bars}`);
  const chartBox = await page.locator('#chart').boundingBox();
  check(chartBox && chartBox.width > 300 && chartBox.height > 30 * bars, 'chart has no size');
  const filled = await page.locator('#chart rect.fill').evaluateAll((rs) => rs.filter((r) => r.getBBox().width > 0).length);
  check(filled > 0, 'no bar has a length');

  // Only the page itself was loaded: no other file, no server.
  check(foreign().length === 0, `requests besides the page: ${foreign().join(', ')}`);
  // The screenshot shows the coverage target closest to being met (reach and gaps both visible).
  const shown = data.targets.map((x, k) => [x, k]).filter(([x]) => x.kind === 'coverage' && x.reach.some((r) => r.poly.length > 0))
    .sort((a, b) => parseFloat(b[0].achieved) - parseFloat(a[0].achieved) || a[1] - b[1])[0][1];
  await page.selectOption('#target-select', String(shown));
  await page.mouse.move(1, 1);
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.waitForTimeout(150);
  await page.screenshot({ path: screenshot });
  check(problems.length === 0, problems.join('\n'));
  console.log(`ok: ${data.facilities} facilities, ${reach} reach polygon(s), ${expectedUncovered} uncovered points, ${bars} bars; screenshot ${screenshot}`);
} finally {
  await close();
  rmSync(work, { recursive: true, force: true });
}
