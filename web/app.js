// The workbench page: choose a place, set the building blocks per variant, and watch the
// ensemble fill in. Talks only to its own server (docs/SERVE.md); every run replaces the
// previous one, so moving a slider cancels stale work on the server.
"use strict";

const METRICS = ["active_share", "unsafe_share", "trust_share"];
const HIGHER_IS_BETTER = { active_share: true, unsafe_share: false, trust_share: true };
const COLOURS = ["#4d4d4d", "#d95f02", "#1b9e77", "#7570b3"];
const BLOCKS = ["building_blocks.trust", "building_blocks.long_breath", "building_blocks.resources",
  "building_blocks.process_leadership", "building_blocks.vision", "building_blocks.anchoring", "building_blocks.urgency"];
// Starting values of a new programme variant: those of scenarios/hengelo-noord.json.
const START = { "building_blocks.vision": 0.2, "building_blocks.anchoring": 0.6, "building_blocks.urgency": 0.6,
  "building_blocks.process_leadership": 0.6, "building_blocks.long_breath": 8, "building_blocks.trust": 0.5,
  "building_blocks.resources": 1.0, "programme.enabled": true, "programme.plan": "wendbaar", "programme.rollout_after": 0 };
const POLL_MS = 300, DEBOUNCE_MS = 250;
// Phase names of the plans (engine/src/scenario/presets.cpp); the metric "phase" is 1 + index, 0 without programme.
const PLAN_PHASES = { wendbaar: ["urgentie", "uitnodigen", "visievorming", "randvoorwaarden", "uitvoeren"],
  hengelo: ["initiëren", "ontwerpen", "uitvoeren"], "top-down": ["uitvoeren"] };

const S = {
  lang: "nl", params: {}, gemeenten: [], scenarios: [], detail: null, upload: null,
  selectedBuurten: new Set(), selectedWijken: new Set(),
  variants: [], active: 1, runId: null, status: null, generation: 0,
  pollTimer: null, debounceTimer: null, charts: {}, diffMetric: "active_share",
};

const $ = (id) => document.getElementById(id);
const t = (key, ...args) => { const v = I18N[S.lang][key]; return typeof v === "function" ? v(...args) : (v ?? key); };
const fmtPct = (v) => (v * 100).toFixed(1) + "%";

async function api(path, options = {}) {
  const res = await fetch(path, options);
  const type = res.headers.get("Content-Type") || "";
  const body = type.includes("json") ? await res.json() : await res.text();
  return { status: res.status, body };
}

// ---------- language ----------
function applyLanguage() {
  document.documentElement.lang = S.lang;
  document.querySelectorAll("[data-i18n]").forEach((el) => {
    const v = I18N[S.lang][el.dataset.i18n];
    if (typeof v === "string") el.textContent = v;
  });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => { el.placeholder = t(el.dataset.i18nPlaceholder); });
  $("credit").textContent = t("credit");
  buildBlocks();
  fillPlanOptions();
  fillDiffOptions();
  renderVariantTabs();
  fillMapLayers();
  renderStatus();
  renderCharts();
  renderMap();
  updateAreaNote();
}

// ---------- controls ----------
function newVariant(name, programme) {
  const values = { ...START };
  values["programme.enabled"] = programme;
  return { name, values };
}

function buildBlocks() {
  const box = $("blocks");
  box.textContent = "";
  for (const path of BLOCKS) {
    const p = S.params[path];
    if (!p) continue;
    const [label, hint] = I18N[S.lang].blocks_text[path];
    const row = document.createElement("div");
    row.className = "block";
    const step = p.max > 5 ? (p.max > 20 ? 1 : 0.5) : 0.05;
    const max = path === "building_blocks.resources" ? 3 : path === "building_blocks.long_breath" ? 16 : p.max;
    row.innerHTML = `<label for="slider-${path}"><b></b> <output></output></label>
      <input type="range" id="slider-${path}" min="${p.min}" max="${max}" step="${step}">
      <small></small>`;
    row.querySelector("b").textContent = label;
    row.querySelector("small").textContent = hint;
    const input = row.querySelector("input");
    const out = row.querySelector("output");
    const v = currentValues()[path];
    input.value = v;
    out.textContent = Number(v).toFixed(step < 1 ? 2 : 1);
    input.addEventListener("input", () => {
      currentValues()[path] = Number(input.value);
      out.textContent = Number(input.value).toFixed(step < 1 ? 2 : 1);
      scheduleRun();
    });
    box.appendChild(row);
  }
  syncProgrammeControls();
}

