// yike web planner: the page keeps the scenario (added sites, removed facilities) and asks the
// stateless API of `yike serve` for isochrones and for the scenario's effect on the targets.
'use strict';
(function () {
  const $ = (id) => document.getElementById(id);
  const state = {
    info: null,
    category: null,
    added: [],          // {id, lat, lon, marker}
    removed: new Set(), // facility ids of the category
    seq: 0,
    mode: 'isochrone',
    inFlight: false,
    again: false,
    result: null,
    isochrones: 0,      // isochrone responses drawn (tests watch it)
    evaluations: 0,     // scenario responses shown
  };

  async function api(path, body) {
    const init = body === undefined ? {} : {
      method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body),
    };
    const res = await fetch(path, init);
    const data = await res.json();
    if (!res.ok) throw new Error(data.error || res.statusText);
    return data;
  }

  function status(text, error) {
    const s = $('status');
    s.textContent = text;
    s.className = error ? 'status error' : 'status';
  }

  const pct = (v) => (v === null || v === undefined ? '–' : (100 * v).toFixed(1) + '%');
  const num = (v) => (v === null || v === undefined ? '–' : Number(v).toLocaleString('en-US', { maximumFractionDigits: 1 }));
  // Households and people are estimates (building floor area / household size): counted whole, as the report does.
  const whole = (v) => (v === null || v === undefined ? '–' : Math.round(Number(v)).toLocaleString('en-US'));
  const esc = (t) => String(t).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' }[c]));

  // ---- map ------------------------------------------------------------------------------------
  const map = L.map('map', { zoomSnap: 0.25, preferCanvas: false });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.attributionControl.addAttribution('© <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a> contributors, ODbL');
  const canvas = L.canvas({ padding: 0.3 });
  const svg = L.svg({ padding: 0.3 });
  for (const [name, z] of [['areas', 250], ['network', 300], ['demand', 320], ['iso', 400], ['uncovered', 450], ['facilities', 500]]) {
    map.createPane(name).style.zIndex = z;
  }
  const areaLayer = L.layerGroup().addTo(map);
  const networkLayer = L.layerGroup().addTo(map);
  const demandLayer = L.layerGroup().addTo(map);
  const isoLayer = L.layerGroup().addTo(map);
  const uncoveredLayer = L.layerGroup().addTo(map);
  const otherFacilities = L.layerGroup().addTo(map);
  const facilityLayer = L.layerGroup().addTo(map);
  const siteLayer = L.layerGroup().addTo(map);
  const bandColours = ['#1a9850', '#91cf60', '#fdae61', '#f46d43', '#d73027', '#a50026'];

  const legend = L.control({ position: 'bottomright' });
  legend.onAdd = () => {
    const div = L.DomUtil.create('div', 'legend');
    div.innerHTML =
      '<div><i style="background:#1a9850;opacity:.7"></i>5 分钟步行 min walk</div>' +
      '<div><i style="background:#91cf60;opacity:.7"></i>10 分钟步行 min walk</div>' +
      '<div><i style="background:#fdae61;opacity:.7"></i>15 分钟步行 min walk</div>' +
      '<div><i class="dot" style="background:#2f80ed"></i>所选类别设施 facilities of the category</div>' +
      '<div><i class="dot" style="background:#8e24aa"></i>新增设施 added site</div>' +
      '<div><i class="dot" style="background:#d35400"></i>未覆盖住户 uncovered households</div>' +
      '<div><i style="background:#1a9850;opacity:.35"></i>达标社区 unit passes</div>' +
      '<div><i style="background:#d73027;opacity:.35"></i>未达标社区 unit fails</div>' +
      '<div><i class="dot" style="background:#c5cbd3"></i>住户 households</div>' +
      '<div><i style="background:#8a94a6;height:2px"></i>步行网络 walking network</div>';
    return div;
  };
  legend.addTo(map);
  L.control.scale({ imperial: false }).addTo(map);

  // ---- base map -------------------------------------------------------------------------------
  function drawLayers(layers) {
    const lines = layers.network.map((flat) => {
      const pts = [];
      for (let k = 0; k + 1 < flat.length; k += 2) pts.push([flat[k + 1], flat[k]]);
      return pts;
    });
    L.polyline(lines, { renderer: canvas, pane: 'network', color: '#8a94a6', weight: 1.2, opacity: 0.9, interactive: false })
      .addTo(networkLayer);
    for (const [lon, lat, hh] of layers.demand) {
      L.circleMarker([lat, lon], {
        renderer: canvas, pane: 'demand', radius: Math.min(4, 1.5 + Math.sqrt(hh) / 3), stroke: false,
        fillColor: '#c5cbd3', fillOpacity: 0.8, interactive: false,
      }).addTo(demandLayer);
    }
    state.facilities = layers.facilities;
    state.demand = layers.demand;
    state.areas = layers.areas || { communities: [], subdistricts: [] };
  }

  // Presence and ratio targets are judged per community (or grid cell, or sub-district): the
  // units of the first such target naming the category, coloured by their status after the scenario.
  function drawUnits(data) {
    areaLayer.clearLayers();
    const u = (data.units || [])[0];
    if (!u) return;
    const areas = state.areas[u.areas] || [];
    areas.forEach((a, i) => {
      if (!a.rings.length) return;
      const after = u.status_after[i];
      const before = u.status_before[i];
      // no_data: no source gave the category (OSM rarely maps it), so the gap may be in the data.
      const colour = after === 'pass' ? '#1a9850' : after === 'fail' ? '#d73027' : after === 'no_data' ? '#fdae61' : '#8a94a6';
      const rings = a.rings.map((flat) => {
        const pts = [];
        for (let k = 0; k + 1 < flat.length; k += 2) pts.push([flat[k + 1], flat[k]]);
        return pts;
      });
      L.polygon(rings, {
        renderer: svg, pane: 'areas', color: colour, weight: 1, opacity: 0.7, fillColor: colour,
        fillOpacity: after === before ? 0.15 : 0.35, interactive: true,
        className: `yike-unit yike-unit-${after}${after !== before ? ' yike-unit-changed' : ''}`,
      }).bindTooltip(`${esc(a.name || a.id)}<br><small>${esc(u.target)}: ${esc(before)} → ${esc(after)}</small>`)
        .on('click', (e) => {
          // A click inside a unit still adds a site or draws isochrones.
          L.DomEvent.stopPropagation(e);
          if (state.mode === 'add') addSite(e.latlng); else isochrone(e.latlng);
        })
        .addTo(areaLayer);
    });
  }

  function drawFacilities() {
    facilityLayer.clearLayers();
    otherFacilities.clearLayers();
    for (const f of state.facilities) {
      if (f.category !== state.category) {
        L.circleMarker([f.lat, f.lon], {
          renderer: canvas, pane: 'facilities', radius: 2, stroke: false, fillColor: '#52606d', fillOpacity: 0.45, interactive: false,
        }).addTo(otherFacilities);
        continue;
      }
      const removed = state.removed.has(f.id);
      const m = L.circleMarker([f.lat, f.lon], {
        renderer: svg, pane: 'facilities', radius: 6, weight: 2, color: removed ? '#c0392b' : '#fff',
        fillColor: removed ? '#fff' : '#2f80ed', fillOpacity: 1, className: 'yike-facility',
      }).addTo(facilityLayer);
      m.bindTooltip(`${esc(f.name || f.id)}<br><small>${esc(f.id)}${removed ? ' · 已移除 removed' : ''}</small>`);
      m.on('click', (e) => {
        L.DomEvent.stopPropagation(e);
        if (state.removed.has(f.id)) state.removed.delete(f.id); else state.removed.add(f.id);
        drawFacilities();
        evaluate();
      });
    }
  }

  // ---- isochrones -----------------------------------------------------------------------------
  async function isochrone(latlng) {
    const profile = $('profile').value;
    status('计算等时圈… computing isochrones…');
    const t0 = performance.now();
    try {
      const data = await api('/api/isochrone', { lon: latlng.lng, lat: latlng.lat, minutes: [5, 10, 15], profile });
      isoLayer.clearLayers();
      const features = data.features.slice().reverse(); // largest first, smaller on top
      features.forEach((f, k) => {
        const colour = bandColours[features.length - 1 - k] || '#a50026';
        L.geoJSON(f, {
          renderer: svg, pane: 'iso', interactive: false,
          style: { color: colour, weight: 1.2, opacity: 0.9, fillColor: colour, fillOpacity: 0.4, className: 'yike-iso' },
        }).addTo(isoLayer);
      });
      L.marker([latlng.lat, latlng.lng], {
        pane: 'facilities', interactive: false, icon: L.divIcon({ className: '', html: '<div class="origin-icon"></div>', iconSize: [12, 12] }),
      }).addTo(isoLayer);
      const ms = Math.round(performance.now() - t0);
      const areas = data.features.map((f) => `${f.properties.minutes} 分钟 min: ${(f.properties.area_m2 / 1e4).toFixed(1)} ha`).join(' · ');
      $('iso-info').textContent = `${profile === 'senior' ? '老年人 senior' : '一般 walk'} · ${areas} (${ms} ms)`;
      state.isochrones += 1;
      status('');
    } catch (err) {
      status(err.message, true);
    }
  }

  // ---- scenario -------------------------------------------------------------------------------
  function scenario() {
    return {
      category: state.category,
      add: state.added.map((s) => ({ id: s.id, lon: s.lon, lat: s.lat })),
      remove: [...state.removed],
    };
  }

  function addSite(latlng) {
    const site = { id: 'S' + (++state.seq), lat: latlng.lat, lon: latlng.lng };
    site.marker = L.marker(latlng, {
      draggable: true, pane: 'facilities',
      icon: L.divIcon({ className: '', html: '<div class="site-icon">+</div>', iconSize: [20, 20] }),
      title: site.id,
    }).addTo(siteLayer);
    site.marker.on('dragend', () => {
      const p = site.marker.getLatLng();
      site.lat = p.lat;
      site.lon = p.lng;
      evaluate();
    });
    site.marker.on('click', () => removeSite(site));
    state.added.push(site);
    evaluate();
  }

  function removeSite(site) {
    siteLayer.removeLayer(site.marker);
    state.added = state.added.filter((s) => s !== site);
    evaluate();
  }

  // One request at a time; changes made meanwhile are sent once it returns.
  async function evaluate() {
    if (!state.category) return;
    if (state.inFlight) {
      state.again = true;
      return;
    }
    state.inFlight = true;
    status('评估方案… evaluating…');
    const t0 = performance.now();
    try {
      const data = await api('/api/scenario', scenario());
      showResult(data);
      status(`已更新 updated (${Math.round(performance.now() - t0)} ms)`);
    } catch (err) {
      status(err.message, true);
    } finally {
      state.inFlight = false;
      if (state.again) {
        state.again = false;
        evaluate();
      }
    }
  }

  function badge(s) {
    if (s === 'pass') return '<span class="badge pass">✓</span>';
    if (s === 'fail') return '<span class="badge fail">✗</span>';
    return `<span class="badge other" title="${esc(s)}">·</span>`;
  }

  function achieved(t, u) {
    if (u.achieved === null) return '–';
    return t.kind === 'ratio' ? num(u.achieved) : pct(u.achieved);
  }

  function showResult(data) {
    state.result = data;
    state.evaluations += 1;
    const rows = data.targets.slice().sort((a, b) => (b.touched - a.touched));
    $('targets').querySelector('tbody').innerHTML = rows.map((t) => {
      const changed = t.before.achieved !== t.after.achieved || t.before.status !== t.after.status;
      const req = t.required === null ? '–' : (t.kind === 'ratio' ? num(t.required) : pct(t.required));
      return `<tr data-target="${esc(t.id)}" class="${t.touched ? 'touched' : ''} ${changed ? 'changed' : ''}">` +
        `<td>${esc(t.name_zh)}<span class="name-en">${esc(t.name_en)}${t.threshold ? ' · ' + esc(t.threshold) : ''}</span></td>` +
        `<td class="num">${req}</td>` +
        `<td class="num before">${achieved(t, t.before)}${badge(t.before.status)}</td>` +
        `<td class="num after" data-achieved="${t.after.achieved}">${achieved(t, t.after)}${badge(t.after.status)}</td></tr>`;
    }).join('');

    $('coverage').innerHTML = data.coverage.map((c) => {
      const b = c.share_before || 0;
      const a = c.share_after || 0;
      const target = state.info.targets.find((t) => t.id === c.target);
      const req = target && target.required_share ? target.required_share : null;
      return `<div><b>${esc(target ? target.name_zh : c.target)}</b> <span class="name-en">${esc(target ? target.name_en : '')}</span>` +
        `<div class="bar"><i class="after" style="width:${100 * a}%"></i><i class="before" style="width:${100 * Math.min(a, b)}%"></i>` +
        (req ? `<b style="left:${100 * req}%"></b>` : '') + '</div>' +
        `可达 within reach ${pct(b)} → <strong>${pct(a)}</strong> (${whole(c.covered_before)} → ${whole(c.covered_after)} / ${whole(c.total)} ${esc(c.basis)})` +
        ` · 指标 target ${badge(c.target_status_before)}→${badge(c.target_status_after)}</div>`;
    }).join('');

    $('coverage').innerHTML += (data.units || []).map((u) => {
      const target = state.info.targets.find((t) => t.id === u.target);
      const level = { grid: '网格 grid cells', community: '社区 communities', subdistrict: '街道 sub-districts' }[u.level] || u.level;
      return `<div data-units="${esc(u.target)}"><b>${esc(target ? target.name_zh : u.target)}</b> <span class="name-en">${esc(target ? target.name_en : '')}</span>` +
        `<div>达标 passing ${level}: ${u.passing_before} → <strong>${u.passing_after}</strong> / ${u.units}` +
        (u.changed ? ` · ${u.changed} 变化 changed` : '') + '</div></div>';
    }).join('');
    drawUnits(data);

    const snapped = new Map(data.sites.map((s) => [s.id, s]));
    $('sites').innerHTML = state.added.map((s) => {
      const r = snapped.get(s.id);
      const ok = r && r.snapped;
      if (s.marker) s.marker.getElement()?.firstChild?.classList.toggle('unsnapped', !ok);
      return `<li class="${ok ? '' : 'off'}">＋ ${esc(s.id)} ${s.lon.toFixed(5)}, ${s.lat.toFixed(5)} ` +
        (ok ? `· 入网 ${r.snap_distance_m} m` : `· 无法接入路网 off the network`) + '</li>';
    }).join('') + [...state.removed].map((id) => `<li class="off">－ ${esc(id)} 移除 removed</li>`).join('');

    uncoveredLayer.clearLayers();
    for (const f of data.uncovered.features) {
      const [lon, lat] = f.geometry.coordinates;
      L.circleMarker([lat, lon], {
        renderer: canvas, pane: 'uncovered', radius: Math.min(3.5, 1.5 + Math.sqrt(f.properties.households) / 4),
        stroke: false, fillColor: '#d35400', fillOpacity: 0.7, interactive: false,
      }).addTo(uncoveredLayer);
    }
  }

  async function exportScenario() {
    try {
      const data = await api('/api/export', scenario());
      const blob = new Blob([JSON.stringify(data, null, 1)], { type: 'application/geo+json' });
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `yike-scenario-${state.category}.geojson`;
      document.body.appendChild(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 1000);
      status('已导出 exported');
    } catch (err) {
      status(err.message, true);
    }
  }

  function resetScenario() {
    siteLayer.clearLayers();
    state.added = [];
    state.removed.clear();
    drawFacilities();
    evaluate();
  }

  // ---- start ----------------------------------------------------------------------------------
  async function start() {
    try {
      const [info, layers] = await Promise.all([api('/api/info'), api('/api/layers')]);
      state.info = info;
      $('standard').textContent = `${info.standard.name_zh} · ${info.standard.name_en} (${info.standard.id}) — ` +
        `${whole(info.counts.households)} 户 households, ${num(info.counts.facilities)} 设施 facilities`;
      const [w, s, e, n] = info.view || info.bounds;
      map.fitBounds([[s, w], [n, e]], { padding: [10, 10] });
      drawLayers(layers);
      const select = $('category');
      const plannable = info.categories.filter((c) => c.plannable);
      select.innerHTML = plannable.map((c) =>
        `<option value="${esc(c.id)}">${esc(c.name_zh)} · ${esc(c.name_en)} (${c.facilities})</option>`).join('');
      state.category = select.value || null;
      select.addEventListener('change', () => {
        state.category = select.value;
        resetScenario();
      });
      for (const r of document.querySelectorAll('input[name=mode]')) {
        r.addEventListener('change', () => { state.mode = r.value; map.getContainer().style.cursor = r.value === 'add' ? 'copy' : ''; });
      }
      $('reset').addEventListener('click', resetScenario);
      $('export').addEventListener('click', exportScenario);
      map.on('click', (e) => (state.mode === 'add' ? addSite(e.latlng) : isochrone(e.latlng)));
      drawFacilities();
      await evaluate();
      document.body.dataset.ready = '1';
    } catch (err) {
      status(err.message, true);
    }
  }

  window.yikePlanner = { map, state, addSite, evaluate };
  start();
})();
