// One profile, or several of one function merged: FlameScope's subsecond heat map of each (select a
// range -> its flame graph), an interactive flame graph (search, zoom, a frame's share) and a
// differential view against another profile or another range (red: more of the samples than in the
// base, blue: fewer).
import { api, enc, el } from "/dashboard/api.js";
import { tree, flameView } from "/dashboard/flame.js";

const CELL_H = 5; // px per 20 ms row
/**
 * Profiles merged into one view at most. Each is read through GET .../samples, bounded there (its
 * heaviest 5,000 stacks, an hour of heat map), so the page holds at most this many such answers.
 */
export const MAX_MERGED = 8;

function samplesUrl(fn, file, range) {
  let u = "/v1/profiles/" + enc(fn) + "/samples?file=" + enc(file);
  if (range) u += "&from=" + range.from + "&to=" + range.to;
  return u;
}

/**
 * The heat map of profile number n (of a page's profiles), in its own perf time: a column a second,
 * a row per 20 ms. state.range {part, from, to} is outlined when it is this profile's; a drag, or
 * Enter on the keyboard's cursor, calls select with a range of this profile (null: Escape, the whole).
 */
function heatMap(samples, n, name, width, state, select) {
  const suffix = n ? "-" + (n + 1) : ""; // the first profile's ids are a single profile's
  const bps = samples.bucketsPerSecond;
  const canvas = el("canvas", { id: "heatmap" + suffix, class: "heatmap", tabindex: "0", role: "img",
    "aria-label": (name ? "Heat map of " + name : "Heat map of the samples")
      + ": one column a second, one row per 20 ms; drag to select a range, or use the fields below."
      + " With the keyboard: arrows move a cursor (up and down 20 ms, left and right a second), Shift with them extends"
      + " a range, Enter shows it, Escape the whole profile" });
  const cursorText = el("p", { id: "heatmap-cursor" + suffix, class: "hint", "aria-live": "polite" });

  const seconds = samples.heatmap.length / bps;
  const cellW = Math.max(6, Math.min(48, Math.floor((width - 40) / Math.max(1, seconds))));
  canvas.width = Math.max(1, seconds) * cellW;
  canvas.height = bps * CELL_H;
  const max = Math.max(1, ...samples.heatmap);
  const color = d3.scaleSequential(d3.interpolateReds).domain([0, max]);
  const cellTime = (x, y) => samples.firstSecond + Math.floor(x / cellW) + Math.floor(y / CELL_H) / bps;
  // Cells are in time order, a second's rows one after the other.
  const indexTime = i => samples.firstSecond + Math.floor(i / bps) + (i % bps) / bps;
  const range = (from, to) => ({ part: n, from: +from.toFixed(3), to: +to.toFixed(3) });
  // The keyboard's cursor starts on the busiest cell; anchor is where Shift began a range.
  const keys = { cursor: samples.heatmap.indexOf(max), anchor: null };
  const paint = () => {
    const g = canvas.getContext("2d");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    samples.heatmap.forEach((count, i) => {
      if (!count) return;
      g.fillStyle = color(count);
      g.fillRect(Math.floor(i / bps) * cellW, (i % bps) * CELL_H, cellW - 1, CELL_H - 1);
    });
    if (document.activeElement === canvas && keys.cursor >= 0) { // the keyboard's cursor, and the range it spans
      const from = Math.min(keys.anchor ?? keys.cursor, keys.cursor), to = Math.max(keys.anchor ?? keys.cursor, keys.cursor);
      g.strokeStyle = "#146c2e";
      g.lineWidth = 1;
      g.setLineDash([2, 2]);
      for (let i = from; i <= to; i++) {
        g.strokeRect(Math.floor(i / bps) * cellW + 0.5, (i % bps) * CELL_H + 0.5, cellW - 2, CELL_H - 2);
      }
      g.setLineDash([]);
    }
    if (state.range && state.range.part === n) { // the selected cells, outlined
      g.strokeStyle = "#0b57d0";
      g.lineWidth = 2;
      for (let i = 0; i < samples.heatmap.length; i++) {
        const t = indexTime(i);
        if (t + 1 / bps > state.range.from && t < state.range.to) {
          g.strokeRect(Math.floor(i / bps) * cellW + 1, (i % bps) * CELL_H + 1, cellW - 3, CELL_H - 3);
        }
      }
    }
  };
  let dragFrom = null;
  const at = e => { const r = canvas.getBoundingClientRect(); return cellTime(e.clientX - r.left, e.clientY - r.top); };
  canvas.addEventListener("mousedown", e => { dragFrom = at(e); e.preventDefault(); });
  canvas.addEventListener("mouseup", e => {
    if (dragFrom === null) return;
    const a = Math.min(dragFrom, at(e)), b = Math.max(dragFrom, at(e)) + 1 / bps;
    dragFrom = null;
    select(range(a, b));
  });

  const STEPS = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -bps, ArrowRight: bps };
  canvas.addEventListener("keydown", e => {
    if (keys.cursor < 0) return; // no cell at all
    if (e.key in STEPS) {
      e.preventDefault();
      if (e.shiftKey && keys.anchor === null) keys.anchor = keys.cursor;
      if (!e.shiftKey) keys.anchor = null;
      keys.cursor = Math.max(0, Math.min(samples.heatmap.length - 1, keys.cursor + STEPS[e.key]));
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      const a = Math.min(keys.anchor ?? keys.cursor, keys.cursor), b = Math.max(keys.anchor ?? keys.cursor, keys.cursor);
      select(range(indexTime(a), indexTime(b) + 1 / bps));
    } else if (e.key === "Escape") {
      keys.anchor = null;
      select(null);
    } else {
      return;
    }
    showCursor();
  });
  canvas.addEventListener("focus", () => showCursor());
  canvas.addEventListener("blur", () => paint());
  function showCursor() {
    const i = keys.cursor;
    cursorText.textContent = i < 0 ? "No samples to select." : `Cursor at ${indexTime(i).toFixed(2)} s: ${samples.heatmap[i]} samples`
      + (keys.anchor !== null ? `; range from ${indexTime(Math.min(i, keys.anchor)).toFixed(2)} s, Enter shows it` : "; Enter shows this cell");
    paint();
  }
  return { nodes: [name ? el("h3", {}, name) : null, el("div", { class: "heatmap-wrap" }, canvas), cursorText], paint };
}