function currentValues() { return S.variants[S.active].values; }

function syncProgrammeControls() {
  const v = currentValues();
  $("programme-enabled").checked = !!v["programme.enabled"];
  $("plan").value = v["programme.plan"];
  $("rollout").value = v["programme.rollout_after"];
  $("plan-note").textContent = I18N[S.lang].plans[v["programme.plan"]] || "";
  document.querySelectorAll("#blocks input").forEach((el) => { el.disabled = !v["programme.enabled"]; });
  $("variant-name").value = S.variants[S.active].name;
  $("remove-variant").disabled = S.active === 0 || S.variants.length <= 1;
  $("add-variant").disabled = S.variants.length >= 4;
}

function fillPlanOptions() {
  const sel = $("plan");
  sel.textContent = "";
  for (const c of (S.params["programme.plan"] || {}).choices || []) {
    const o = document.createElement("option");
    o.value = c;
    o.textContent = c;
    sel.appendChild(o);
  }
  if (S.variants.length) sel.value = currentValues()["programme.plan"];
}

function fillDiffOptions() {
  const sel = $("diff-metric");
  sel.textContent = "";
  for (const m of METRICS) {
    const o = document.createElement("option");
    o.value = m;
    o.textContent = t("m_" + m);
    sel.appendChild(o);
  }
  sel.value = S.diffMetric;
}

function renderVariantTabs() {
  const box = $("variant-tabs");
  box.textContent = "";
  S.variants.forEach((v, i) => {
    const b = document.createElement("button");
    b.className = "tab" + (i === S.active ? " active" : "");
    b.style.borderColor = COLOURS[i];
    b.textContent = (i === 0 ? t("baseline") + ": " : "") + v.name;
    b.addEventListener("click", () => { S.active = i; renderVariantTabs(); buildBlocks(); });
    box.appendChild(b);
  });
  if (S.variants.length) syncProgrammeControls();
}

function variantName(raw) { return raw.trim().replace(/[^A-Za-z0-9._-]+/g, "-").slice(0, 40) || "variant"; }

// ---------- places ----------
async function loadGemeente(code) {
  S.generation++;
  $("status-text").textContent = t("status_loading");
  const r = await api(`/api/gemeenten/${encodeURIComponent(code)}`);
  if (r.status !== 200) { showProblems([r.body.error || String(r.status)]); return false; }
  S.detail = r.body;
  S.selectedBuurten.clear();
  S.selectedWijken.clear();
  renderWijkList();
  updateAreaNote();
  renderMap();
  return true;
}

function gemeenteByInput(text) {
  const v = text.trim().toLowerCase();
  if (!v) return null;
  return S.gemeenten.find((g) => g.name.toLowerCase() === v || g.code.toLowerCase() === v)
    || S.gemeenten.find((g) => g.name.toLowerCase().startsWith(v));
}

function renderWijkList() {
  const box = $("wijk-list");
  box.textContent = "";
  if (!S.detail) return;
  for (const w of S.detail.wijken) {
    const l = document.createElement("label");
    l.className = "check";
    const c = document.createElement("input");
    c.type = "checkbox";
    c.checked = S.selectedWijken.has(w.code);
    c.addEventListener("change", () => {
      if (c.checked) S.selectedWijken.add(w.code); else S.selectedWijken.delete(w.code);
      selectionChanged();
    });
    l.appendChild(c);
    l.appendChild(document.createTextNode(` ${w.name} (${w.residents.toLocaleString(S.lang)})`));
    box.appendChild(l);
  }
}

// The programme's buurten and wijken from what was clicked: whole wijken count with all their buurten.
function programmeSelection() {
  if (!S.detail) return { buurten: [], wijken: [] };
  const buurten = new Set(S.selectedBuurten);
  const wijken = new Set(S.selectedWijken);
  for (const w of S.detail.wijken) if (S.selectedWijken.has(w.code)) w.buurten.forEach((b) => buurten.add(b));
  const wijkOf = Object.fromEntries(S.detail.buurten.map((b) => [b.code, b.wijk]));
  for (const b of buurten) if (wijkOf[b]) wijken.add(wijkOf[b]);
  return { buurten: [...buurten].filter((b) => wijkOf[b]), wijken: [...wijken] };
}

