// The controller's API as the dashboard uses it, and the words shown for its figures.

// The bearer token lives in this page's memory only: never in a URL or in storage.
let token = "";
export function setToken(t) { token = t.trim(); }

export class ApiError extends Error {
  constructor(status, message) { super(message); this.status = status; }
}

export async function api(method, path, body) {
  const headers = { Accept: "application/json" };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  if (method !== "GET" && token) headers.Authorization = "Bearer " + token;
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch { /* not JSON: shown as text below */ }
  if (!res.ok) throw new ApiError(res.status, json && json.error ? json.error : text || res.statusText);
  return json;
}

export const enc = encodeURIComponent;

/** Text nodes only: names and messages from the API never become markup. */
export function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
    else e.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null) continue;
    e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return e;
}

export function table(headers, rows, attrs) {
  // Each cell names its column, for the narrow layout (cards) where the header row is hidden.
  for (const row of rows) [...row.children].forEach((cell, i) => cell.setAttribute("data-label", headers[i]));
  return el("div", { class: "scroll" }, el("table", attrs || {},
    el("thead", {}, el("tr", {}, headers.map(h => el("th", { scope: "col" }, h)))),
    el("tbody", {}, rows)));
}

export const num = (v, digits = 0) => v === null || v === undefined ? null : Number(v).toFixed(digits);
export const pct = (v, digits = 2) => v === null || v === undefined ? null : (100 * v).toFixed(digits) + " %";
export const ms = ns => ns === null || ns === undefined ? null : (ns / 1e6).toFixed(ns < 1e7 ? 2 : 1) + " ms";
export const mib = b => b === null || b === undefined ? null : (b / 1048576).toFixed(0) + " MiB";
export const when = millis => millis ? new Date(millis).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : null;
/** A figure, or what its absence means. */
export const or = (v, words) => v === null || v === undefined ? words : v;

/** Which part of the law is in control, and why (InControl in the controller). */
const IN_CONTROL = {
  prior: "prior: a new function, no measurement yet, so the conservative starting policy",
  idle: "idle: no invocations in the last period, policy kept as it was",
  samples: "samples: chasing the sample target, with overhead to spare",
  overhead: "overhead guard: the sample target would cost more than the ceiling allows",
  saturated: "saturated: at a bound of effort and the sample target still not met",
};

export function inControlWords(name) {
  return name ? IN_CONTROL[name] || name : "not stepped yet: the loop steps a function once its reports arrive";
}

/** The sample ratio, with why it reads 0 early on. */
export function sampleWords(ratio, detail) {
  if (ratio === null || ratio === undefined) return "not measured yet (no control step with data)";
  const s = ratio.toFixed(2) + " × target";
  if (ratio === 0 && detail && detail.traced > 0) {
    return s + " (samples still in the hook: a profile is sent once it holds ~100 samples or after 10 windows)";
  }
  return s;
}

export function engineWords(engine) {
  if (!engine || !engine.running) return "no report yet";
  const refused = Object.entries(engine.refused || {});
  return engine.running + (refused.length ? "; refused: " + refused.map(([k, v]) => k + " (" + v + ")").join("; ") : "");
}

export function memoryWords(memory) {
  if (!memory || !memory.finding) return "no report yet";
  const r = memory.recommendation;
  const finding = memory.finding === "not-enough-data" ? "not enough data yet" : memory.finding;
  return finding + (r && r.limitBytes ? ", recommended limit " + mib(r.limitBytes) : "");
}

/** Invocations a second in the last window an instance reported (a report, or the list's lastWindow). */
export function rate(window) {
  if (!window) return null;
  const s = (window.windowEndMillis - window.windowStartMillis) / 1000;
  return s > 0 ? (window.invocations / s).toFixed(1) : null;
}
