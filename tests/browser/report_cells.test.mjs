// The HTML report as a big city gets it, in a browser: write_budget_report (argument 1) writes the
// Monaco report with budgets far below its counts (demand points as cells, uncovered cells per
// target, the network joined into lines and capped, reach outlines coarsened). The page must draw
// all of it from the cells, say that the points are aggregated and where every point is, and log
// no error. Saves a screenshot (argument 2, default report-cells.png).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { launch, check, openReport } from './browser.mjs';

const writer = process.argv[2];
check(writer, 'usage: report_cells.test.mjs WRITE_BUDGET_REPORT [SCREENSHOT]');
const screenshot = resolve(process.argv[3] || 'report-cells.png');
const work = mkdtempSync(join(tmpdir(), 'yike-report-cells-'));
const file = join(work, 'report.html');
execFileSync(writer, [file], { stdio: 'inherit' });

const { context, problems, close } = await launch();
try {
  const { page, foreign } = await openReport(context, file);
  const data = await page.evaluate(() => {
    const d = window.yikeReport.data;
    return { cellM: d.demand.cell_m, cells: d.demand.hh.length, points: d.demand.points,
             n: d.demand.n.reduce((a, b) => a + b, 0), targets: d.targets, stats: d.stats };
  });
  const count = (sel) => page.locator(sel).count();

  // The data is the aggregated form: cells of at least 50 m holding every demand point.
  check(data.cellM >= 50, `demand not aggregated (cell_m ${data.cellM})`);
  check(data.cells < data.points && data.n === data.points, `cells ${data.cells}, points ${data.points}, in cells ${data.n}`);
  check(data.stats.network_chained === true,
        `the network was not joined into lines (stats ${JSON.stringify(data.stats)})`);
  // The page says so, in both languages, and where every point is.
  const legend = await page.locator('.yike-cells').innerText();
  check(legend.includes(`${data.cellM} 米网格`) && legend.includes(`${data.cellM} m cells`) && legend.includes('demand layer'),
        `legend does not say the points are aggregated: ${legend}`);
  const body = await page.locator('body').innerText();
  check(body.includes('demand points are aggregated into'), 'the page does not explain the aggregation');

  // The network is still drawn (joined lines), and facilities.
  check(await count('.leaflet-network-pane path.yike-network') === 1, 'the network is not drawn');
  const networkPath = await page.locator('.leaflet-network-pane path.yike-network').getAttribute('d');
  check(networkPath && networkPath.length > 1000, `network path too short (${networkPath && networkPath.length})`);
  check(await count('.leaflet-facilities-pane path.yike-facility') > 0, 'no facility drawn');

  // A coverage target with uncovered cells: one marker per listed cell with uncovered households,
  // its tooltip naming the cell; its reach drawn; the density layer drawn when switched on.
  const k = data.targets.findIndex((t) => t.kind === 'coverage' && t.has_points && t.uncovered_cell_hh &&
                                          t.uncovered_cell_hh.some((v) => v > 0) && t.reach.some((r) => r.poly.length > 0));
  check(k >= 0, 'no coverage target with uncovered cells and a reach');
  await page.selectOption('#target-select', String(k));
  const expected = data.targets[k].uncovered_cell_hh.filter((v) => v > 0).length;
  const markers = await count('.leaflet-points-pane path.yike-uncovered');
  check(markers === expected, `uncovered cell markers: ${markers} of ${expected}`);
  await page.locator('.leaflet-points-pane path.yike-uncovered').first().hover({ force: true });
  const tip = await page.locator('.leaflet-tooltip').first().innerText();
  check(tip.includes(`${data.cellM} 米格 m cell`) && tip.includes('个点 points'), `cell tooltip: ${tip}`);
  const reach = await count('.leaflet-reach-pane path.yike-reach');
  check(reach === data.targets[k].reach.filter((r) => r.poly.length > 0).length, `reach polygons: ${reach}`);
  await page.check('input[data-layer="density"]');
  check(await count('.leaflet-density-pane path.yike-density') > 0, 'density layer not drawn from the cells');
  await page.uncheck('input[data-layer="density"]');

  check(foreign().length === 0, `requests besides the page: ${foreign().join(', ')}`);
  await page.mouse.move(1, 1);
  await page.waitForTimeout(150);
  await page.screenshot({ path: screenshot });
  check(problems.length === 0, problems.join('\n'));
  console.log(`ok: ${data.points} demand points in ${data.cells} cells of ${data.cellM} m, ${markers} uncovered cells, ${reach} reach polygon(s); screenshot ${screenshot}`);
} finally {
  await close();
  rmSync(work, { recursive: true, force: true });
}