function simulatedWijken() {
  if (!S.detail) return [];
  const sel = programmeSelection();
  if ($("only-selected").checked && sel.wijken.length) return sel.wijken;
  return S.detail.wijken.map((w) => w.code);
}

function updateAreaNote() {
  if (!S.detail || $("source").value !== "gemeente") { $("area-note").textContent = ""; return; }
  const wk = simulatedWijken();
  const residents = S.detail.wijken.filter((w) => wk.includes(w.code)).reduce((a, w) => a + w.residents, 0);
  $("area-note").textContent = wk.length === S.detail.wijken.length
    ? t("area_all", wk.length, residents.toLocaleString(S.lang))
    : t("area_some", wk.length, residents.toLocaleString(S.lang));
}

function selectionChanged() {
  renderWijkList();
  updateAreaNote();
  renderMap();
  scheduleRun();
}

// ---------- runs ----------
function buildRequest() {
  const years = Number($("years").value), replicates = Number($("replicates").value);
  const req = { years, replicates, seed: 1 };
  const source = $("source").value;
  const shared = { "governance.first_election_after": Number($("first-election").value) };
  const sel = programmeSelection();
  if (source === "gemeente") {
    if (!S.detail) return null;
    req.gemeente = S.detail.code;
    if ($("only-selected").checked && sel.wijken.length) req.wijken = sel.wijken;
    if (sel.wijken.length) shared["programme.wijken"] = sel.wijken;
    if (sel.buurten.length) shared["programme.start_buurten"] = sel.buurten;
  } else if (source === "file") {
    req.scenario_file = $("scenario-file").value;
  } else {
    if (!S.upload) return null;
    req.scenario = S.upload;
  }
  if ($("start-date").value) req.start_date = $("start-date").value;
  const setOf = (v) => {
    const set = { ...shared };
    for (const [k, val] of Object.entries(v.values)) set[k] = val;
    // Rolling out needs start buurten (the checker says so); without a selection it is moot.
    if (source === "gemeente" && !sel.buurten.length) delete set["programme.rollout_after"];
    return set;
  };
  req.baseline = S.variants[0].name;
  req.set = setOf(S.variants[0]);
  req.variants = S.variants.slice(1).map((v) => ({ name: v.name, set: setOf(v) }));
  if (S.runId) req.replaces = S.runId;
  return req;
}

function scheduleRun() {
  clearTimeout(S.debounceTimer);
  S.debounceTimer = setTimeout(startRun, DEBOUNCE_MS);
}

async function startRun() {
  const req = buildRequest();
  if (!req) return;
  const generation = ++S.generation;
  clearTimeout(S.pollTimer);
  $("report-link").hidden = true;
  const r = await api("/api/runs", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(req) });
  if (generation !== S.generation) return;  // a newer run was asked for meanwhile
  if (r.status !== 201) {
    S.runId = null;
    const problems = r.body.problems ? r.body.problems.map((p) => p.text) : [r.body.error || `HTTP ${r.status}`];
    showProblems(problems);
    return;
  }
  showProblems([]);
  S.runId = r.body.id;
  poll(generation);
}

async function poll(generation) {
  if (generation !== S.generation || !S.runId) return;
  const r = await api(`/api/runs/${S.runId}`);
  if (generation !== S.generation) return;
  if (r.status !== 200) { showProblems([r.body.error || `HTTP ${r.status}`]); return; }
  S.status = r.body;
  renderStatus();
  renderCharts();
  renderMap();
  if (S.status.status === "running" || S.status.status === "queued") S.pollTimer = setTimeout(() => poll(generation), POLL_MS);
}

function showProblems(list) {
  const box = $("problems");
  box.hidden = list.length === 0;
  box.textContent = "";
  if (!list.length) return;
  const h = document.createElement("strong");
  h.textContent = t("status_invalid");
  box.appendChild(h);
  const ul = document.createElement("ul");
  for (const p of list) { const li = document.createElement("li"); li.textContent = p; ul.appendChild(li); }
  box.appendChild(ul);
}

