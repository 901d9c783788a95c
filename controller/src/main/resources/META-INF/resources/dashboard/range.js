// A function's flame graph over a time range: every instance's window profiles stored for windows in the
// range, merged by the controller (GET /v1/profiles/{fn}/merged), optionally of one version and engine,
// and the differential view against another version or range. The page's state is its hash,
// #/range/FN?from=&to=&version=&engine=&baseVersion=&baseFrom=&baseTo=, so a view can be shared as a
// link; the forms set it.
import { api, enc, el } from "/dashboard/api.js";
import { tree, flameView } from "/dashboard/flame.js";

const HOUR = 3600 * 1000;

/** The query of a merge: its range, and its version and engine when asked. */
function mergeQuery(q) {
  return new URLSearchParams(Object.entries({ from: q.from, to: q.to, version: q.version, engine: q.engine })
    .filter(([, v]) => v)).toString();
}

/** The range's merged stacks, as JSON. */
function merged(fn, q) {
  return api("GET", `/v1/profiles/${enc(fn)}/merged?format=json&${mergeQuery(q)}`);
}

const iso = millis => new Date(millis).toISOString().replace(/\.\d+Z$/, "Z");

/** The whole hour up to now: the last hour's profiles, whatever minute the page opens at. */
function lastHour() {
  const to = Math.ceil(Date.now() / 60000) * 60000;
  return { from: iso(to - HOUR), to: iso(to) };
}

export async function rangePage(main, fn, params) {
  const q = { ...lastHour(), ...Object.fromEntries([...params].filter(([, v]) => v)) };
  // The base: another version over the same range, another range of the same version, or both.
  const compared = q.baseVersion || (q.baseFrom && q.baseTo);
  const baseQ = { from: q.baseFrom || q.from, to: q.baseTo || q.to, version: q.baseVersion || q.version, engine: q.engine };
  const [answer, baseAnswer] = await Promise.all([merged(fn, q), compared ? merged(fn, baseQ) : null]);
  document.title = `${fn} over time – perfaas`;
  const view = flameView(() => ` from ${answer.files} profiles`
    + (answer.otherStacks ? `, ${answer.otherStacks} in stacks past the cap` : ""));
  const input = (id, value) => el("input", { id, name: id, value: value || "", size: 22, spellcheck: "false" });
  const from = input("range-start", q.from), to = input("range-end", q.to);
  const baseFrom = input("base-start", q.baseFrom), baseTo = input("base-end", q.baseTo);
  // Choices: what the range holds (files per version or engine, whatever is filtered), and what is asked.
  const choice = (id, all, counts, value) => el("select", { id, name: id }, el("option", { value: "" }, all),
    [...new Set([...Object.keys(counts), ...(value ? [value] : [])])].map(v =>
      el("option", { value: v, selected: v === value }, v + (counts[v] ? ` (${counts[v]} profiles)` : ""))));
  const version = choice("range-version", "every version", answer.versions, q.version);
  const engine = choice("range-engine", "every engine", answer.engines, q.engine);
  const baseVersion = choice("base-version", "the same version(s)", answer.versions, q.baseVersion);
  const base = { baseVersion: q.baseVersion, baseFrom: q.baseFrom, baseTo: q.baseTo };
  const shown = { from: q.from, to: q.to, version: q.version, engine: q.engine };
  const go = (next) => {
    const p = new URLSearchParams(Object.entries(next).filter(([, v]) => v));
    location.hash = "#/range/" + enc(fn) + "?" + p;
  };
  const folded = `/v1/profiles/${enc(fn)}/merged?${mergeQuery(q)}`;
  const baseLabel = [q.baseVersion ? "version " + q.baseVersion : q.version ? "version " + q.version : "",
    `${baseQ.from} to ${baseQ.to}`].filter(t => t).join(", ");

  main.replaceChildren(
    el("p", {}, el("a", { href: "#/function/" + enc(fn) }, "← " + fn)),
    el("h1", {}, `${fn} over time`),
    el("p", { id: "range-found" }, `${answer.files} profiles` + (q.version ? ` of version ${q.version}` : "")
      + (q.engine ? ` sampled by ${q.engine}` : "") + ` stored for windows from ${answer.from} to ${answer.to}, `
      + `${answer.samples} samples; `, el("a", { href: folded, id: "range-folded" }, "as folded text")),
    el("p", { class: "hint" }, "Every instance's window profiles whose window started in the range, merged by frame names"
      + " (slow calls are left out). Times are UTC, ISO-8601 (2026-12-06T21:00:00Z) or epoch milliseconds."
      + " A version is the function's PERFAAS_VERSION (or its image, from the node agent); \"unknown\" where none was sent."),
    el("form", { class: "row", id: "range-form", onsubmit: e => {
      e.preventDefault();
      go({ from: from.value.trim(), to: to.value.trim(), version: version.value, engine: engine.value, ...base });
    } },
      el("label", {}, "From (UTC)", from), el("label", {}, "To (UTC)", to),
      el("label", {}, "Version", version), el("label", {}, "Engine", engine),
      el("button", { type: "submit", id: "range-show" }, "Show")),
    el("h2", {}, "Flame graph"),
    el("div", { class: "row" }, el("label", {}, "Search frames", view.search), view.resetZoom),
    el("form", { class: "row", id: "base-form", onsubmit: e => {
      e.preventDefault();
      go({ ...shown, baseVersion: baseVersion.value, baseFrom: baseFrom.value.trim(), baseTo: baseTo.value.trim() });
    } },
      el("label", {}, "Compare with version", baseVersion),
      el("label", {}, "over (UTC, empty: the same range) from", baseFrom), el("label", {}, "to", baseTo),
      el("button", { type: "submit", id: "base-apply" }, "Compare"),
      el("button", { type: "button", id: "base-clear", onclick: () => go(shown) }, "No comparison"),
      view.legend),
    view.summary, view.flame, view.info);
  view.show(tree(answer), compared ? { root: tree(baseAnswer), label: baseLabel } : null);
}
