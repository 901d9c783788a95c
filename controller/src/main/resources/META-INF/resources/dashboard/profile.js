// One profile: FlameScope's subsecond heat map (select a range -> its flame graph), an
// interactive flame graph (search, zoom, a frame's share) and a differential view against
// another profile or another range (red: more of the samples than in the base, blue: fewer).
import { api, enc, el } from "/dashboard/api.js";

const CELL_H = 5; // px per 20 ms row
const FRAME_H = 17;

function samplesUrl(fn, file, range) {
  let u = "/v1/profiles/" + enc(fn) + "/samples?file=" + enc(file);
  if (range) u += "&from=" + range.from + "&to=" + range.to;
  return u;
}

/** The stacks as a tree of {name, value (samples in the subtree), children (Map by name)}. */
function tree(samples) {
  const root = { name: "all", value: 0, children: new Map() };
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

export async function profilePage(main, fn, file) {
  const [all, profiles] = await Promise.all([api("GET", samplesUrl(fn, file)), api("GET", "/v1/profiles/" + enc(fn))]);
  document.title = file + " – perfaas";
  // Each samples' tree is built once, when they come; drawing (a search keystroke, a zoom) only walks it.
  const state = { range: null, samples: all, root: tree(all), base: null, zoom: null, search: "" };

  const INFO = "Hover or focus a frame to see its share; click or Enter zooms into it.";
  const info = el("p", { id: "frame-info", "aria-live": "polite" }, INFO);
  const summary = el("p", { id: "flame-summary" });
  const flame = el("div", { class: "flame", id: "flame" });
  const search = el("input", { id: "flame-search", type: "search", placeholder: "regular expression",
    oninput: e => { state.search = e.target.value; draw(); } });
  const resetZoom = el("button", { type: "button", id: "flame-reset", onclick: () => { state.zoom = null; draw(); } }, "Reset zoom");
  const rangeText = el("span", { id: "range-text" }, "Range: the whole profile");
  const fromInput = el("input", { id: "range-from", inputmode: "decimal", size: 12 });
  const toInput = el("input", { id: "range-to", inputmode: "decimal", size: 12 });
  const baseSelect = el("select", { id: "diff-base" }, el("option", { value: "" }, "none (plain flame graph)"),
    profiles.map(p => el("option", { value: p.file }, p.file === file ? "this profile" : p.file)));
  const baseFrom = el("input", { id: "diff-from", inputmode: "decimal", size: 12 });
  const baseTo = el("input", { id: "diff-to", inputmode: "decimal", size: 12 });
  const message = el("p", { role: "alert", class: "error" });
  const canvas = el("canvas", { id: "heatmap", tabindex: "0", role: "img",
    "aria-label": "Heat map of the samples: one column a second, one row per 20 ms; drag to select a range, or use the fields below."
      + " With the keyboard: arrows move a cursor (up and down 20 ms, left and right a second), Shift with them extends"
      + " a range, Enter shows it, Escape the whole profile" });
  const cursorText = el("p", { id: "heatmap-cursor", class: "hint", "aria-live": "polite" });

  const seconds = all.heatmap.length / all.bucketsPerSecond;
  const cellW = Math.max(6, Math.min(48, Math.floor(((main.clientWidth || 1000) - 40) / Math.max(1, seconds))));
  canvas.width = Math.max(1, seconds) * cellW;
  canvas.height = all.bucketsPerSecond * CELL_H;
  const max = Math.max(1, ...all.heatmap);
  const color = d3.scaleSequential(d3.interpolateReds).domain([0, max]);
  const cellTime = (x, y) => all.firstSecond + Math.floor(x / cellW) + Math.floor(y / CELL_H) / all.bucketsPerSecond;
  // Cells are in time order, a second's rows one after the other.
  const indexTime = i => all.firstSecond + Math.floor(i / all.bucketsPerSecond) + (i % all.bucketsPerSecond) / all.bucketsPerSecond;
  // The keyboard's cursor starts on the busiest cell; anchor is where Shift began a range.
  const keys = { cursor: all.heatmap.indexOf(max), anchor: null };
  const paint = () => {
    const g = canvas.getContext("2d");
    g.fillStyle = "#fff";
    g.fillRect(0, 0, canvas.width, canvas.height);
    all.heatmap.forEach((n, i) => {
      if (!n) return;
      g.fillStyle = color(n);
      g.fillRect(Math.floor(i / all.bucketsPerSecond) * cellW, (i % all.bucketsPerSecond) * CELL_H, cellW - 1, CELL_H - 1);
    });
    if (document.activeElement === canvas && keys.cursor >= 0) { // the keyboard's cursor, and the range it spans
      const from = Math.min(keys.anchor ?? keys.cursor, keys.cursor), to = Math.max(keys.anchor ?? keys.cursor, keys.cursor);
      g.strokeStyle = "#146c2e";
      g.lineWidth = 1;
      g.setLineDash([2, 2]);
      for (let i = from; i <= to; i++) {
        g.strokeRect(Math.floor(i / all.bucketsPerSecond) * cellW + 0.5, (i % all.bucketsPerSecond) * CELL_H + 0.5, cellW - 2, CELL_H - 2);
      }
      g.setLineDash([]);
    }
    if (state.range) { // the selected cells, outlined
      g.strokeStyle = "#0b57d0";
      g.lineWidth = 2;
      const step = 1 / all.bucketsPerSecond;
      for (let i = 0; i < all.heatmap.length; i++) {
        const t = indexTime(i);
        if (t + step > state.range.from && t < state.range.to) {
          g.strokeRect(Math.floor(i / all.bucketsPerSecond) * cellW + 1, (i % all.bucketsPerSecond) * CELL_H + 1, cellW - 3, CELL_H - 3);
        }
      }
    }
  };
  let dragFrom = null;
  const at = e => { const r = canvas.getBoundingClientRect(); return cellTime(e.clientX - r.left, e.clientY - r.top); };
  canvas.addEventListener("mousedown", e => { dragFrom = at(e); e.preventDefault(); });
  canvas.addEventListener("mouseup", e => {
    if (dragFrom === null) return;
    const a = Math.min(dragFrom, at(e)), b = Math.max(dragFrom, at(e)) + 1 / all.bucketsPerSecond;
    dragFrom = null;
    select({ from: +a.toFixed(3), to: +b.toFixed(3) });
  });

  const STEPS = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -all.bucketsPerSecond, ArrowRight: all.bucketsPerSecond };
  canvas.addEventListener("keydown", e => {
    if (keys.cursor < 0) return; // no cell at all
    if (e.key in STEPS) {
      e.preventDefault();
      if (e.shiftKey && keys.anchor === null) keys.anchor = keys.cursor;
      if (!e.shiftKey) keys.anchor = null;
      keys.cursor = Math.max(0, Math.min(all.heatmap.length - 1, keys.cursor + STEPS[e.key]));
    } else if (e.key === "Enter" || e.key === " ") {
      e.preventDefault();
      const a = Math.min(keys.anchor ?? keys.cursor, keys.cursor), b = Math.max(keys.anchor ?? keys.cursor, keys.cursor);
      select({ from: +indexTime(a).toFixed(3), to: +(indexTime(b) + 1 / all.bucketsPerSecond).toFixed(3) });
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
    cursorText.textContent = i < 0 ? "No samples to select." : `Cursor at ${indexTime(i).toFixed(2)} s: ${all.heatmap[i]} samples`
      + (keys.anchor !== null ? `; range from ${indexTime(Math.min(i, keys.anchor)).toFixed(2)} s, Enter shows it` : "; Enter shows this cell");
    paint();
  }

  async function select(range) {
    message.textContent = "";
    try {
      state.samples = range ? await api("GET", samplesUrl(fn, file, range)) : all;
      state.root = tree(state.samples);
      state.range = range;
      state.zoom = null;
      fromInput.value = range ? range.from : "";
      toInput.value = range ? range.to : "";
      rangeText.textContent = range ? `Range: ${range.from} s to ${range.to} s (perf time), ${state.samples.selected} samples`
        : "Range: the whole profile";
      paint();
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
    summary.textContent = `${root.value} samples in view` + (state.samples.otherStacks ? `, ${state.samples.otherStacks} in stacks past the cap` : "")
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

  main.replaceChildren(
    el("p", {}, el("a", { href: "#/function/" + enc(fn) }, "← " + fn)),
    el("h1", {}, file),
    el("p", {}, `${all.samples} samples` + (all.firstSample !== null ? `, perf time ${all.firstSample.toFixed(3)} s to ${all.lastSample.toFixed(3)} s` : "")),
    el("h2", {}, "Heat map: when the samples fell"),
    el("p", { class: "hint" }, "One column a second, one row per 20 ms (FlameScope's subsecond offset map); darker is more samples. Drag across cells to see the flame graph of that range."),
    el("div", { id: "heatmap-wrap" }, canvas),
    cursorText,
    el("form", { class: "row", onsubmit: e => { e.preventDefault(); select(fromInput.value && toInput.value ? { from: Number(fromInput.value), to: Number(toInput.value) } : null); } },
      el("label", {}, "From (s)", fromInput), el("label", {}, "To (s)", toInput),
      el("button", { type: "submit", id: "range-apply" }, "Show range"),
      el("button", { type: "button", id: "range-clear", onclick: () => select(null) }, "Whole profile"), rangeText),
    el("h2", {}, "Flame graph"),
    el("div", { class: "row" }, el("label", {}, "Search frames", search), resetZoom),
    el("form", { class: "row", onsubmit: e => { e.preventDefault(); compare(); } },
      el("label", {}, "Compare with (differential view)", baseSelect),
      el("label", {}, "Base from (s, optional)", baseFrom), el("label", {}, "Base to (s)", baseTo),
      el("button", { type: "submit", id: "diff-apply" }, "Compare"),
      el("span", { class: "legend" }, el("span", { style: "background:rgb(255,80,80)" }), "more than base", el("span", { style: "background:rgb(80,80,255)" }), "less")),
    message, summary, flame, info);
  paint();
  draw();
}
