// SPDX-License-Identifier: Apache-2.0
// Checks what promtool cannot: that every PromQL expression of the alert rules and of the
// Grafana dashboards names only metrics that exist, that the routes a dashboard counts exist,
// that every alert has a runbook section and unit tests that make it fire and keep it quiet.
//   node prometheus-policy.mjs --scrape METRICS.txt --known LIST.txt... --conditional LIST.txt
//        --source-dir backend/src --rules R.yml... --dashboards D.json... --tests T.yml...
//        --runbook docs/operations.md [--emit-rules OUT.yml] [--self-test]
// Known metrics: the names on a live `medisecure serve` /metrics (--scrape), the exporters' names
// (--known), MediSecure's conditional names while backend/src still registers them
// (--conditional), the rules' own recorded names, and Prometheus's ALERTS series.
// --emit-rules writes the dashboards' expressions as recording rules, for `promtool check rules`
// (Grafana's $__rate_interval, $__interval and $__range become 5m).
// --self-test runs the same checks on broken inputs, each of which must be refused.
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { parser } from "@prometheus-io/lezer-promql";
import { parse as parseYaml } from "yaml";

const GRAFANA_VARS = /\$(__rate_interval|__interval|__range)\b|\$\{(__rate_interval|__interval|__range)\}/g;
const BUILTIN = new Set(["ALERTS", "ALERTS_FOR_STATE"]);

export function grafanaToPromql(expr) {
  return expr.replace(GRAFANA_VARS, "5m");
}

/** Metric names and route="..." matchers of one expression; syntax errors as strings. */
export function selectors(expr) {
  const tree = parser.parse(expr);
  const names = [];
  const routes = [];
  const errors = [];
  tree.iterate({
    enter(n) {
      if (n.type.isError) errors.push(`syntax error at ${n.from}: "${expr.slice(Math.max(0, n.from - 10), n.to + 10)}"`);
      if (n.name !== "VectorSelector") return;
      const text = expr.slice(n.from, n.to);
      const brace = text.indexOf("{");
      let name = (brace < 0 ? text : text.slice(0, brace)).trim();
      const matchers = brace < 0 ? "" : text.slice(brace);
      if (!name) name = matchers.match(/__name__\s*=\s*"([^"]+)"/)?.[1] ?? "";
      if (name) names.push(name);
      for (const m of matchers.matchAll(/\broute\s*=\s*"([^"]*)"/g)) routes.push({ metric: name, route: m[1] });
    },
  });
  return { names, routes, errors };
}

/** Metric names and route label values of a Prometheus text exposition. */
export function readScrape(text) {
  const names = new Set();
  const routes = new Set();
  for (const line of text.split("\n")) {
    if (!line || line.startsWith("#")) continue;
    const name = line.match(/^[a-zA-Z_:][a-zA-Z0-9_:]*/)?.[0];
    if (name) names.add(name);
    const route = line.match(/\broute="((?:[^"\\]|\\.)*)"/)?.[1];
    if (route) routes.add(route);
  }
  return { names, routes };
}

