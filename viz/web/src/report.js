// yike HTML report: draws the embedded data (script#yike-data) on a Leaflet map without tiles,
// and wires the target selector, the layer switches and the legend. Everything it needs is in the
// page; it asks the network for nothing.
(function () {
  'use strict';
  const data = JSON.parse(document.getElementById('yike-data').textContent);
  // --lang: Chinese and English side by side, or one of them.
  const LANG = data.lang || 'both';
  function words(zh, en, sep) {
    if (LANG === 'zh') return zh;
    if (LANG === 'en') return en;
    return `${zh}${sep === undefined ? ' ' : sep}${en}`;
  }
  const STATUS = {
    P: { colour: '#66bd63', zh: '达标', en: 'pass' },
    F: { colour: '#f46d43', zh: '未达标', en: 'fail' },
    R: { colour: '#74add1', zh: '仅报告', en: 'report only' },
    A: { colour: '#bdbdbd', zh: '无法评估', en: 'not assessable' },
    X: { colour: '#d9d9d9', zh: '无数据', en: 'no data' },
    D: { colour: '#e0e0e0', zh: '无需求', en: 'no demand' },
    N: { colour: '#e0e0e0', zh: '不适用', en: 'not applicable' },
  };
  const UNCOVERED = '#c51b7d';
  const DENSITY = ['#fee5d9', '#fcae91', '#fb6a4a', '#de2d26', '#a50f15'];
  const DENSITY_CELL_M = 100;

  // ---- decoding (integers of 1e-6 degrees, each the difference to the previous point) ----
  function points(flat) {
    const out = [];
    let x = 0, y = 0;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      x += flat[i]; y += flat[i + 1];
      out.push([y / 1e6, x / 1e6]);
    }
    return out;
  }
  function lines(flat) {
    const out = [];
    let x = 0, y = 0, i = 0;
    while (i < flat.length) {
      const n = flat[i++];
      const line = [];
      for (let k = 0; k < n; ++k) { x += flat[i++]; y += flat[i++]; line.push([y / 1e6, x / 1e6]); }
      out.push(line);
    }
    return out;
  }
  function polygons(polys) {
    let x = 0, y = 0;
    return polys.map((rings) => rings.map((ring) => {
      const out = [];
      for (let i = 1; i + 1 < ring.length; i += 2) { x += ring[i]; y += ring[i + 1]; out.push([y / 1e6, x / 1e6]); }
      return out;
    }));
  }
  function esc(s) {
    return String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  }
  const fmt = (v) => Math.round(v).toLocaleString('en-US');

  // ---- map ----------------------------------------------------------------------------------
  const map = L.map('map', { zoomSnap: 0.25, zoomDelta: 0.5, attributionControl: true, preferCanvas: false });
  map.attributionControl.setPrefix('Leaflet');
  map.attributionControl.addAttribution(esc(data.attribution));
  L.control.scale({ imperial: false, maxWidth: 140 }).addTo(map);
  const panes = [['areas', 410], ['density', 420], ['reach', 430], ['network', 440], ['points', 450], ['facilities', 460]];
  for (const [name, z] of panes) { map.createPane(name).style.zIndex = z; }

  const network = lines(data.network);
  const networkLayer = L.polyline(network, {
    pane: 'network', color: '#8f8f8f', weight: 1.1, opacity: 0.9, interactive: false, className: 'yike-network',
  });
  const demand = points(data.demand.xy);
  const facilityAt = points(data.facilities.xy);
  const planned = new Set(data.facilities.planned);
  const communities = data.communities.map((a) => Object.assign({}, a, { rings: polygons(a.poly) }));
  const subdistricts = data.subdistricts.map((a) => Object.assign({}, a, { rings: polygons(a.poly) }));

  const groups = {
    areas: L.layerGroup(), density: L.layerGroup(), reach: L.layerGroup(), network: L.layerGroup([networkLayer]),
    uncovered: L.layerGroup(), facilities: L.layerGroup(),
  };
  const shown = { areas: true, density: false, reach: true, network: true, uncovered: true, facilities: true };
  const LABELS = {
    areas: ['社区达标情况', data.grid ? 'Grid cells: pass / fail' : 'Communities: pass / fail'],
    density: ['未覆盖住户密度', 'Uncovered households per 100 m cell'],
    reach: ['可达范围', 'Reach within the threshold'],
    network: ['步行路网', 'Walking network'],
    uncovered: ['未覆盖住户', 'Uncovered households'],
    facilities: ['设施', 'Facilities'],
  };
  const ORDER = ['facilities', 'uncovered', 'reach', 'density', 'areas', 'network'];

  // The view holds the households and facilities; the network may reach well beyond them.
  const bounds = demand.length + facilityAt.length ? L.latLngBounds(demand.concat(facilityAt)) : networkLayer.getBounds();
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12] });
  else map.setView([0, 0], 2);

  let current = -1;

  function drawAreas(t) {
    groups.areas.clearLayers();
    const areas = t.areas === 'subdistricts' ? subdistricts : communities;
    areas.forEach((a, i) => {
      if (!a.rings.length) return;
      const st = STATUS[t.area_status[i]] || STATUS.N;
      const share = t.area_share[i];
      L.polygon(a.rings, {
        pane: 'areas', color: '#6b6b6b', weight: 0.7, fillColor: st.colour, fillOpacity: 0.38, className: 'yike-area yike-area-' + t.area_status[i],
      }).bindTooltip(`<b>${esc(a.name || a.id)}</b><br>${words(st.zh, st.en)}` +
        (share === null ? '' : `<br>达到 achieved ${(100 * share).toFixed(1)} %`) + `<br>${fmt(a.hh)} 户 households`, { sticky: true })
        .addTo(groups.areas);
    });
  }

  function uncoveredIndices(t) {
    const out = [];
    let i = 0;
    t.uncovered.forEach((d, k) => { i = k === 0 ? d : i + d; out.push(i); });
    return out;
  }

  function drawUncovered(t) {
    groups.uncovered.clearLayers();
    groups.density.clearLayers();
    if (!t.has_points) return;
    const idx = uncoveredIndices(t);
    const renderer = idx.length > 10000 ? L.canvas({ pane: 'points' }) : undefined;
    const cells = new Map();
    const lat0 = bounds.isValid() ? bounds.getCenter().lat : 0;
    const cell = DENSITY_CELL_M / Math.cos(lat0 * Math.PI / 180); // Web Mercator metres per 100 m on the ground
    // A big city's points come as cells (data.demand.cell_m): each listed cell carries the
    // target's uncovered households in it.
    const cellHh = t.uncovered_cell_hh;
    idx.forEach((i, k) => {
      const hh = cellHh ? cellHh[k] : data.demand.hh[i];
      if (hh <= 0) return;
      const where = cellHh ? `<br>${data.demand.cell_m} 米格 m cell, ${fmt(data.demand.n[i])} 个点 points` : '';
      L.circleMarker(demand[i], {
        pane: 'points', renderer, radius: Math.min(7, 1.4 + 0.55 * Math.sqrt(hh)), color: '#ffffff', weight: 0.5,
        fillColor: UNCOVERED, fillOpacity: 0.8, className: 'yike-uncovered',
      }).bindTooltip(`未覆盖 uncovered: ${hh} 户 households${where}`).addTo(groups.uncovered);
      const p = L.CRS.EPSG3857.project(L.latLng(demand[i]));
      const key = Math.floor(p.x / cell) + ':' + Math.floor(p.y / cell);
      cells.set(key, (cells.get(key) || 0) + hh);
    });
    let max = 0;
    for (const v of cells.values()) max = Math.max(max, v);
    for (const [key, v] of cells) {
      const [cx, cy] = key.split(':').map(Number);
      const sw = L.CRS.EPSG3857.unproject(L.point(cx * cell, cy * cell));
      const ne = L.CRS.EPSG3857.unproject(L.point((cx + 1) * cell, (cy + 1) * cell));
      const k = Math.min(DENSITY.length - 1, Math.floor(DENSITY.length * Math.sqrt(v / max)));
      L.rectangle([sw, ne], {
        pane: 'density', stroke: false, fillColor: DENSITY[k], fillOpacity: 0.75, className: 'yike-density',
      }).bindTooltip(`${fmt(v)} 户未覆盖 uncovered households`).addTo(groups.density);
    }
  }

  function drawReach(t) {
    groups.reach.clearLayers();
    for (const r of t.reach) {
      const c = data.categories[r.cat];
      const rings = polygons(r.poly);
      if (!rings.length) continue;
      L.polygon(rings, {
        pane: 'reach', color: c.colour, weight: 1.4, opacity: 0.9, fillColor: c.colour, fillOpacity: 0.16,
        className: 'yike-reach', interactive: false,
      }).addTo(groups.reach);
    }
  }

  function drawFacilities(t) {
    groups.facilities.clearLayers();
    const own = new Set(t.cats);
    // The target's categories last, so they sit on top.
    const order = facilityAt.map((_, i) => i).sort((a, b) => (own.has(data.facilities.cat[a]) - own.has(data.facilities.cat[b])) || a - b);
    for (const i of order) {
      const c = data.categories[data.facilities.cat[i]];
      const mine = own.has(data.facilities.cat[i]);
      const isNew = planned.has(i);
      L.circleMarker(facilityAt[i], {
        pane: 'facilities', radius: isNew ? 8 : (mine ? 6 : 3.5), color: isNew ? '#000000' : '#ffffff', weight: isNew ? 2.5 : 1.4,
        fillColor: c.colour, fillOpacity: mine ? 1 : 0.45, opacity: mine ? 1 : 0.6,
        className: 'yike-facility' + (mine ? ' yike-facility-target' : '') + (isNew ? ' yike-facility-new' : ''),
      }).bindTooltip(`<b>${esc(data.facilities.name[i] || c.zh)}</b><br>${esc(words(c.zh, c.en))}` +
        (isNew ? '<br>新增设施 planned site' : '')).addTo(groups.facilities);
    }
  }

  function refreshVisibility() {
    for (const name of Object.keys(groups)) {
      if (shown[name] && !map.hasLayer(groups[name])) groups[name].addTo(map);
      if (!shown[name] && map.hasLayer(groups[name])) map.removeLayer(groups[name]);
    }
  }

  // ---- panel ----------------------------------------------------------------------------------
  const panel = document.getElementById('panel');
  panel.innerHTML = '';
  const sel = document.createElement('select');
  sel.id = 'target-select';
  data.targets.forEach((t, i) => {
    const o = document.createElement('option');
    o.value = String(i);
    o.textContent = words(t.zh, t.en, ' / ');
    sel.appendChild(o);
  });
  const selLabel = document.createElement('label');
  selLabel.className = 'pick';
  selLabel.innerHTML = '<span>目标 <i>Target</i></span>';
  selLabel.appendChild(sel);
  panel.appendChild(selLabel);
  const info = document.createElement('div');
  info.id = 'target-info';
  panel.appendChild(info);
  const switches = document.createElement('fieldset');
  switches.innerHTML = '<legend>图层 <i>Layers</i></legend>';
  for (const name of ORDER) {
    const l = document.createElement('label');
    const cb = document.createElement('input');
    cb.type = 'checkbox';
    cb.checked = shown[name];
    cb.dataset.layer = name;
    cb.addEventListener('change', () => { shown[name] = cb.checked; refreshVisibility(); });
    l.appendChild(cb);
    l.insertAdjacentHTML('beforeend', ` ${LABELS[name][0]} <i>${LABELS[name][1]}</i>`);
    switches.appendChild(l);
  }
  panel.appendChild(switches);
  const legend = document.createElement('div');
  legend.id = 'legend';
  panel.appendChild(legend);

  function drawLegend(t) {
    const own = new Set(t.cats);
    let h = '<h3>设施类别 <i>Facility categories</i></h3><ul class="cats">';
    data.categories.forEach((c, i) => {
      if (!c.count && !own.has(i)) return;
      h += `<li class="${own.has(i) ? 'own' : ''}"><b style="background:${c.colour}"></b>${LANG === 'en' ? '' : esc(c.zh)} <i>${LANG === 'zh' ? '' : esc(c.en)}</i> <span class="n">${c.count}</span></li>`;
    });
    h += '</ul>';
    if (planned.size) h += '<p><b class="dot new"></b>新增设施 <i>planned site</i></p>';
    h += '<h3>图例 <i>Legend</i></h3><ul class="keys">';
    h += `<li><b class="sw" style="background:${STATUS.P.colour}"></b>达标 <i>pass</i> <b class="sw" style="background:${STATUS.F.colour}"></b>未达标 <i>fail</i> <b class="sw" style="background:${STATUS.A.colour}"></b>其他 <i>other</i></li>`;
    h += `<li><b class="dot" style="background:${UNCOVERED}"></b>未覆盖住户（按户数） <i>uncovered households, sized by households</i></li>`;
    if (data.demand.cell_m) {
      h += `<li class="yike-cells">按 ${data.demand.cell_m} 米网格汇总（逐点见 layers 的 demand 图层） <i>aggregated into ${data.demand.cell_m} m cells (every point: demand layer of layers.gpkg)</i></li>`;
    }
    h += '<li><span class="ramp">' + DENSITY.map((c) => `<b style="background:${c}"></b>`).join('') + '</span> 未覆盖密度 <i>density</i></li>';
    h += '<li><b class="sw reach"></b>可达范围 <i>reach of the target\'s facilities</i></li>';
    h += '<li><b class="line"></b>步行路网 <i>walking network</i></li></ul>';
    legend.innerHTML = h;
  }

  function select(k) {
    k = Math.max(0, Math.min(data.targets.length - 1, k));
    if (k === current) return;
    current = k;
    const t = data.targets[k];
    sel.value = String(k);
    const st = { pass: STATUS.P, fail: STATUS.F, report_only: STATUS.R, not_assessable: STATUS.A, no_data: STATUS.X, no_demand: STATUS.D }[t.status] || STATUS.N;
    info.innerHTML = `<div class="status" style="border-color:${st.colour}"><b>${LANG === 'en' ? '' : esc(t.zh)}</b> <i>${LANG === 'zh' ? '' : esc(t.en)}</i>` +
      `<dl><dt>阈值 <i>threshold</i></dt><dd>${esc(t.threshold)}</dd><dt>要求 <i>required</i></dt><dd>${esc(t.required)}</dd>` +
      `<dt>${words('达到', 'achieved')}</dt><dd>${esc(t.achieved)}</dd><dt>${words('结果', 'result')}</dt><dd>${words(st.zh, st.en)}</dd>` +
      (t.kind === 'coverage' ? `<dt>未覆盖 <i>uncovered</i></dt><dd>${fmt(t.uncovered_hh)} 户 hh</dd>` : '') + '</dl></div>';
    drawAreas(t);
    drawUncovered(t);
    drawReach(t);
    drawFacilities(t);
    drawLegend(t);
    for (const row of document.querySelectorAll('#targets tbody tr')) row.classList.toggle('selected', row.dataset.target === t.id);
    for (const bar of document.querySelectorAll('#chart g.bar')) bar.classList.toggle('selected', bar.dataset.target === t.id);
    refreshVisibility();
  }
  sel.addEventListener('change', () => select(Number(sel.value)));
  const byId = new Map(data.targets.map((t, i) => [t.id, i]));
  for (const el of document.querySelectorAll('#targets tbody tr, #chart g.bar')) {
    el.addEventListener('click', () => {
      select(byId.get(el.dataset.target));
      document.getElementById('map').scrollIntoView({ behavior: 'smooth', block: 'nearest' });
    });
  }
  select(data.default_target);
  // The printed map is narrower than the window: lay it out again for the page, and back.
  const refit = () => { map.invalidateSize({ animate: false }); if (bounds.isValid()) map.fitBounds(bounds, { padding: [12, 12], animate: false }); };
  window.addEventListener('beforeprint', refit);
  window.addEventListener('afterprint', refit);
  window.yikeReport = { map, groups, select: (id) => select(byId.get(id)), data };
  document.body.dataset.ready = 'true';
})();
