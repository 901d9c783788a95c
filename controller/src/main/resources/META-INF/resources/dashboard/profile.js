// One profile, or several of one function merged: FlameScope's subsecond heat map of each (select a
// range -> its flame graph), an interactive flame graph (search, zoom, a frame's share) and a
// differential view against another profile or another range (red: more of the samples than in the
// base, blue: fewer).
import { api, enc, el } from "/dashboard/api.js";

const CELL_H = 5; // px per 20 ms row
const FRAME_H = 17;
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
 * The stacks of one or more samples answers as one tree of {name, value (samples in the subtree),
 * children (Map by name)}: frames merge by name, so the same code in two instances is one node.
 */
function tree(...answers) {
  const root = { name: "all", value: 0, children: new Map() };
  for (const samples of answers) {
    for (const s of samples.stacks) {
      let node = root;
      node.value += s[0];
      for (let i = 1; i < s.length; i++) {
        const name = samples.names[s[i]];
        let child = node.children.get(name);
        if (!child) node.children.set(name, child = { name, value: 0, children: new Map() });
        child.value += s[0];
        node = child;
      }
    }
  }
  return root;
}

/** Brendan Gregg's "hot" palette, stable per name. */
function hot(name) {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  const r = (h % 1000) / 1000, g = ((h >>> 10) % 1000) / 1000;
  return `rgb(${205 + Math.round(50 * r)},${Math.round(230 * g)},${Math.round(55 * r)})`;
}