function renderStatus() {
  const s = S.status;
  if (!s) return;
  $("progress").style.width = (100 * s.progress).toFixed(1) + "%";
  const done = Math.min(...s.variants.map((v) => v.replicates_done));
  let text;
  if (s.status === "done") text = t("status_done", s.replicates, s.first_result_seconds.toFixed(1), s.all_results_seconds.toFixed(1));
  else if (s.status === "failed") text = t("status_failed") + (s.error || "");
  else if (s.status === "queued") text = t("status_queued");
  else text = t("status_running", done, s.replicates, s.elapsed_seconds.toFixed(1));
  $("status-text").textContent = text;
  document.body.dataset.runStatus = s.status;
  document.body.dataset.replicatesDone = done;
}

// ---------- charts ----------
function weekLabel(week) {
  const start = new Date((S.status && S.status.start_date) || $("start-date").value || "2026-01-05");
  const d = new Date(start.getTime() + week * 7 * 86400000);
  return String(d.getFullYear());
}

// Dashed vertical lines at the council elections, on every time chart.
const electionLines = {
  id: "elections",
  afterDatasetsDraw(chart) {
    const el = (S.status && S.status.elections) || [];
    const { ctx, chartArea, scales } = chart;
    ctx.save();
    ctx.strokeStyle = "#9e0142";
    ctx.setLineDash([4, 3]);
    ctx.fillStyle = "#9e0142";
    ctx.font = "10px sans-serif";
    for (const w of el) {
      const x = scales.x.getPixelForValue(w);
      if (x < chartArea.left || x > chartArea.right) continue;
      ctx.beginPath();
      ctx.moveTo(x, chartArea.top);
      ctx.lineTo(x, chartArea.bottom);
      ctx.stroke();
      ctx.fillText(t("election"), x + 3, chartArea.top + 10);
    }
    ctx.restore();
  },
};

function makeChart(id, yLabel, extraScales = {}) {
  return new Chart($(id), {
    type: "line",
    data: { datasets: [] },
    options: {
      animation: false, responsive: true, maintainAspectRatio: false, parsing: false, normalized: true,
      elements: { point: { radius: 0 }, line: { borderWidth: 1.5 } },
      interaction: { mode: "nearest", intersect: false, axis: "x" },
      plugins: {
        legend: { labels: { boxWidth: 12, filter: (item) => !item.text.startsWith("_") } },
        tooltip: { enabled: true },
      },
      scales: {
        x: { type: "linear", ticks: { stepSize: 52, callback: (v) => weekLabel(v) } },
        y: { title: { display: !!yLabel, text: yLabel }, ticks: { callback: (v) => (v * 100).toFixed(1) + "%" } },
        ...extraScales,
      },
    },
    plugins: [electionLines],
  });
}

function series(weeks, values) { return weeks.map((w, i) => ({ x: w, y: values[i] })); }

