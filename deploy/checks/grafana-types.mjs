// SPDX-License-Identifier: Apache-2.0
// Validates Grafana dashboards against Grafana's own schema types, offline (no Grafana server
// here): each dashboard JSON becomes a typed TypeScript literal, typed with npm @grafana/schema
// (the Dashboard, Panel, RowPanel and FieldConfig types, and the timeseries and stat panels'
// Options and FieldConfig), and `tsc --strict` compiles them. Grafana's enum-typed fields
// (legend.displayMode, graphTooltip…) are written in JSON as their values, so the enum types are
// mapped to their literal values first. A wrong type, an unknown key (excess property check),
// a missing required field or a value outside an enum fails. Query targets are typed as
// Prometheus queries (@grafana/schema has no type for them: PromTarget below follows Grafana's
// prometheus dataquery schema for the fields used here).
// The provisioning files (datasources, dashboard providers) are checked for the fields Grafana
// needs, and every panel's data source must be a provisioned one.
//   node grafana-types.mjs [--self-test] --provisioning DIR DASHBOARD.json...
// --self-test also compiles broken copies of the first dashboard, each of which must fail.
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parse as parseYaml } from "yaml";
import { compileLiterals } from "./typed-literals.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const schema = path.join(here, "node_modules", "@grafana", "schema");
const panelcfg = (p, T) => `dist/esm/raw/composable/${p}/panelcfg/x/${T}PanelCfg_types.gen`;

const PRELUDE = `
import type * as g from "@grafana/schema";
import type * as timeseries from "@grafana/schema/${panelcfg("timeseries", "TimeSeries")}";
import type * as stat from "@grafana/schema/${panelcfg("stat", "Stat")}";
// Enum-typed fields as the JSON writes them: a string enum becomes the union of its values.
type Lit<T> = T extends string ? (string extends T ? string : \`\${T}\`)
  : T extends number | boolean | null | undefined ? T
  : T extends ReadonlyArray<infer U> ? Array<Lit<U>>
  : T extends object ? { [K in keyof T]: Lit<T[K]> }
  : T;
interface PromTarget extends Lit<g.DataQuery> {
  expr: string;
  legendFormat?: string;
  editorMode?: "code" | "builder";
  range?: boolean;
  instant?: boolean;
  format?: "time_series" | "table" | "heatmap";
  interval?: string;
  exemplar?: boolean;
  intervalFactor?: number;
}
type FieldConfigOf<C> = {
  defaults: Lit<Omit<g.FieldConfig, "custom">> & { custom?: Lit<C> };
  overrides: Lit<g.FieldConfigSource["overrides"]>;
};
type Common = Lit<Omit<g.Panel, "type" | "options" | "fieldConfig" | "targets">> & { targets?: PromTarget[] };
type TimeseriesPanel = Common & { type: "timeseries"; options?: Lit<timeseries.Options>; fieldConfig?: FieldConfigOf<timeseries.FieldConfig> };
type StatPanel = Common & { type: "stat"; options?: Lit<stat.Options>; fieldConfig?: FieldConfigOf<Record<string, never>> };
type Panel = TimeseriesPanel | StatPanel;
type RowPanel = Lit<Omit<g.RowPanel, "panels">> & { panels: Panel[] };
type PromAnnotation = Lit<Omit<g.AnnotationQuery, "target">> & { expr?: string; titleFormat?: string; textFormat?: string; tagKeys?: string };
type Dashboard = Lit<Omit<g.Dashboard, "panels" | "annotations">> & {
  panels?: Array<Panel | RowPanel>;
  annotations?: { list?: PromAnnotation[] };
};
`;

/** Compiles [{label, doc}] as typed literals; returns error strings naming the dashboard. */
export function typeCheck(dashboards) {
  const lines = [];
  const owner = [];
  dashboards.forEach((d, i) => {
    for (const l of `export const d${i}: Dashboard = ${JSON.stringify(d.doc, null, 2)};`.split("\n")) {
      lines.push(l);
      owner.push(d.label);
    }
  });
  return compileLiterals({
    header: PRELUDE.split("\n"),
    lines,
    owner,
    paths: { "@grafana/schema": [schema], "@grafana/schema/*": [path.join(schema, "*")] },
  });
}