/** Red where a frame holds a larger share of the samples than in the base, blue where smaller. */
function diffColor(delta) {
  const v = Math.min(1, Math.abs(delta) * 5); // a 20-point change is full colour
  const c = Math.round(255 * (1 - v));
  return delta > 0 ? `rgb(255,${c},${c})` : delta < 0 ? `rgb(${c},${c},255)` : "rgb(250,250,250)";
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
  const state = { range: null, shown: parts, root: tree(...parts), base: null, zoom: null, search: "" };

  const INFO = "Hover or focus a frame to see its share; click or Enter zooms into it.";
  const WHOLE = merged ? "Range: every profile whole" : "Range: the whole profile";
  const info = el("p", { id: "frame-info", "aria-live": "polite" }, INFO);
  const summary = el("p", { id: "flame-summary" });
  const flame = el("div", { class: "flame", id: "flame" });
  const search = el("input", { id: "flame-search", type: "search", placeholder: "regular expression",
    oninput: e => { state.search = e.target.value; draw(); } });
  const resetZoom = el("button", { type: "button", id: "flame-reset", onclick: () => { state.zoom = null; draw(); } }, "Reset zoom");
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
      state.root = tree(...state.shown);
      state.range = range;
      state.zoom = null;
      fromInput.value = range ? range.from : "";
      toInput.value = range ? range.to : "";
      if (range && rangePart) rangePart.value = range.part;
      rangeText.textContent = range ? `Range: ${range.from} s to ${range.to} s (perf time)`
        + (merged ? ` of ${files[range.part]} alone` : "") + `, ${state.shown[0].selected} samples` : WHOLE;
      maps.forEach(m => m.paint());
      draw();
    } catch (e) { message.textContent = e.message; }
  }

  async function compare() {
    message.textContent = "";
    const baseFile = baseSelect.value;
    if (!baseFile) { state.base = null; draw(); return; }
    const range = baseFrom.value && baseTo.value ? { from: Number(baseFrom.value), to: Number(baseTo.value) } : null;
    try {
      const samples = await api("GET", samplesUrl(fn, baseFile, range));
      state.base = { root: tree(samples), label: baseFile + (range ? ` ${range.from}–${range.to} s` : "") };
      draw();
    } catch (e) { message.textContent = e.message; }
  }

  function draw() {
    info.textContent = INFO;
    const root = state.root;
    const baseRoot = state.base ? state.base.root : null;
    // The zoomed frame is found again by its path of names from the root.
    let top = root;
    for (const name of state.zoom || []) top = top.children.get(name) || top;
    const width = flame.clientWidth || 1000;
    const scale = width / Math.max(1, top.value);
    const frames = [];
    let re = null;
    try { re = state.search ? new RegExp(state.search, "i") : null; } catch { re = null; }
    let matched = 0;
    const walk = (node, base, path, x, depth, underMatch) => {
      const w = node.value * scale;
      if (w < 0.5) return;
      const match = re && re.test(node.name);
      if (match && !underMatch) matched += node.value;
      frames.push({ node, base, path, x, depth, w, match });
      let cx = x;
      for (const child of [...node.children.values()].sort((a, b) => a.name < b.name ? -1 : 1)) {
        walk(child, base && base.children.get(child.name), [...path, child.name], cx, depth + 1, underMatch || match);
        cx += child.value * scale;
      }
    };
    let baseTop = baseRoot;
    for (const name of state.zoom || []) baseTop = baseTop && baseTop.children.get(name);
    walk(top, baseTop, state.zoom || [], 0, 0, false);
    const depth = Math.max(1, ...frames.map(f => f.depth + 1));
    const svg = d3.create("svg").attr("width", width).attr("height", depth * FRAME_H)
      .attr("role", "group").attr("aria-label", "Flame graph, " + root.value + " samples");
    const g = svg.selectAll("g").data(frames).join("g")
      .attr("class", f => "frame" + (f.match ? " match" : ""))
      .attr("data-name", f => f.node.name)
      .attr("transform", f => `translate(${f.x},${(depth - 1 - f.depth) * FRAME_H})`)
      .attr("tabindex", f => f.w >= 40 ? 0 : null)
      .attr("role", "button")
      .attr("aria-label", f => describe(f, root, baseRoot));
    g.append("rect").attr("width", f => Math.max(0.5, f.w - 0.5)).attr("height", FRAME_H - 1)
      .attr("fill", f => baseRoot ? diffColor(f.node.value / root.value - (f.base ? f.base.value / baseRoot.value : 0)) : hot(f.node.name));
    g.append("title").text(f => describe(f, root, baseRoot));
    g.append("text").attr("x", 3).attr("y", FRAME_H - 5)
      .text(f => f.w > 30 ? f.node.name.slice(0, Math.floor((f.w - 6) / 6.6)) : "");
    g.on("mouseenter focus", (e, f) => { info.textContent = describe(f, root, baseRoot); })
      .on("click", (e, f) => zoomTo(f))
      .on("keydown", (e, f) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); zoomTo(f); } });
    flame.replaceChildren(svg.node());
    const other = state.shown.reduce((sum, s) => sum + s.otherStacks, 0);
    summary.textContent = `${root.value} samples in view` + (merged && !state.range ? ` from ${files.length} profiles` : "")
      + (other ? `, ${other} in stacks past the cap` : "")
      + (re ? `; "${state.search}" matches ${(100 * matched / Math.max(1, root.value)).toFixed(1)} % of them` : "")
      + (baseRoot ? `; difference against ${state.base.label} (${baseRoot.value} samples): red = larger share here, blue = smaller` : "");
  }

  function zoomTo(f) { state.zoom = f.path; draw(); }

  function describe(f, root, baseRoot) {
    const share = (100 * f.node.value / Math.max(1, root.value)).toFixed(2);
    let s = `${f.node.name}: ${f.node.value} samples, ${share} % of all`;
    if (baseRoot) {
      const baseShare = f.base ? 100 * f.base.value / Math.max(1, baseRoot.value) : 0;
      s += `, ${baseShare.toFixed(2)} % in the base`;
    }
    return s;
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
    el("div", { class: "row" }, el("label", {}, "Search frames", search), resetZoom),
    el("form", { class: "row", onsubmit: e => { e.preventDefault(); compare(); } },
      el("label", {}, "Compare with (differential view)", baseSelect),
      el("label", {}, "Base from (s, optional)", baseFrom), el("label", {}, "Base to (s)", baseTo),
      el("button", { type: "submit", id: "diff-apply" }, "Compare"),
      el("span", { class: "legend" }, el("span", { style: "background:rgb(255,80,80)" }), "more than base", el("span", { style: "background:rgb(80,80,255)" }), "less")),
    message, summary, flame, info].flat(2).filter(c => c)); // what a single profile has not, left out
  maps.forEach(m => m.paint());
  draw();
}
