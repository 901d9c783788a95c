// An interactive flame graph (search, zoom, a frame's share) of stacks as the API answers them, and its
// differential form against a base: red where a frame holds a larger share of the samples than in the
// base, blue where smaller.
import { el } from "/dashboard/api.js";

const FRAME_H = 17;

/**
 * The stacks of one or more answers ({names, stacks: [[count, root name index, ..., leaf]]}) as one tree
 * of {name, value (samples in the subtree), children (Map by name)}: frames merge by name, so the same
 * code in two instances is one node.
 */
export function tree(...answers) {
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

/**
 * The share of all samples a frame holds here minus its share in the base (the same path of names from
 * the root): red where it grew, blue where it shrank, a 20-point change full colour, white-grey unchanged.
 */
export function diffColor(delta) {
  const v = Math.min(1, Math.abs(delta) * 5);
  const c = Math.round(255 * (1 - v));
  return delta > 0 ? `rgb(255,${c},${c})` : delta < 0 ? `rgb(${c},${c},255)` : "rgb(250,250,250)";
}

/**
 * The flame graph's elements (search field, reset button, summary, the graph, the frame info line) and
 * show(root, base) to draw a tree, against base {root, label} for the differential form (null: plain).
 * extra() adds the page's words to the summary after "N samples in view".
 */
export function flameView(extra = () => "") {
  const INFO = "Hover or focus a frame to see its share; click or Enter zooms into it.";
  const state = { root: { name: "all", value: 0, children: new Map() }, base: null, zoom: null, search: "" };
  const info = el("p", { id: "frame-info", "aria-live": "polite" }, INFO);
  const summary = el("p", { id: "flame-summary" });
  const flame = el("div", { class: "flame", id: "flame" });
  const search = el("input", { id: "flame-search", type: "search", placeholder: "regular expression",
    oninput: e => { state.search = e.target.value; draw(); } });
  const resetZoom = el("button", { type: "button", id: "flame-reset", onclick: () => { state.zoom = null; draw(); } }, "Reset zoom");
  const legend = el("span", { class: "legend" }, el("span", { style: "background:rgb(255,80,80)" }), "more than base",
    el("span", { style: "background:rgb(80,80,255)" }), "less");

  /** A new root unzooms; a new base alone keeps the zoom. */
  function show(root, base) {
    if (root !== state.root) state.zoom = null;
    state.root = root;
    state.base = base;
    draw();
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
      .attr("fill", f => baseRoot ? diffColor(f.node.value / Math.max(1, root.value) - (f.base ? f.base.value / Math.max(1, baseRoot.value) : 0)) : hot(f.node.name));
    g.append("title").text(f => describe(f, root, baseRoot));
    g.append("text").attr("x", 3).attr("y", FRAME_H - 5)
      .text(f => f.w > 30 ? f.node.name.slice(0, Math.floor((f.w - 6) / 6.6)) : "");
    g.on("mouseenter focus", (e, f) => { info.textContent = describe(f, root, baseRoot); })
      .on("click", (e, f) => zoomTo(f))
      .on("keydown", (e, f) => { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); zoomTo(f); } });
    flame.replaceChildren(svg.node());
    summary.textContent = `${root.value} samples in view` + extra()
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

  return { search, resetZoom, legend, summary, flame, info, show, draw, state };
}
