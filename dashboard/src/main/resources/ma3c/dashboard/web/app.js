'use strict';
// The MA3C dashboard page: polls the JSON API, keeps the run table and the charts current.
// Charts are uPlot's, served from the jar; the server downsamples, so a poll moves little data
// and a chart is only fetched again when its run's logs have grown.
(function () {
  const params = new URLSearchParams(location.search);
  const POLL_MS = Math.max(200, Number(params.get('poll')) || 2000);
  const POINTS = 400;
  const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b',
    '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
  // Training charts: per game unless `run` (one series per run); `smooth: false` keeps steps.
  const TRAINING = [
    {key: 'policyLoss', title: 'policy loss'},
    {key: 'valueLoss', title: 'value loss'},
    {key: 'entropy', title: 'policy entropy'},
    {key: 'gradNorm', title: 'gradient norm (before clipping)'},
    {key: 'learningRate', title: 'learning rate', run: true},
    {key: 'fps', title: 'frames/s', run: true},
    {key: 'threads', title: 'actor threads per game', smooth: false},
  ];

  const state = {
    runs: [],             // the run list, from /api/runs
    selected: new Set(),  // ids of the runs drawn
    chosen: false,        // whether the selection was made (link, user, or default)
    data: new Map(),      // id -> {version, curves, metrics}
    bands: [],            // experiment arms among the selection, from /api/bands
    bandsKey: '',
    charts: new Map(),    // chart id -> {el, key, plot}
    polls: 0,
  };

  const $ = (id) => document.getElementById(id);
  const smoothingInput = $('smoothing');
  const bandsInput = $('bands');

  /** A failed request: shown as "offline", unlike a bug in this page, which must surface. */
  class FetchError extends Error {}

  async function getJson(url) {
    let response;
    try {
      response = await fetch(url, {cache: 'no-store'});
    } catch (e) {
      throw new FetchError('dashboard server unreachable');
    }
    if (!response.ok) {
      let message = response.status + '';
      try {
        message = (await response.json()).error || message;
      } catch (ignored) {
        // not JSON: the status says it
      }
      throw new FetchError(url + ': ' + message);
    }
    return response.json();
  }

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (k === 'dataset') Object.assign(node.dataset, v);
      else if (k in node) node[k] = v;
      else node.setAttribute(k, v);
    }
    for (const c of children) {
      if (c != null) node.append(c);
    }
    return node;
  }

  // ---- formatting ----
  function fmtFrames(v) {
    if (v == null) return '–';
    if (Math.abs(v) >= 1e6) return (v / 1e6).toFixed(Math.abs(v) >= 1e7 ? 0 : 1) + 'M';
    if (Math.abs(v) >= 1e3) return (v / 1e3).toFixed(0) + 'k';
    return String(Math.round(v));
  }

  function fmtValue(v) {
    if (v == null || !isFinite(v)) return '–';
    const a = Math.abs(v);
    if (a >= 100) return v.toFixed(0);
    if (a >= 1) return v.toFixed(2);
    return a === 0 ? '0' : v.toPrecision(3);
  }

  /** Axis ticks: small values (a learning rate) in exponent form, others without float noise. */
  function fmtTicks(u, ticks) {
    return ticks.map((v) => v == null ? '' : v !== 0 && Math.abs(v) < 0.01 ? v.toExponential(1) : String(+v.toFixed(6)));
  }

  function fmtDuration(seconds) {
    const s = Math.round(seconds);
    const h = Math.floor(s / 3600);
    const m = Math.floor((s % 3600) / 60);
    return h + ':' + String(m).padStart(2, '0') + ':' + String(s % 60).padStart(2, '0');
  }

  function fmtAge(millis) {
    if (!millis) return '–';
    const s = Math.max(0, (Date.now() - millis) / 1000);
    if (s < 90) return Math.round(s) + ' s ago';
    if (s < 5400) return Math.round(s / 60) + ' min ago';
    if (s < 172800) return Math.round(s / 3600) + ' h ago';
    return Math.round(s / 86400) + ' days ago';
  }

  function runColor(id) {
    const i = state.runs.findIndex((r) => r.id === id);
    return PALETTE[(i < 0 ? 0 : i) % PALETTE.length];
  }

  function configText(c) {
    if (c.error) return c.error;
    const games = Object.entries(c.threadsPerGame).map(([g, t]) => g + ' ×' + t).join(', ');
    const parts = [(c.architecture || '?') + (c.lstm ? ' LSTM' : ' FF'), games];
    if (c.learningRate != null) parts.push('lr ' + c.learningRate);
    if (c.tMax != null) parts.push('t_max ' + c.tMax);
    if (c.seed != null) parts.push('seed ' + c.seed);
    if (c.allocation === 'adaptive') parts.push('adaptive threads');
    if (c.transferFrom) parts.push('transfer');
    if (c.distillation) parts.push('distillation');
    return parts.join(' · ');
  }

  // ---- selection: kept in the address (#runs=a,b), so a view can be shared or reloaded ----
  function hashRuns() {
    const m = location.hash.match(/runs=([^&]*)/);
    return m ? m[1].split(',').filter(Boolean).map(decodeURIComponent) : [];
  }

  function writeHash() {
    const ids = state.runs.filter((r) => state.selected.has(r.id)).map((r) => encodeURIComponent(r.id));
    history.replaceState(null, '', '#runs=' + ids.join(','));
  }

  /** The link's runs; else the running ones; else the latest. Afterwards: the user's choice. */
  function chooseSelection() {
    const ids = new Set(state.runs.map((r) => r.id));
    if (state.chosen) {
      for (const id of [...state.selected]) {
        if (!ids.has(id)) state.selected.delete(id);
      }
      return;
    }
    if (!state.runs.length) return;
    let pick = hashRuns().filter((id) => ids.has(id));
    if (!pick.length) pick = state.runs.filter((r) => r.status === 'running').map((r) => r.id);
    if (!pick.length) pick = [state.runs.reduce((a, b) => (b.updated > a.updated ? b : a)).id];
    pick.forEach((id) => state.selected.add(id));
    state.chosen = true;
  }

  // ---- the run table: rows updated in place, so that a click or a selection is never lost ----
  const rows = new Map(); // id -> {tr, box}

  function renderTable(roots) {
    const body = $('runs').tBodies[0];
    const ids = new Set(state.runs.map((r) => r.id));
    for (const [id, row] of [...rows]) {
      if (!ids.has(id)) {
        row.tr.remove();
        rows.delete(id);
      }
    }
    state.runs.forEach((r, i) => {
      const row = rows.get(r.id) || newRow(r.id);
      updateRow(row, r);
      if (body.children[i] !== row.tr) body.insertBefore(row.tr, body.children[i] || null);
    });
    const none = $('no-runs');
    none.hidden = state.runs.length > 0;
    none.textContent = 'No run directories in ' + roots.join(', ') + ' yet: they appear here when a run starts.';
  }

  function newRow(id) {
    const box = el('input', {type: 'checkbox', title: 'draw this run', dataset: {run: id}});
    box.addEventListener('change', () => {
      if (box.checked) state.selected.add(id);
      else state.selected.delete(id);
      state.chosen = true;
      writeHash();
      refreshSoon();
    });
    const tr = el('tr', {dataset: {run: id}}, el('td', {}, box));
    for (let i = 0; i < 8; i++) tr.append(el('td'));
    const row = {tr, box};
    rows.set(id, row);
    return row;
  }

  /** Sets each cell's content, touching only the cells whose content changed. */
  function updateRow(row, r) {
    const selected = state.selected.has(r.id);
    row.box.checked = selected;
    row.tr.className = selected ? 'selected' : '';
    const data = state.data.get(r.id);
    const bad = data ? data.curves.badLines : 0;
    const budget = r.config.frameBudget;
    const scores = Object.entries(r.games).map(([g, m]) =>
      el('div', {}, g + ' ' + fmtValue(m.mean100) + ' · ' + m.episodes + ' ep'));
    const cells = [
      el('td', {className: 'name'},
        el('span', {className: 'swatch', style: 'background:' + (selected ? runColor(r.id) : 'transparent')}),
        r.name,
        r.seed != null ? el('div', {className: 'sub'}, 'arm ' + r.group + ', seed ' + r.seed) : null,
        bad > 0 ? el('div', {className: 'warning'}, bad + ' unreadable line(s) skipped') : null),
      el('td', {}, el('span', {className: 'status status-' + r.status}, r.status)),
      el('td', {className: 'config'}, configText(r.config)),
      el('td', {}, fmtFrames(r.frames) + (budget ? ' / ' + fmtFrames(budget) : ''),
        budget ? el('div', {className: 'sub'}, (100 * r.frames / budget).toFixed(1) + '%') : null),
      el('td', {}, r.status === 'running' ? fmtValue(r.fps) : '–'),
      el('td', {}, r.etaSeconds != null ? fmtDuration(r.etaSeconds) : r.status === 'finished' ? 'done' : '–'),
      el('td', {className: 'scores'}, ...(scores.length ? scores : ['no episodes yet'])),
      el('td', {}, fmtAge(r.updated)),
    ];
    cells.forEach((cell, i) => {
      const old = row.tr.children[i + 1];
      if (old.innerHTML !== cell.innerHTML || old.className !== cell.className) {
        row.tr.replaceChild(cell, old);
      }
    });
  }

  // ---- data ----
  async function refreshData() {
    const summaries = new Map(state.runs.map((r) => [r.id, r]));
    const ids = [...state.selected].filter((id) => summaries.has(id));
    await Promise.all(ids.map(async (id) => {
      const version = summaries.get(id).version;
      const known = state.data.get(id);
      if (known && known.version === version) return;
      const path = 'api/runs/' + encodeURIComponent(id);
      const [curves, metrics] = await Promise.all([
        getJson(path + '/curves?points=' + POINTS), getJson(path + '/metrics?points=' + POINTS)]);
      state.data.set(id, {version, curves, metrics});
    }));
    for (const id of [...state.data.keys()]) {
      if (!state.selected.has(id)) state.data.delete(id);
    }
    const arms = new Map();
    ids.forEach((id) => {
      const r = summaries.get(id);
      if (r.seed != null) arms.set(r.group, (arms.get(r.group) || 0) + 1);
    });
    const banded = bandsInput.checked && [...arms.values()].some((n) => n > 1);
    const key = banded ? ids.map((id) => id + '@' + summaries.get(id).version).sort().join(',') : '';
    if (!banded) {
      state.bands = [];
    } else if (key !== state.bandsKey) {
      state.bands = (await getJson('api/bands?points=' + POINTS + '&runs='
        + ids.map(encodeURIComponent).join(','))).groups;
    }
    state.bandsKey = key;
  }

  // ---- charts ----
  /** TensorBoard's smoothing: an exponential moving average, debiased at the start. */
  function smooth(ys, weight) {
    if (!weight) return ys;
    let last = 0;
    let n = 0;
    return ys.map((y) => {
      if (y == null || !isFinite(y)) return y;
      last = last * weight + (1 - weight) * y;
      n++;
      return last / (1 - Math.pow(weight, n));
    });
  }

  function renderCharts() {
    const weight = Number(smoothingInput.value);
    const runs = state.runs.filter((r) => state.selected.has(r.id) && state.data.has(r.id));
    const wanted = new Set();
    renderReturns(runs, weight, wanted);
    renderTraining(runs, weight, wanted);
    for (const [id, c] of [...state.charts]) {
      if (!wanted.has(id)) {
        c.plot.destroy();
        c.el.remove();
        state.charts.delete(id);
      }
    }
    const note = $('no-episodes');
    const drawn = [...wanted].some((id) => id.startsWith('return:'));
    note.hidden = drawn;
    note.textContent = !state.selected.size ? 'Select runs in the table to draw them.'
      : 'No episodes yet in the selected runs.';
  }

  function renderReturns(runs, weight, wanted) {
    const armOf = new Map();
    state.bands.forEach((g) => g.runs.forEach((id) => armOf.set(id, g)));
    const games = [];
    runs.forEach((r) => Object.keys(state.data.get(r.id).curves.games).forEach((g) => {
      if (!games.includes(g)) games.push(g);
    }));
    for (const game of games) {
      const tables = [];
      const series = [];
      const bands = [];
      const armsDrawn = new Set();
      for (const r of runs) {
        const arm = armOf.get(r.id);
        const band = arm && arm.games[game];
        if (band && band.frames.length) {
          if (armsDrawn.has(arm.group)) continue;
          armsDrawn.add(arm.group);
          const color = runColor(arm.runs[0]);
          tables.push([band.frames, smooth(band.mean, weight), smooth(band.high, weight), smooth(band.low, weight)]);
          series.push({label: arm.group + ' (' + band.seeds + ' seeds)', stroke: color, width: 2},
            {label: 'highest seed', stroke: 'transparent', class: 'band-edge'},
            {label: 'lowest seed', stroke: 'transparent', class: 'band-edge'});
          bands.push({series: [series.length - 1, series.length], fill: color + '33'});
          continue;
        }
        const curve = state.data.get(r.id).curves.games[game];
        if (!curve || !curve.length) continue;
        tables.push([curve.map((p) => p.frames), smooth(curve.map((p) => p.score), weight)]);
        series.push({label: r.name, stroke: runColor(r.id), width: 1.5});
      }
      if (series.length) {
        chart('return:' + game, game, $('returns'), tables, series, bands, 'frames of ' + game);
        wanted.add('return:' + game);
      }
    }
  }

  /** One run: a color per game. Several: the run's color (as in the table), a dash per game. */
  function renderTraining(runs, weight, wanted) {
    const DASHES = [[], [6, 4], [2, 3], [10, 3, 2, 3]];
    for (const kind of TRAINING) {
      const tables = [];
      const series = [];
      const w = kind.smooth === false ? 0 : weight;
      for (const r of runs) {
        const m = state.data.get(r.id).metrics;
        if (!m.frames.length) continue;
        const lines = kind.run ? [[kind.title, m.run[kind.key]]]
          : Object.entries(m.games).map(([game, fields]) => [game, fields[kind.key]]);
        lines.forEach(([name, ys], g) => {
          if (!ys || ys.every((v) => v == null)) return;
          tables.push([m.frames, smooth(ys, w)]);
          series.push(runs.length > 1
            ? {label: r.name + (kind.run ? '' : ' · ' + name), stroke: runColor(r.id), dash: DASHES[g % DASHES.length], width: 1.5}
            : {label: name, stroke: PALETTE[g % PALETTE.length], width: 1.5});
        });
      }
      if (series.length) {
        const id = 'training:' + kind.key;
        chart(id, kind.title, $('training'), tables, series, [], 'frames (all games)');
        wanted.add(id);
      }
    }
  }

  function chartWidth(el) {
    return Math.max(300, el.clientWidth - 16);
  }

  /** Creates the chart, or gives it new data when it draws the same series as before. */
  function chart(id, title, parent, tables, series, bands, xLabel) {
    const data = uPlot.join(tables);
    const key = JSON.stringify(series.map((s) => s.label));
    let c = state.charts.get(id);
    if (c && c.key !== key) {
      c.plot.destroy();
      c.el.remove();
      c = null;
    }
    if (!c) {
      const node = el('div', {className: 'chart', dataset: {chart: id}});
      parent.append(node);
      const opts = {
        title,
        width: chartWidth(node),
        height: 240,
        scales: {x: {time: false}},
        series: [{label: xLabel}].concat(series.map((s) => Object.assign({points: {show: false}}, s))),
        bands,
        axes: [{values: (u, vals) => vals.map(fmtFrames)}, {size: 64, values: fmtTicks}],
        // Labels only, no values under the cursor: a compact legend that wraps.
        legend: {live: false},
      };
      c = {el: node, key, plot: new uPlot(opts, data, node)};
      state.charts.set(id, c);
    } else {
      c.plot.setData(data);
    }
    // What the page draws, for a reader of the page (and its tests): lines and their points.
    let points = 0;
    series.forEach((s, i) => {
      if (s.class !== 'band-edge') points += data[i + 1].filter((v) => v != null).length;
    });
    c.el.dataset.series = series.filter((s) => s.class !== 'band-edge').length;
    c.el.dataset.points = points;
    c.el.dataset.lastX = data[0].length ? data[0][data[0].length - 1] : '';
    c.el.dataset.labels = JSON.stringify(series.filter((s) => s.class !== 'band-edge').map((s) => s.label));
  }

  // ---- the loop ----
  function setLive(status, text) {
    const live = $('live');
    live.dataset.state = status;
    live.textContent = text;
  }

  let timer = null;
  let running = false;

  async function poll() {
    clearTimeout(timer);
    running = true;
    try {
      const list = await getJson('api/runs');
      state.runs = list.runs;
      chooseSelection();
      await refreshData();
      renderTable(list.roots);
      renderCharts();
      state.polls++;
      document.body.dataset.polls = state.polls;
      setLive('live', 'live · ' + new Date().toLocaleTimeString());
    } catch (e) {
      if (!(e instanceof FetchError)) throw e;
      setLive('offline', 'offline: ' + e.message);
    } finally {
      running = false;
      timer = setTimeout(poll, POLL_MS);
    }
  }

  /** After a change of selection or options: poll now rather than at the next tick. */
  function refreshSoon() {
    if (!running) poll();
  }

  smoothingInput.addEventListener('input', () => {
    $('smoothing-value').textContent = Number(smoothingInput.value).toFixed(2);
    renderCharts();
  });
  bandsInput.addEventListener('change', () => {
    // The series change: rebuild every chart.
    refreshSoon();
  });
  window.addEventListener('resize', () => {
    for (const c of state.charts.values()) c.plot.setSize({width: chartWidth(c.el), height: 240});
  });
  poll();
})();