export function readList(text) {
  return text
    .split("\n")
    .map((l) => l.replace(/#.*/, "").trim())
    .filter(Boolean);
}

/** GitHub's anchor for a Markdown heading. */
export function slug(heading) {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

function durationSeconds(d) {
  let s = 0;
  for (const [, n, u] of String(d).matchAll(/(\d+)(ms|s|m|h|d|w|y)/g))
    s += Number(n) * { ms: 0.001, s: 1, m: 60, h: 3600, d: 86400, w: 604800, y: 31536000 }[u];
  return s;
}

/**
 * inputs: {scrape: text, known: [names], conditional: [names], source: text of backend/src,
 *          rules: [{file, doc}], dashboards: [{file, doc}], tests: [{file, doc}], runbook: text}
 * Returns {errors, counts, emitted} (emitted: the dashboards' expressions as a rules file).
 */
export function check(inputs) {
  const errors = [];
  const scrape = readScrape(inputs.scrape);
  const known = new Set([...scrape.names, ...inputs.known, ...BUILTIN]);
  let conditionalFound = 0;
  for (const name of inputs.conditional) {
    const base = name.replace(/_(bucket|sum|count)$/, "");
    if (inputs.source.includes(`"${base}"`)) {
      known.add(name);
      conditionalFound++;
    } else errors.push(`conditional metric ${name}: backend/src no longer registers "${base}"`);
  }
  const exprs = []; // {where, expr}
  const alerts = new Map(); // name -> {file, runbook}
  for (const { file, doc } of inputs.rules) {
    for (const group of doc?.groups ?? []) {
      for (const rule of group.rules ?? []) {
        if (rule.record) known.add(rule.record);
        const label = rule.record ?? rule.alert;
        exprs.push({ where: `${file}: ${label}`, expr: String(rule.expr) });
        if (rule.alert) alerts.set(rule.alert, { file, runbook: rule.annotations?.runbook_url ?? "" });
      }
    }
  }
  const emitted = [];
  let dashboardExprs = 0;
  for (const { file, doc } of inputs.dashboards) {
    const panels = [];
    const walk = (list) => {
      for (const p of list ?? []) {
        panels.push(p);
        walk(p.panels);
      }
    };
    walk(doc.panels);
    const add = (where, expr) => {
      const promql = grafanaToPromql(expr);
      exprs.push({ where, expr: promql });
      emitted.push({ record: `dashboard_expr_${emitted.length + 1}`, expr: promql, where });
      dashboardExprs++;
    };
    for (const p of panels)
      for (const t of p.targets ?? []) if (t.expr !== undefined) add(`${file}: panel "${p.title}" ${t.refId}`, t.expr);
    for (const a of doc.annotations?.list ?? []) if (a.expr !== undefined) add(`${file}: annotation "${a.name}"`, a.expr);
  }
  const used = new Set();
  for (const { where, expr } of exprs) {
    const s = selectors(expr);
    for (const e of s.errors) errors.push(`${where}: ${e}`);
    for (const n of s.names) {
      used.add(n);
      if (!known.has(n)) errors.push(`${where}: unknown metric ${n}`);
    }
    for (const r of s.routes)
      if (r.metric.startsWith("medisecure_http_") && !scrape.routes.has(r.route))
        errors.push(`${where}: no route "${r.route}" on MediSecure's /metrics`);
  }
  // Runbooks: a section of docs/operations.md per alert.
  const anchors = new Set(
    inputs.runbook
      .split("\n")
      .filter((l) => /^#{1,6} /.test(l))
      .map((l) => slug(l.replace(/^#+ /, ""))),
  );
  for (const [name, { file, runbook }] of alerts) {
    const m = runbook.match(/^docs\/operations\.md#(.+)$/);
    if (!m) errors.push(`${file}: ${name}: runbook_url "${runbook}" is not docs/operations.md#<section>`);
    else if (!anchors.has(m[1])) errors.push(`${file}: ${name}: docs/operations.md has no section #${m[1]}`);
  }
  // Unit tests: each alert fires in one case (exp_alerts not empty) and stays quiet in another.
  const fires = new Map();
  const quiet = new Map();
  let cases = 0;
  for (const { doc } of inputs.tests) {
    for (const t of doc?.tests ?? []) {
      for (const a of t.alert_rule_test ?? []) {
        cases++;
        const m = (a.exp_alerts ?? []).length ? fires : quiet;
        m.set(a.alertname, (m.get(a.alertname) ?? 0) + 1);
      }
    }
  }
  for (const name of alerts.keys()) {
    if (!fires.get(name)) errors.push(`${name}: no unit test makes it fire`);
    if (!quiet.get(name)) errors.push(`${name}: no unit test keeps it quiet`);
  }
  for (const name of new Set([...fires.keys(), ...quiet.keys()]))
    if (!alerts.has(name)) errors.push(`tests name an alert that no rule defines: ${name}`);
  const counts = {
    expressions: exprs.length,
    ruleExpressions: exprs.length - dashboardExprs,
    dashboardExpressions: dashboardExprs,
    metricsUsed: used.size,
    medisecureScraped: scrape.names.size,
    routesScraped: scrape.routes.size,
    conditional: conditionalFound,
    exporters: inputs.known.length,
    alerts: alerts.size,
    alertCases: cases,
  };
  return { errors, counts, emitted };
}

function emitRules(emitted) {
  const lines = ["# Generated by deploy/checks/prometheus-policy.mjs: the dashboards' expressions.", "groups:", "  - name: dashboards", "    rules:"];
  for (const e of emitted) {
    lines.push(`      # ${e.where.replace(/\n/g, " ")}`);
    lines.push(`      - record: ${e.record}`);
    lines.push(`        expr: ${JSON.stringify(e.expr)}`);
  }
  return lines.join("\n") + "\n";
}

/** Broken variants of the real inputs: each must add an error containing its text. */
function selfTest(inputs) {
  const clone = (x) => structuredClone(x);
  const firstAlert = (rules) => {
    for (const r of rules) for (const g of r.doc.groups) for (const rule of g.rules) if (rule.alert) return rule;
    throw new Error("no alert");
  };
  const firstTarget = (dashboards) => {
    for (const d of dashboards)
      for (const p of d.doc.panels) for (const t of p.targets ?? []) if (t.expr) return t;
    throw new Error("no dashboard target");
  };
  const cases = [
    ["a rule naming an unknown metric", "unknown metric medisecure_cache_hit_ratio", (i) => {
      firstAlert(i.rules).expr = "medisecure_cache_hit_ratio < 0.8";
    }],
    ["a dashboard naming an unknown metric", "unknown metric medisecure_appointments_booked_total", (i) => {
      firstTarget(i.dashboards).expr = "sum(rate(medisecure_appointments_booked_total[$__rate_interval]))";
    }],
    ["a dashboard counting a route that does not exist", 'no route "/api/v1/appointment"', (i) => {
      firstTarget(i.dashboards).expr = 'sum(rate(medisecure_http_requests_total{route="/api/v1/appointment"}[5m]))';
    }],
    ["an expression that does not parse", "syntax error", (i) => {
      firstTarget(i.dashboards).expr = "sum(rate(up[5m])";
    }],
    ["an alert without a runbook section", "has no section #nosuchsection", (i) => {
      firstAlert(i.rules).annotations.runbook_url = "docs/operations.md#nosuchsection";
    }],
    ["an alert no test makes fire", "no unit test makes it fire", (i) => {
      i.tests = clone(i.tests);
      const name = firstAlert(i.rules).alert;
      for (const t of i.tests) for (const c of t.doc.tests) for (const a of c.alert_rule_test ?? []) if (a.alertname === name) a.exp_alerts = [];
    }],
    ["an alert no test keeps quiet", "no unit test keeps it quiet", (i) => {
      const name = firstAlert(i.rules).alert;
      for (const t of i.tests) for (const c of t.doc.tests) c.alert_rule_test = (c.alert_rule_test ?? []).filter((a) => a.alertname !== name || (a.exp_alerts ?? []).length);
    }],
    ["a conditional metric the source no longer registers", "backend/src no longer registers", (i) => {
      i.conditional = [...i.conditional, "medisecure_no_such_metric_total"];
    }],
  ];
  let failed = 0;
  for (const [what, expect, mutate] of cases) {
    const broken = clone(inputs);
    mutate(broken);
    const { errors } = check(broken);
    if (!errors.some((e) => e.includes(expect))) {
      failed++;
      console.error(`prometheus-policy self-test: ${what} was not refused (wanted "${expect}"; got: ${errors.join(" | ") || "no error"})`);
    }
  }
  console.log(`prometheus-policy self-test: ${cases.length - failed} of ${cases.length} broken inputs refused`);
  return failed === 0;
}

function readSource(dir) {
  let text = "";
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && /\.(cpp|hpp)$/.test(entry.name)) text += fs.readFileSync(`${entry.parentPath ?? entry.path}/${entry.name}`, "utf8");
  }
  return text;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = { known: [], rules: [], dashboards: [], tests: [] };
  let key = null;
  let selfTesting = false;
  for (const a of process.argv.slice(2)) {
    if (a === "--self-test") selfTesting = true;
    else if (a.startsWith("--")) key = a.slice(2);
    else if (Array.isArray(args[key])) args[key].push(a);
    else args[key] = a;
  }
  const yamlDocs = (files) => files.map((file) => ({ file, doc: parseYaml(fs.readFileSync(file, "utf8")) }));
  const inputs = {
    scrape: fs.readFileSync(args.scrape, "utf8"),
    known: args.known.flatMap((f) => readList(fs.readFileSync(f, "utf8"))),
    conditional: args.conditional ? readList(fs.readFileSync(args.conditional, "utf8")) : [],
    source: readSource(args["source-dir"]),
    rules: yamlDocs(args.rules),
    dashboards: args.dashboards.map((file) => ({ file, doc: JSON.parse(fs.readFileSync(file, "utf8")) })),
    tests: yamlDocs(args.tests),
    runbook: fs.readFileSync(args.runbook, "utf8"),
  };
  const { errors, counts, emitted } = check(inputs);
  if (args["emit-rules"]) fs.writeFileSync(args["emit-rules"], emitRules(emitted));
  for (const e of errors) console.error(`prometheus-policy: ${e}`);
  const ok = selfTesting ? selfTest(inputs) : true;
  console.log(
    `prometheus-policy: ${counts.expressions} expressions (${counts.ruleExpressions} in rules, ${counts.dashboardExpressions} in dashboards) name ${counts.metricsUsed} metrics; ` +
      `known: ${counts.medisecureScraped} scraped from medisecure serve (${counts.routesScraped} routes), ${counts.conditional} conditional found in backend/src, ${counts.exporters} exporters'; ` +
      `${counts.alerts} alerts, each with a runbook section and firing and quiet cases (${counts.alertCases} cases); ${errors.length} error(s)`,
  );
  process.exit(errors.length || !ok ? 1 : 0);
}