/** The provisioning files: data sources and dashboard providers; returns {errors, uids}. */
export function checkProvisioning(dir, dashboardFiles) {
  const errors = [];
  const uids = new Set();
  const dsDir = path.join(dir, "datasources");
  const provDir = path.join(dir, "dashboards");
  const yamls = (d) => (fs.existsSync(d) ? fs.readdirSync(d).filter((f) => /\.ya?ml$/.test(f)).map((f) => path.join(d, f)) : []);
  for (const file of yamls(dsDir)) {
    const doc = parseYaml(fs.readFileSync(file, "utf8"));
    if (doc?.apiVersion !== 1) errors.push(`${file}: apiVersion must be 1`);
    for (const ds of doc?.datasources ?? []) {
      for (const k of ["name", "uid", "type", "url", "access"]) if (typeof ds[k] !== "string") errors.push(`${file}: data source ${ds.name}: ${k} missing`);
      if (!["proxy", "direct"].includes(ds.access)) errors.push(`${file}: data source ${ds.name}: access must be proxy or direct`);
      uids.add(ds.uid);
    }
  }
  if (!uids.size) errors.push(`${dsDir}: no data source provisioned`);
  const covered = new Set();
  for (const file of yamls(provDir)) {
    const doc = parseYaml(fs.readFileSync(file, "utf8"));
    if (doc?.apiVersion !== 1) errors.push(`${file}: apiVersion must be 1`);
    for (const p of doc?.providers ?? []) {
      if (p.type !== "file" || typeof p.options?.path !== "string") {
        errors.push(`${file}: provider ${p.name}: type file with options.path expected`);
        continue;
      }
      // Compose and Kubernetes mount deploy/grafana as /etc/grafana/provisioning.
      const local = p.options.path.replace(/^\/etc\/grafana\/provisioning/, dir);
      if (!fs.existsSync(local)) errors.push(`${file}: provider ${p.name}: ${p.options.path} is not in deploy/grafana`);
      else for (const f of fs.readdirSync(local)) covered.add(path.resolve(local, f));
    }
  }
  for (const f of dashboardFiles) if (!covered.has(path.resolve(f))) errors.push(`${f}: no dashboard provider reads it`);
  return { errors, uids };
}

function dataSourceErrors(label, doc, uids) {
  const errors = [];
  const seen = new Set();
  const walk = (panels) => {
    for (const p of panels ?? []) {
      if (seen.has(p.id)) errors.push(`${label}: panel id ${p.id} used twice`);
      seen.add(p.id);
      for (const ref of [p.datasource, ...(p.targets ?? []).map((t) => t.datasource)])
        if (ref && !uids.has(ref.uid)) errors.push(`${label}: panel "${p.title}": data source uid "${ref.uid}" is not provisioned`);
      walk(p.panels);
    }
  };
  walk(doc.panels);
  return errors;
}

/** Broken copies of a dashboard: [what, mutate, text the error must contain]. */
const BROKEN = [
  ["an unknown panel key", (d) => { d.panels[1].titel = d.panels[1].title; }, "titel"],
  ["a wrong type (gridPos.w as a string)", (d) => { d.panels[1].gridPos.w = "12"; }, "\"w\": \"12\""],
  ["a value outside an enum (legend.displayMode)", (d) => {
    const p = d.panels.find((x) => x.type === "timeseries");
    p.options.legend.displayMode = "lists";
  }, "lists"],
  ["an unknown dashboard key", (d) => { d.refreshh = "30s"; }, "refreshh"],
  ["a missing required field (schemaVersion)", (d) => { delete d.schemaVersion; }, "schemaVersion"],
  ["an unknown key in a Prometheus target", (d) => { d.panels[1].targets[0].exprr = "up"; }, "exprr"],
  ["an unknown panel type", (d) => { d.panels[1].type = "graph-old"; }, "graph-old"],
];

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const selfTesting = args.includes("--self-test");
  const pi = args.indexOf("--provisioning");
  const provisioning = pi >= 0 ? args[pi + 1] : null;
  const files = args.filter((a, i) => !a.startsWith("--") && i !== pi + 1);
  const dashboards = files.map((f) => ({ label: path.basename(f), doc: JSON.parse(fs.readFileSync(f, "utf8")) }));
  const broken = selfTesting
    ? BROKEN.map(([what, mutate, expect], i) => {
        const doc = structuredClone(dashboards[0].doc);
        mutate(doc);
        return { label: `broken-${i + 1}`, doc, what, expect };
      })
    : [];
  const all = typeCheck([...dashboards, ...broken]);
  const errors = all.filter((e) => !e.startsWith("broken-"));
  let selfFailed = 0;
  for (const b of broken) {
    const mine = all.filter((e) => e.startsWith(`${b.label}:`));
    if (!mine.some((e) => e.includes(b.expect))) {
      selfFailed++;
      console.error(`grafana-types self-test: ${b.what} was accepted (wanted an error naming "${b.expect}"; got: ${mine.join(" | ") || "none"})`);
    }
  }
  if (selfTesting) console.log(`grafana-types self-test: ${broken.length - selfFailed} of ${broken.length} broken dashboards rejected`);
  let panels = 0;
  if (provisioning) {
    const prov = checkProvisioning(provisioning, files);
    errors.push(...prov.errors);
    for (const d of dashboards) errors.push(...dataSourceErrors(d.label, d.doc, prov.uids));
  }
  const uidsSeen = new Map();
  for (const d of dashboards) {
    const count = (ps) => (ps ?? []).reduce((n, p) => n + (p.type === "row" ? count(p.panels) : 1), 0);
    panels += count(d.doc.panels);
    if (uidsSeen.has(d.doc.uid)) errors.push(`${d.label}: uid ${d.doc.uid} also used by ${uidsSeen.get(d.doc.uid)}`);
    uidsSeen.set(d.doc.uid, d.label);
  }
  for (const e of errors) console.error(`grafana-types: ${e}`);
  console.log(`grafana-types: ${dashboards.length} dashboards, ${panels} panels typed against @grafana/schema (tsc --strict)${provisioning ? ", provisioning checked" : ""}; ${errors.length} error(s)`);
  process.exit(errors.length || selfFailed ? 1 : 0);
}