const span = s => `${s.samples} samples` + (s.firstSample !== null ? `, perf time ${s.firstSample.toFixed(3)} s to ${s.lastSample.toFixed(3)} s` : "");

/** One profile of function fn (files holds one name), or several merged into one flame graph. */
export async function profilePage(main, fn, files) {
  if (files.length > MAX_MERGED) {
    throw new Error(`${files.length} profiles asked: at most ${MAX_MERGED} merge into one view.`);
  }
  const merged = files.length > 1;
  const profiles = await api("GET", "/v1/profiles/" + enc(fn));
  // One file after the other: the controller reads two profiles at once at most (503 past that), and
  // one page should not take both.
  const parts = [];
  for (const file of files) parts.push(await api("GET", samplesUrl(fn, file)));
  const title = merged ? `${files.length} profiles of ${fn}, merged` : files[0];
  document.title = title + " – perfaas";
  // Each samples' tree is built once, when they come; drawing (a search keystroke, a zoom) only walks it.
  // shown: the answers the flame graph is of (every profile whole, or one profile's range).
  const state = { range: null, shown: parts };
  const view = flameView(() => {
    const other = state.shown.reduce((sum, s) => sum + s.otherStacks, 0);
    return (merged && !state.range ? ` from ${files.length} profiles` : "") + (other ? `, ${other} in stacks past the cap` : "");
  });
  let base = null; // {root, label} of the differential view's base

  const WHOLE = merged ? "Range: every profile whole" : "Range: the whole profile";
  const rangeText = el("span", { id: "range-text" }, WHOLE);
  const rangePart = merged ? el("select", { id: "range-profile" }, files.map((f, i) => el("option", { value: i }, f))) : null;
  const fromInput = el("input", { id: "range-from", inputmode: "decimal", size: 12 });
  const toInput = el("input", { id: "range-to", inputmode: "decimal", size: 12 });
  const baseSelect = el("select", { id: "diff-base" }, el("option", { value: "" }, "none (plain flame graph)"),
    profiles.map(p => el("option", { value: p.file },
      !files.includes(p.file) ? p.file : merged ? p.file + " (merged here)" : "this profile")));
  const baseFrom = el("input", { id: "diff-from", inputmode: "decimal", size: 12 });
  const baseTo = el("input", { id: "diff-to", inputmode: "decimal", size: 12 });
  const message = el("p", { role: "alert", class: "error" });
  // Merged profiles keep a heat map each, in their own perf time, rather than one heat map of their
  // samples added per second: perf time is each machine's monotonic clock, so two instances' seconds
  // need not be the same seconds, and a sum would paint coincidences. A range is one profile's.
  const maps = parts.map((p, n) => heatMap(p, n, merged ? files[n] : null, main.clientWidth || 1000, state, select));

  async function select(range) {
    message.textContent = "";
    try {
      state.shown = range ? [await api("GET", samplesUrl(fn, files[range.part], range))] : parts;
      state.range = range;
      fromInput.value = range ? range.from : "";
      toInput.value = range ? range.to : "";
      if (range && rangePart) rangePart.value = range.part;
      rangeText.textContent = range ? `Range: ${range.from} s to ${range.to} s (perf time)`
        + (merged ? ` of ${files[range.part]} alone` : "") + `, ${state.shown[0].selected} samples` : WHOLE;
      maps.forEach(m => m.paint());
      view.show(tree(...state.shown), base);
    } catch (e) { message.textContent = e.message; }
  }

  async function compare() {
    message.textContent = "";
    const baseFile = baseSelect.value;
    if (!baseFile) { base = null; view.show(view.state.root, null); return; }
    const range = baseFrom.value && baseTo.value ? { from: Number(baseFrom.value), to: Number(baseTo.value) } : null;
    try {
      const samples = await api("GET", samplesUrl(fn, baseFile, range));
      base = { root: tree(samples), label: baseFile + (range ? ` ${range.from}–${range.to} s` : "") };
      view.show(view.state.root, base);
    } catch (e) { message.textContent = e.message; }
  }

  main.replaceChildren(...[
    el("p", {}, el("a", { href: "#/function/" + enc(fn) }, "← " + fn)),
    el("h1", {}, title),
    merged ? el("ul", { id: "merged-files" }, parts.map((p, n) =>
      el("li", {}, el("a", { href: "#/profile/" + enc(fn) + "/" + enc(files[n]) }, files[n]), ": " + span(p))))
      : el("p", {}, span(parts[0])),
    merged ? el("p", { class: "hint" }, "The flame graph adds up the stacks of every profile listed, frames merged by name."
      + " Each profile keeps its own heat map, in its own perf time (each machine's clock): a range shows that profile's alone.") : null,
    el("h2", {}, merged ? "Heat maps: when the samples fell" : "Heat map: when the samples fell"),
    el("p", { class: "hint" }, "One column a second, one row per 20 ms (FlameScope's subsecond offset map); darker is more samples. Drag across cells to see the flame graph of that range."),
    maps.map(m => m.nodes),
    el("form", { class: "row", onsubmit: e => {
      e.preventDefault();
      select(fromInput.value && toInput.value
        ? { part: rangePart ? Number(rangePart.value) : 0, from: Number(fromInput.value), to: Number(toInput.value) } : null);
    } },
      rangePart ? el("label", {}, "Profile", rangePart) : null,
      el("label", {}, "From (s)", fromInput), el("label", {}, "To (s)", toInput),
      el("button", { type: "submit", id: "range-apply" }, "Show range"),
      el("button", { type: "button", id: "range-clear", onclick: () => select(null) }, merged ? "Every profile whole" : "Whole profile"), rangeText),
    el("h2", {}, "Flame graph"),
    el("div", { class: "row" }, el("label", {}, "Search frames", view.search), view.resetZoom),
    el("form", { class: "row", onsubmit: e => { e.preventDefault(); compare(); } },
      el("label", {}, "Compare with (differential view)", baseSelect),
      el("label", {}, "Base from (s, optional)", baseFrom), el("label", {}, "Base to (s)", baseTo),
      el("button", { type: "submit", id: "diff-apply" }, "Compare"), view.legend),
    message, view.summary, view.flame, view.info].flat(2).filter(c => c)); // what a single profile has not, left out
  maps.forEach(m => m.paint());
  view.show(tree(...parts), null);
}
