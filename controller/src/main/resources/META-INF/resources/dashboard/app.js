// The dashboard: hash routes over the controller's API. #/ functions, #/function/NAME,
// #/profile/NAME/FILE, #/merged/NAME/FILE/FILE..., #/range/NAME?from=&to=..., #/targets. A FILE in slow/ is
// one encoded part.
import { api, enc, el, table, num, pct, ms, mib, when, or, inControlWords, sampleWords, engineWords, memoryWords,
  rate, setToken, ApiError } from "/dashboard/api.js";
import { profilePage, MAX_MERGED } from "/dashboard/profile.js";
import { rangePage } from "/dashboard/range.js";

const main = document.getElementById("main");
let refresh = null;

async function route() {
  clearInterval(refresh);
  const [path, query] = location.hash.replace(/^#\/?/, "").split("?");
  const parts = path.split("/").map(decodeURIComponent);
  try {
    if (parts[0] === "function" && parts[1]) await functionPage(parts[1]);
    else if (parts[0] === "profile" && parts[1] && parts[2]) await profilePage(main, parts[1], [parts.slice(2).join("/")]);
    else if (parts[0] === "merged" && parts[1] && parts[2]) await profilePage(main, parts[1], parts.slice(2));
    else if (parts[0] === "range" && parts[1]) await rangePage(main, parts[1], new URLSearchParams(query || ""));
    else if (parts[0] === "targets") await targetsPage();
    else {
      await functionsPage();
      // Not while the reader is in the page with the keyboard: a redraw would lose their place.
      refresh = setInterval(() => main.contains(document.activeElement) || functionsPage().catch(() => {}), 5000);
    }
  } catch (e) {
    main.replaceChildren(el("h1", {}, "Cannot load this page"), el("p", { class: "error", role: "alert" }, e.message));
  }
}

function show(title, ...content) {
  document.title = title + " – perfaas";
  main.replaceChildren(el("h1", {}, title), ...content);
}

async function functionsPage() {
  // One request whatever the number of functions: the list carries what this page shows.
  const list = await api("GET", "/v1/functions");
  const rows = list.map(f => {
    const warm = f.warmLatency;
    const ceiling = pct(f.maxOverhead, 1);
    return el("tr", { "data-function": f.function },
      el("th", { scope: "row" }, el("a", { href: "#/function/" + enc(f.function) }, f.function)),
      el("td", { class: "num" }, or(rate(f.lastWindow), "no report yet")),
      el("td", { class: "num" }, f.coldStartCount),
      el("td", { class: "num" }, warm && warm.count ? ms(warm.p50) + " / " + ms(warm.p99) : "no warm invocation yet"),
      el("td", { class: "num" }, or(num(f.fraction, 3), "prior, not stepped yet")),
      el("td", { class: "num" }, f.frequencyHz ? f.frequencyHz + " Hz" : "prior, not stepped yet"),
      el("td", {}, f.samples + " samples; " + sampleWords(f.sampleRatio, f)),
      el("td", {}, f.overhead === null || f.overhead === undefined ? "not measured yet, ceiling " + ceiling
        : pct(f.overhead) + " of " + ceiling + " ceiling"),
      el("td", {}, inControlWords(f.inControl)),
      el("td", {}, engineWords(f.engine)),
      el("td", {}, memoryWords(f.memory)));
  });
  show("Functions",
    list.length ? table(["Function", "Invocations/s", "Cold starts", "p50 / p99 (warm)", "Traced fraction",
      "Frequency", "Samples vs target", "Overhead vs ceiling", "In control", "Engine", "Memory"], rows, { id: "functions", class: "cards" })
      : el("p", {}, "No function has reported yet. Functions built with the java17-perfaas template report here once invoked."),
    el("p", { class: "hint" }, "Refreshed every 5 s, unless a link here has the focus. Profiles stay in the controller's stacks directory, which FlameScope opens as it is."));
}

/** A uPlot chart of the control history; the figure says how many steps it plots. */
function chart(title, times, series, steps) {
  const fig = el("figure", { "data-steps": steps, "aria-label": title + ": " + steps + " control steps" }, el("figcaption", {}, title));
  const colors = ["#0b57d0", "#b3261e", "#146c2e"];
  // Drawn once in the page, at the width its grid cell got.
  fig.plot = () => new uPlot({
    width: Math.max(240, fig.clientWidth - 12), height: 180,
    series: [{}, ...series.map((s, i) => ({ label: s.label, stroke: colors[i], width: 2, dash: s.dash }))],
    axes: [{}, { size: 60 }],
    scales: { x: { time: true } },
  }, [times, ...series.map(s => s.values)], fig);
  return fig;
}

async function functionPage(name) {
  const [d, profiles] = await Promise.all([api("GET", "/v1/functions/" + enc(name)),
    api("GET", "/v1/profiles/" + enc(name))]);
  const h = d.history || [];
  const t = h.map(s => s.timeMillis / 1000);
  const ceiling = d.targets.maxOverhead;
  const charts = [
    chart("Overhead against its ceiling", t, [{ label: "overhead", values: h.map(s => s.overhead) },
      { label: "ceiling", values: h.map(() => ceiling), dash: [6, 4] }], h.length),
    chart("Sample ratio against 1", t, [{ label: "samples / target", values: h.map(s => s.sampleRatio) },
      { label: "target", values: h.map(() => 1), dash: [6, 4] }], h.length),
    chart("Traced fraction", t, [{ label: "fraction", values: h.map(s => s.fraction) }], h.length),
    chart("Sampling frequency (Hz)", t, [{ label: "Hz", values: h.map(s => s.frequencyHz) }], h.length),
  ];
  const stepRows = h.slice().reverse().map(s => el("tr", {},
    el("td", {}, when(s.timeMillis)), el("td", { class: "num" }, or(pct(s.overhead), "no data")),
    el("td", { class: "num" }, or(num(s.sampleRatio, 2), "no data")), el("td", { class: "num" }, num(s.fraction, 4)),
    el("td", { class: "num" }, s.frequencyHz), el("td", {}, inControlWords(s.inControl))));
  const c = d.control;
  show(name,
    el("dl", { class: "facts" },
      el("dt", {}, "Invocations"), el("dd", {}, d.invocations + " (" + d.traced + " traced), " + or(rate(d.lastReport), "no report yet") + "/s in the last window"),
      el("dt", {}, "Policy now"), el("dd", {}, "fraction " + num(d.policy.fraction, 4) + " at " + d.policy.frequencyHz + " Hz, engine asked " + d.policy.engine),
      el("dt", {}, "Engine running"), el("dd", {}, engineWords(d.engine)),
      el("dt", {}, "In control"), el("dd", {}, inControlWords(c && c.inControl) + (c && c.budgetLimited ? " (budget limited)" : "")),
      el("dt", {}, "Overhead"), el("dd", {}, or(pct(c && c.overhead), "not measured yet") + " against a ceiling of " + pct(ceiling, 1)),
      el("dt", {}, "Samples"), el("dd", {}, d.samples + "; " + sampleWords(c && c.sampleRatio, d) + ", target " + d.targets.samplesPerMinute + "/min"),
      el("dt", {}, "Targets"), el("dd", {}, "from " + d.targets.source + " (", el("a", { href: "#/targets" }, "edit"), ")")),
    el("h2", {}, "The loop at work"),
    h.length ? el("div", { class: "charts", id: "control-charts" }, charts)
      : el("p", {}, "No control step yet: the loop steps the function once its reports arrive."),
    h.length ? el("details", {}, el("summary", {}, "The control steps as a table (" + h.length + ")"),
      table(["Time", "Overhead", "Sample ratio", "Fraction", "Hz", "In control"], stepRows, { id: "steps" })) : null,
    el("h2", {}, "Latency"), latencyTable(d.latency),
    el("h2", {}, "CPU and memory"), usageFacts(d),
    el("h2", {}, "Memory"), memoryFacts(d.memory),
    el("h2", {}, "Slow calls"), slowCalls(name, d.slowCalls),
    el("h2", {}, "Profiles"),
    el("p", {}, el("a", { href: "#/range/" + enc(name), id: "range-link" }, "Flame graph over time"),
      ": every instance's profiles of the last hour, or any range, merged; and against another range"),
    profileList(name, profiles));
  charts.forEach(f => f.plot && f.isConnected && f.plot());
}

function latencyTable(latency) {
  if (!latency) return el("p", {}, "No report yet.");
  const rows = [];
  for (const [period, p] of [["last window", latency.window], ["last 100 reports", latency.pooled]]) {
    if (!p) continue;
    for (const kind of ["all", "warm", "cold", "traced", "untraced"]) {
      const q = p[kind];
      if (!q || !q.count) continue;
      rows.push(el("tr", {}, el("td", {}, period), el("td", {}, kind), el("td", { class: "num" }, q.count),
        ...["p50", "p90", "p99", "p999", "max"].map(k => el("td", { class: "num" }, or(ms(q[k]), "–")))));
    }
  }
  return rows.length ? table(["Period", "Invocations", "Count", "p50", "p90", "p99", "p99.9", "max"], rows)
    : el("p", {}, "No invocation measured yet.");
}

/** The function's cgroups as the node agent reads them (the pod_* series), and CPU per invocation. */
function usageFacts(d) {
  const u = d.usage;
  const perInvocation = or(ms(d.cpuSecondsPerInvocation == null ? null : d.cpuSecondsPerInvocation * 1e9),
    "unknown: no report counts invocations (the node agent counts them only from an of-watchdog's metrics)");
  if (!u) {
    return el("dl", { class: "facts", id: "usage" },
      el("dt", {}, "CPU per invocation"), el("dd", {}, perInvocation),
      el("dt", {}, "Cgroup figures"), el("dd", {}, "none: the node agent reports CPU, working set and OOM kills from"
        + " each instance's cgroup; the in-process hook does not"));
  }
  return el("dl", { class: "facts", id: "usage" },
    el("dt", {}, "CPU"), el("dd", {}, num(u.cpuSeconds, 1) + " s in all its instances' cgroups"),
    el("dt", {}, "CPU per invocation"), el("dd", {}, perInvocation),
    el("dt", {}, "Memory working set"), el("dd", {}, mib(u.workingSetBytes) + " in " + u.liveInstances + " live instance"
      + (u.liveInstances === 1 ? "" : "s") + (u.limitBytes ? ", limit " + mib(u.limitBytes) + " each" : ", no limit")),
    el("dt", {}, "OOM kills"), el("dd", {}, String(u.oomKills)));
}

function memoryFacts(m) {
  if (!m) return el("p", {}, "No report yet.");
  const fit = m.fit;
  return el("div", {},
    el("dl", { class: "facts" },
      el("dt", {}, "Finding"), el("dd", {}, memoryWords(m)),
      el("dt", {}, "Fit"), el("dd", {}, fit ? Math.round(fit.bytesPerUnit) + " bytes per unit of input + " + mib(fit.intercept)
        + ", explains " + pct(fit.explained, 0) + " (" + fit.points + " points)" : "no fit yet: it needs two different input sizes"),
      el("dt", {}, "Recommended"), el("dd", {}, m.recommendation ? "limit " + mib(m.recommendation.limitBytes) + ", heap "
        + mib(m.recommendation.heapBytes) : "not yet: it needs 8 weighed invocations")),
    m.reasoning && m.reasoning.length ? el("ul", {}, m.reasoning.map(r => el("li", {}, r))) : null);
}

function slowCalls(name, calls) {
  if (!calls || !calls.length) return el("p", { id: "slow-calls" }, "No slow calls captured.");
  return table(["Started", "Call", "Latency", "Threshold", "Instance", "Profile"], calls.map(s => {
    // s.path is the stacks directory's: <function>/slow/<name>.perf
    const path = "slow/" + String(s.path || "").split("/").pop();
    return el("tr", {}, el("td", {}, or(when(s.startedAt) || s.startedAt, "")), el("td", {}, or(s.callId, "")),
      el("td", { class: "num" }, or(num(s.latencyMillis, 1), "?") + " ms" + (s.ended === false ? " (still running)" : "")),
      el("td", { class: "num" }, or(num(s.thresholdMillis, 1), "?") + " ms"),
      el("td", {}, or(s.instance, "")), el("td", {}, s.path ? el("a", { href: "#/profile/" + enc(name) + "/" + enc(path) }, "flame graph") : "none"));
  }), { id: "slow-calls" });
}

function profileList(name, profiles) {
  if (!profiles.length) {
    return el("p", {}, "No profile stored yet: the hook sends one once it holds ~100 samples, or after 10 windows.");
  }
  // Several profiles (two instances', or several windows of one) open as one flame graph.
  const message = el("p", { id: "merge-message", role: "alert", class: "error" });
  const openMerged = e => {
    e.preventDefault();
    const picked = [...document.querySelectorAll("#profiles input.merge-pick:checked")].map(c => c.value);
    if (picked.length < 2 || picked.length > MAX_MERGED) {
      message.textContent = `Select from 2 to ${MAX_MERGED} profiles to merge (${picked.length} selected).`;
      return;
    }
    location.hash = "#/merged/" + enc(name) + "/" + picked.map(enc).join("/");
  };
  return el("div", {},
    el("form", { class: "row", id: "merge-form", onsubmit: openMerged },
      el("span", { class: "hint" }, `Tick from 2 to ${MAX_MERGED} profiles below to see them merged into one flame graph.`),
      el("button", { type: "submit", id: "merge-open" }, "Open merged")),
    message,
    table(["Merge", "Profile", "Stored", "Size"], profiles.map(p => el("tr", {},
      el("td", {}, el("input", { type: "checkbox", class: "merge-pick", value: p.file, "aria-label": "merge " + p.file })),
      el("td", {}, el("a", { href: "#/profile/" + enc(name) + "/" + enc(p.file), class: "profile-link" }, p.file)),
      el("td", {}, when(p.modifiedMillis)), el("td", { class: "num" }, (p.bytes / 1024).toFixed(1) + " KiB"))), { id: "profiles" }));
}

const FIELDS = [
  ["maxOverhead", "Overhead ceiling (share of the function's CPU, e.g. 0.01)"],
  ["samplesPerMinute", "Samples per minute"],
  ["minFrequencyHz", "Lowest frequency (Hz)"],
  ["maxFrequencyHz", "Highest frequency (Hz)"],
  ["minFraction", "Lowest traced fraction"],
];

async function targetsPage() {
  const [overview, functions] = await Promise.all([api("GET", "/v1/targets"), api("GET", "/v1/functions")]);
  const rows = [["configuration", overview.configured], ...Object.entries(overview.overrides)].map(([n, t]) =>
    el("tr", { "data-target": n }, el("th", { scope: "row" }, n), ...FIELDS.map(([k]) => el("td", { class: "num" }, t[k]))));
  const message = el("p", { id: "targets-message", role: "alert" });
  const inputs = Object.fromEntries(FIELDS.map(([k]) => [k, el("input", { id: "t-" + k, name: k, inputmode: "decimal", size: 8 })]));
  const fn = el("input", { id: "t-function", list: "function-names", value: "_default", required: true });
  const tokenInput = el("input", { id: "t-token", type: "password", autocomplete: "off",
    oninput: e => setToken(e.target.value) });
  const say = (cls, text) => { message.className = cls; message.textContent = text; };
  const load = async () => {
    const t = await api("GET", "/v1/targets/" + enc(fn.value.trim()));
    FIELDS.forEach(([k]) => { inputs[k].value = t[k]; });
    say("muted", fn.value + " is held to these targets now (from " + t.source + ").");
  };
  const write = async method => {
    const body = method === "PUT" ? Object.fromEntries(FIELDS.map(([k]) => [k, Number(inputs[k].value)])) : undefined;
    try {
      const t = await api(method, "/v1/targets/" + enc(fn.value.trim()), body);
      await targetsPage();
      const m = document.getElementById("targets-message");
      m.className = "ok";
      m.textContent = (method === "PUT" ? "Saved: " : "Deleted: ") + t.function + " now follows its targets from " + t.source + ".";
    } catch (e) {
      if (e instanceof ApiError && e.status === 401) {
        say("error", "Refused (401): " + e.message + ". This controller has a token: enter it above and try again.");
        tokenInput.focus();
      } else {
        say("error", "Refused" + (e.status ? " (" + e.status + ")" : "") + ": " + e.message);
      }
    }
  };
  const form = el("form", { class: "row", id: "targets-form", onsubmit: e => { e.preventDefault(); write("PUT"); } },
    el("label", {}, "Function, or _default for all", fn),
    el("datalist", { id: "function-names" }, el("option", { value: "_default" }), functions.map(f => el("option", { value: f.function }))),
    FIELDS.map(([k, label]) => el("label", { for: "t-" + k }, label, inputs[k])),
    el("label", {}, "Bearer token (if the controller has one; kept in this page only)", tokenInput),
    el("button", { type: "button", id: "t-load", onclick: () => load().catch(e => say("error", e.message)) }, "Load"),
    el("button", { type: "submit", id: "t-save" }, "Save (PUT)"),
    el("button", { type: "button", id: "t-delete", onclick: () => write("DELETE") }, "Delete override"));
  show("Targets",
    table(["Source", ...FIELDS.map(([, l]) => l)], rows, { id: "targets" }),
    el("p", { class: "hint" }, "A function without its own targets follows _default, else the configuration."),
    el("h2", {}, "Edit"), form, message);
  await load().catch(e => say("error", e.message));
}

window.addEventListener("hashchange", route);
route();