function hexA(hex, a) {
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${a})`;
}

function renderCharts() {
  if (typeof Chart === "undefined") return;
  for (const m of METRICS) if (!S.charts[m]) S.charts[m] = makeChart(`chart-${m}`, "");
  if (!S.charts.diff) S.charts.diff = makeChart("chart-diff", "");
  if (!S.charts.timeline) {
    S.charts.timeline = makeChart("chart-timeline", "", {
      y: { min: 0, max: 5.5, title: { display: false }, ticks: { stepSize: 1, callback: (v) => phaseLabel(v) } },
      y2: { position: "right", min: 0, max: 1, grid: { drawOnChartArea: false }, ticks: { callback: (v) => (v * 100) + "%" } },
    });
  }
  const s = S.status;
  if (!s) return;
  const names = s.variants.map((v) => v.name);
  for (const m of METRICS) {
    const datasets = [];
    names.forEach((name, i) => {
      const f = s.fans[m] && s.fans[m][name];
      if (!f) return;
      const c = COLOURS[i % COLOURS.length];
      datasets.push({ label: "_p5", data: series(s.weeks, f.p5), borderColor: "transparent", pointRadius: 0, fill: false });
      datasets.push({ label: "_p95", data: series(s.weeks, f.p95), borderColor: "transparent", backgroundColor: hexA(c, 0.12), fill: "-1" });
      datasets.push({ label: "_p25", data: series(s.weeks, f.p25), borderColor: "transparent", pointRadius: 0, fill: false });
      datasets.push({ label: "_p75", data: series(s.weeks, f.p75), borderColor: "transparent", backgroundColor: hexA(c, 0.22), fill: "-1" });
      datasets.push({ label: `${i === 0 ? t("baseline") + ": " : ""}${name} (n=${f.n})`, data: series(s.weeks, f.p50), borderColor: c, backgroundColor: c, fill: false });
    });
    S.charts[m].data.datasets = datasets;
    S.charts[m].update("none");
  }
  const dm = S.diffMetric, dsets = [];
  names.forEach((name, i) => {
    const d = s.differences[dm] && s.differences[dm][name];
    if (!d) return;
    const c = COLOURS[i % COLOURS.length];
    dsets.push({ label: "_lo", data: series(s.weeks, d.lo), borderColor: "transparent", fill: false });
    dsets.push({ label: "_hi", data: series(s.weeks, d.hi), borderColor: "transparent", backgroundColor: hexA(c, 0.2), fill: "-1" });
    dsets.push({ label: `${name} − ${s.baseline} (n=${d.n})`, data: series(s.weeks, d.mean), borderColor: c, backgroundColor: c, fill: false });
  });
  if (dsets.length) dsets.push({ label: "_zero", data: [{ x: s.weeks[0], y: 0 }, { x: s.weeks[s.weeks.length - 1], y: 0 }], borderColor: "#999", borderDash: [2, 2], fill: false });
  S.charts.diff.data.datasets = dsets;
  S.charts.diff.update("none");
  const tl = [];
  names.forEach((name, i) => {
    const c = COLOURS[i % COLOURS.length];
    const ph = s.timeline.phase && s.timeline.phase[name];
    const al = s.timeline.programme_alive && s.timeline.programme_alive[name];
    if (ph) tl.push({ label: `${t("phase")}: ${name}`, data: series(s.weeks, ph), borderColor: c, stepped: true, fill: false, yAxisID: "y" });
    if (al) tl.push({ label: `${t("alive")}: ${name}`, data: series(s.weeks, al), borderColor: c, borderDash: [5, 3], fill: false, yAxisID: "y2" });
  });
  const longest = Math.max(...S.variants.map((v) => (PLAN_PHASES[v.values["programme.plan"]] || [1]).length));
  S.charts.timeline.options.scales.y.max = longest + 0.5;
  S.charts.timeline.data.datasets = tl;
  S.charts.timeline.update("none");
}

// A phase number on the timeline's axis, named after the plan of the variant being edited.
function phaseLabel(v) {
  if (!Number.isInteger(v)) return "";
  if (v === 0) return t("no_programme");
  const names = PLAN_PHASES[S.variants.length ? currentValues()["programme.plan"] : "wendbaar"] || [];
  return names[v - 1] || "";
}

// ---------- map ----------
function fillMapLayers() {
  const sel = $("map-layer");
  const old = sel.value;
  sel.textContent = "";
  const add = (value, text) => { const o = document.createElement("option"); o.value = value; o.textContent = text; sel.appendChild(o); };
  add("deprivation", t("layer_deprivation"));
  add("crime", t("layer_crime"));
  const names = S.status ? S.status.variants.map((v) => v.name) : S.variants.map((v) => v.name);
  for (const m of METRICS) {
    names.forEach((n, i) => add(`level:${m}:${n}`, t("layer_level", t("m_" + m), i === 0 ? t("baseline") + " " + n : n)));
    names.slice(1).forEach((n) => add(`diff:${m}:${n}`, t("layer_diff", t("m_" + m), n)));
  }
  const values = [...sel.options].map((o) => o.value);
  sel.value = values.includes(old) ? old : (values.find((v) => v.startsWith("diff:active_share")) || "deprivation");
}

function mix(a, b, f) {
  const pa = parseInt(a.slice(1), 16), pb = parseInt(b.slice(1), 16);
  const ch = (s) => Math.round(((pa >> s) & 255) * (1 - f) + ((pb >> s) & 255) * f);
  return `rgb(${ch(16)},${ch(8)},${ch(0)})`;
}

// Values per buurt code of the chosen layer, and how to colour them.
function mapLayer() {
  const layer = $("map-layer").value || "deprivation";
  const d = S.detail, s = S.status;
  const values = {};
  if (layer === "deprivation" || layer === "crime") {
    for (const b of (d ? d.buurten : [])) {
      const v = layer === "deprivation" ? b.deprivation : b.indicators.misdrijven_per1000;
      if (v !== null && v !== undefined) values[b.code] = v;
    }
    const max = Math.max(1e-9, ...Object.values(values));
    return { values, colour: (v) => mix("#fff7bc", "#b30000", Math.min(1, v / max)),
             format: (v) => (layer === "crime" ? v.toFixed(0) : v.toFixed(2)), legend: [0, max], kind: layer };
  }
  const [kind, metric, variant] = layer.split(":");
  if (!s || !s.map[kind === "diff" ? "difference" : "mean"][metric]) return { values, colour: () => "#eee", format: fmtPct, legend: null, kind };
  const table = s.map[kind === "diff" ? "difference" : "mean"][metric][variant];
  const yi = Math.min(Number($("map-year").value), s.map.weeks.length - 1);
  const ny = s.map.weeks.length;
  if (table) s.map.units.forEach((u, i) => { const v = table[i * ny + yi]; if (v !== null) values[u] = v; });
  if (kind === "level") {
    const vs = Object.values(values), lo = Math.min(...vs), hi = Math.max(...vs);
    return { values, colour: (v) => mix("#f7fbff", "#08306b", hi > lo ? (v - lo) / (hi - lo) : 0.5), format: fmtPct, legend: [lo, hi], kind };
  }
  const maxAbs = Math.max(1e-6, ...Object.values(values).map(Math.abs));
  const good = HIGHER_IS_BETTER[metric] ? 1 : -1;
  return {
    values, kind, format: (v) => (v >= 0 ? "+" : "") + (v * 100).toFixed(2) + " pp", legend: [-maxAbs, maxAbs],
    colour: (v) => (v * good >= 0 ? mix("#f7f7f7", "#1a9850", Math.min(1, Math.abs(v) / maxAbs)) : mix("#f7f7f7", "#762a83", Math.min(1, Math.abs(v) / maxAbs))),
  };
}

function renderMap() {
  const svg = $("map");
  const d = S.detail;
  if (!d || !d.outline) { svg.textContent = ""; $("legend").textContent = ""; return; }
  const s = S.status;
  if (s) {
    const slider = $("map-year");
    slider.max = s.map.weeks.length - 1;
    if (Number(slider.value) > slider.max || slider.dataset.touched !== "1") slider.value = slider.max;
    $("map-year-out").textContent = weekLabel(s.map.weeks[Number(slider.value)] || 0);
  }
  const L = mapLayer();
  const sel = programmeSelection();
  const selected = new Set(sel.buurten);
  const names = Object.fromEntries(d.buurten.map((b) => [b.code, b]));
  if (svg.dataset.gemeente !== d.code) {
    svg.textContent = "";
    svg.setAttribute("viewBox", d.outline.viewBox);
    svg.dataset.gemeente = d.code;
    for (const f of d.outline.features) {
      const p = document.createElementNS("http://www.w3.org/2000/svg", "path");
      p.setAttribute("d", f.d);
      p.dataset.code = f.code;
      const title = document.createElementNS("http://www.w3.org/2000/svg", "title");
      p.appendChild(title);
      p.addEventListener("click", (ev) => {
        if (!names[f.code]) return;  // no residents: nothing to put in a programme
        if (ev.shiftKey) {  // shift-click: the buurt's whole wijk
          const w = names[f.code].wijk;
          if (S.selectedWijken.has(w)) S.selectedWijken.delete(w); else S.selectedWijken.add(w);
        } else if (S.selectedBuurten.has(f.code)) S.selectedBuurten.delete(f.code); else S.selectedBuurten.add(f.code);
        selectionChanged();
      });
      svg.appendChild(p);
    }
  }
  for (const p of svg.querySelectorAll("path")) {
    const code = p.dataset.code, v = L.values[code], b = names[code];
    p.setAttribute("fill", v === undefined ? "#e0e0e0" : L.colour(v));
    p.classList.toggle("selected", selected.has(code));
    p.classList.toggle("empty", !b);
    p.firstChild.textContent = `${b ? b.name : code}${b ? ` — ${b.residents.toLocaleString(S.lang)} ${t("residents")}` : ""}` +
      (v === undefined ? "" : `\n${L.format(v)}`) + (selected.has(code) ? `\n${t("in_programme")}` : "");
  }
  // Zoom to the simulated buurten when they are only part of the gemeente.
  let viewBox = d.outline.viewBox;
  if ($("map-zoom").checked && s && s.map.units.length < d.buurten.length) {
    const units = new Set(s.map.units);
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const p of svg.querySelectorAll("path")) {
      if (!units.has(p.dataset.code)) continue;
      const b = p.getBBox();
      x0 = Math.min(x0, b.x); y0 = Math.min(y0, b.y); x1 = Math.max(x1, b.x + b.width); y1 = Math.max(y1, b.y + b.height);
    }
    if (x1 > x0 && y1 > y0) {
      const pad = 0.08 * Math.max(x1 - x0, y1 - y0);
      viewBox = `${x0 - pad} ${y0 - pad} ${x1 - x0 + 2 * pad} ${y1 - y0 + 2 * pad}`;
    }
  }
  if (svg.getAttribute("viewBox") !== viewBox) svg.setAttribute("viewBox", viewBox);
  svg.dataset.signature = [...svg.querySelectorAll("path")].map((p) => p.getAttribute("fill")).join("|");
  const lg = $("legend");
  lg.textContent = "";
  if (L.legend) {
    const [lo, hi] = L.legend;
    lg.innerHTML = `<span></span><span class="ramp"></span><span></span>`;
    lg.children[0].textContent = L.format(lo) + (L.kind === "diff" ? " " + t("worse") : "");
    lg.children[2].textContent = L.format(hi) + (L.kind === "diff" ? " " + t("better") : "");
    const stops = [0, 0.25, 0.5, 0.75, 1].map((f) => L.colour(lo + (hi - lo) * f)).join(",");
    lg.children[1].style.background = `linear-gradient(to right, ${stops})`;
    if (L.kind === "diff" && !HIGHER_IS_BETTER[$("map-layer").value.split(":")[1]]) {
      lg.children[0].textContent = L.format(lo) + " " + t("better");
      lg.children[2].textContent = L.format(hi) + " " + t("worse");
    }
  }
}

// ---------- downloads ----------
function download(url) {
  const a = document.createElement("a");
  a.href = url;
  a.download = "";
  document.body.appendChild(a);
  a.click();
  a.remove();
}

async function makeReport() {
  if (!S.runId) return;
  const r = await api(`/api/runs/${S.runId}/report?lang=${S.lang}`, { method: "POST" });
  if (r.status === 409) { $("status-text").textContent = t("report_wait"); return; }
  if (r.status !== 202) { showProblems([r.body.error || `HTTP ${r.status}`]); return; }
  $("status-text").textContent = t("report_running");
  const id = S.runId;
  const check = async () => {
    const g = await fetch(`/api/runs/${id}/report`);
    if (g.status === 202) { setTimeout(check, 1000); return; }
    if (g.status === 200) {
      const link = $("report-link");
      link.href = `/api/runs/${id}/report`;
      link.hidden = false;
      renderStatus();
    } else {
      const body = await g.json();
      showProblems([body.error || `HTTP ${g.status}`]);
    }
  };
  check();
}

// ---------- start ----------
async function init() {
  S.lang = location.hash === "#en" ? "en" : "nl";
  $("lang").value = S.lang;
  const [p, g, sc] = await Promise.all([api("/api/params"), api("/api/gemeenten"), api("/api/scenarios")]);
  for (const d of p.body) S.params[d.path] = d;
  S.gemeenten = g.body;
  S.scenarios = sc.body;
  const list = $("gemeenten");
  for (const x of S.gemeenten) {
    const o = document.createElement("option");
    o.value = x.name;
    o.label = `${x.code} · ${x.residents.toLocaleString("nl")}`;
    list.appendChild(o);
  }
  for (const x of S.scenarios) {
    const o = document.createElement("option");
    o.value = x.file;
    o.textContent = `${x.name} (${x.file})`;
    $("scenario-file").appendChild(o);
  }
  S.variants = [newVariant("zonder-programma", false), newVariant("programma", true)];
  S.active = 1;

  $("lang").addEventListener("change", () => { S.lang = $("lang").value; applyLanguage(); });
  $("source").addEventListener("change", async () => {
    const v = $("source").value;
    $("pick-gemeente").hidden = v !== "gemeente";
    $("pick-file").hidden = v !== "file";
    $("pick-upload").hidden = v !== "upload";
    if (v === "file") await useScenarioFile();
    updateAreaNote();
  });
  $("gemeente").addEventListener("change", async () => {
    const g = gemeenteByInput($("gemeente").value);
    if (!g) return;
    $("gemeente").value = g.name;
    if (S.detail && S.detail.code === g.code) return;  // the same gemeente again (e.g. change on blur)
    if (await loadGemeente(g.code)) scheduleRun();
  });
  $("scenario-file").addEventListener("change", useScenarioFile);
  $("upload").addEventListener("change", async () => {
    const f = $("upload").files[0];
    if (!f) return;
    try {
      S.upload = JSON.parse(await f.text());
    } catch (e) {
      showProblems([`${f.name}: ${e.message}`]);
      return;
    }
    await mapForScenario(S.upload);
    scheduleRun();
  });
  $("only-selected").addEventListener("change", () => { updateAreaNote(); scheduleRun(); });
  $("programme-enabled").addEventListener("change", () => {
    currentValues()["programme.enabled"] = $("programme-enabled").checked;
    syncProgrammeControls();
    scheduleRun();
  });
  $("plan").addEventListener("change", () => { currentValues()["programme.plan"] = $("plan").value; syncProgrammeControls(); scheduleRun(); });
  $("rollout").addEventListener("change", () => { currentValues()["programme.rollout_after"] = Number($("rollout").value); scheduleRun(); });
  for (const id of ["start-date", "years", "first-election", "replicates"]) $(id).addEventListener("change", scheduleRun);
  $("variant-name").addEventListener("change", () => {
    S.variants[S.active].name = variantName($("variant-name").value);
    renderVariantTabs();
    scheduleRun();
  });
  $("add-variant").addEventListener("click", () => {
    if (S.variants.length >= 4) return;
    const copy = { name: `variant-${"abc"[S.variants.length - 1]}`, values: { ...currentValues() } };
    S.variants.push(copy);
    S.active = S.variants.length - 1;
    renderVariantTabs();
    buildBlocks();
    scheduleRun();
  });
  $("remove-variant").addEventListener("click", () => {
    if (S.active === 0) return;
    S.variants.splice(S.active, 1);
    S.active = Math.min(S.active, S.variants.length - 1);
    renderVariantTabs();
    buildBlocks();
    scheduleRun();
  });
  $("map-layer").addEventListener("change", renderMap);
  $("map-zoom").addEventListener("change", renderMap);
  $("map-year").addEventListener("input", () => { $("map-year").dataset.touched = "1"; renderMap(); });
  $("diff-metric").addEventListener("change", () => { S.diffMetric = $("diff-metric").value; renderCharts(); });
  $("download-scenario").addEventListener("click", () => {
    if (S.runId) download(`/api/runs/${S.runId}/scenario?variant=${encodeURIComponent(S.variants[S.active].name)}`);
  });
  $("download-data").addEventListener("click", () => { if (S.runId) download(`/api/runs/${S.runId}/data.csv`); });
  $("make-report").addEventListener("click", makeReport);
  applyLanguage();
  document.body.dataset.ready = "1";
}

// A shipped or uploaded scenario: its own building blocks, and its gemeente's map when it names one.
async function mapForScenario(doc) {
  const code = doc && doc.city && doc.city.code;
  S.detail = null;
  if (code && S.gemeenten.some((g) => g.code === code)) await loadGemeente(code);
  const bb = (doc && doc.building_blocks) || {}, prog = (doc && doc.programme) || {};
  for (const v of S.variants.slice(1)) {
    for (const k of Object.keys(bb)) if (`building_blocks.${k}` in v.values) v.values[`building_blocks.${k}`] = bb[k];
    if (prog.plan) v.values["programme.plan"] = prog.plan;
    v.values["programme.rollout_after"] = prog.rollout_after || 0;
  }
  if (doc && doc.start_date) $("start-date").value = doc.start_date;
  buildBlocks();
  renderMap();
}

async function useScenarioFile() {
  const file = $("scenario-file").value;
  const x = S.scenarios.find((s) => s.file === file);
  await mapForScenario(x ? x.document : null);
  scheduleRun();
}

window.addEventListener("error", (e) => { document.body.dataset.error = e.message; });
init();
