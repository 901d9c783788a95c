// A function's flame graph over a time range: every instance's window profiles stored for windows in the
// range, merged by the controller (GET /v1/profiles/{fn}/merged), and optionally the differential view
// against another range. The page's state is its hash, #/range/FN?from=&to=&baseFrom=&baseTo=, so a
// view can be shared as a link; the forms set it.
import { api, enc, el } from "/dashboard/api.js";
import { tree, flameView } from "/dashboard/flame.js";

const HOUR = 3600 * 1000;

/** The range's merged stacks, as JSON. */
function merged(fn, q) {
  return api("GET", `/v1/profiles/${enc(fn)}/merged?format=json&from=${enc(q.from)}&to=${enc(q.to)}`);
}

const iso = millis => new Date(millis).toISOString().replace(/\.\d+Z$/, "Z");

/** The whole hour up to now: the last hour's profiles, whatever minute the page opens at. */
function lastHour() {
  const to = Math.ceil(Date.now() / 60000) * 60000;
  return { from: iso(to - HOUR), to: iso(to) };
}

export async function rangePage(main, fn, params) {
  const q = { ...lastHour(), ...Object.fromEntries([...params].filter(([, v]) => v)) };
  const compared = q.baseFrom && q.baseTo;
  const [answer, baseAnswer] = await Promise.all([merged(fn, q),
    compared ? merged(fn, { from: q.baseFrom, to: q.baseTo }) : null]);
  document.title = `${fn} over time – perfaas`;
  const view = flameView(() => ` from ${answer.files} profiles`
    + (answer.otherStacks ? `, ${answer.otherStacks} in stacks past the cap` : ""));
  const input = (id, value) => el("input", { id, name: id, value: value || "", size: 22, spellcheck: "false" });
  const from = input("range-start", q.from), to = input("range-end", q.to);
  const baseFrom = input("base-start", q.baseFrom), baseTo = input("base-end", q.baseTo);
  const go = (next) => {
    const p = new URLSearchParams(Object.entries(next).filter(([, v]) => v));
    location.hash = "#/range/" + enc(fn) + "?" + p;
  };
  const folded = `/v1/profiles/${enc(fn)}/merged?from=${enc(q.from)}&to=${enc(q.to)}`;

  main.replaceChildren(
    el("p", {}, el("a", { href: "#/function/" + enc(fn) }, "← " + fn)),
    el("h1", {}, `${fn} over time`),
    el("p", { id: "range-found" }, `${answer.files} profiles stored for windows from ${answer.from} to ${answer.to}, `
      + `${answer.samples} samples; `, el("a", { href: folded, id: "range-folded" }, "as folded text")),
    el("p", { class: "hint" }, "Every instance's window profiles whose window started in the range, merged by frame names"
      + " (slow calls are left out). Times are UTC, ISO-8601 (2026-12-06T21:00:00Z) or epoch milliseconds."),
    el("form", { class: "row", id: "range-form", onsubmit: e => {
      e.preventDefault();
      go({ from: from.value.trim(), to: to.value.trim(), baseFrom: q.baseFrom, baseTo: q.baseTo });
    } },
      el("label", {}, "From (UTC)", from), el("label", {}, "To (UTC)", to),
      el("button", { type: "submit", id: "range-show" }, "Show")),
    el("h2", {}, "Flame graph"),
    el("div", { class: "row" }, el("label", {}, "Search frames", view.search), view.resetZoom),
    el("form", { class: "row", id: "base-form", onsubmit: e => {
      e.preventDefault();
      go({ from: q.from, to: q.to, baseFrom: baseFrom.value.trim(), baseTo: baseTo.value.trim() });
    } },
      el("label", {}, "Compare with, from (UTC)", baseFrom), el("label", {}, "to (UTC)", baseTo),
      el("button", { type: "submit", id: "base-apply" }, "Compare"),
      el("button", { type: "button", id: "base-clear", onclick: () => go({ from: q.from, to: q.to }) }, "No comparison"),
      view.legend),
    view.summary, view.flame, view.info);
  view.show(tree(answer), compared ? { root: tree(baseAnswer), label: `${q.baseFrom} to ${q.baseTo}` } : null);
}
