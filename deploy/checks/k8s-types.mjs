// SPDX-License-Identifier: Apache-2.0
// Validates Kubernetes manifests against the API's own types, offline: every document becomes a
// typed TypeScript literal (`const r: Deployment = {...}`, types from npm kubernetes-types) and
// `tsc --strict` compiles them. A wrong type, a missing required field, an unknown field (excess
// property check) or an unknown apiVersion/kind fails.
//   node k8s-types.mjs FILE.yaml...      each file's documents; exit 1 on any error
//   node k8s-types.mjs --self-test FILE... also the fixtures/k8s-types-*.yaml, which must each fail
//                                         as their `# expect:` line says
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";
import { compileLiterals } from "./typed-literals.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const typesDir = path.join(here, "node_modules", "kubernetes-types");

// apiVersion -> module of kubernetes-types; a kind is checked against the interface of its name.
const MODULES = {
  v1: "core/v1",
  "apps/v1": "apps/v1",
  "batch/v1": "batch/v1",
  "policy/v1": "policy/v1",
  "autoscaling/v2": "autoscaling/v2",
  "networking.k8s.io/v1": "networking/v1",
  "rbac.authorization.k8s.io/v1": "rbac/v1",
};

/** Parses every file into documents: [{file, index, doc}]; a YAML error is reported as such. */
export function load(files) {
  const docs = [];
  const errors = [];
  for (const file of files) {
    parseAllDocuments(fs.readFileSync(file, "utf8")).forEach((d, index) => {
      if (d.errors.length) errors.push(`${file} #${index}: YAML: ${d.errors[0].message}`);
      const doc = d.toJS();
      if (doc != null) docs.push({ file, index, doc });
    });
  }
  return { docs, errors };
}

/** Compiles the documents as typed literals; returns error strings naming file, kind and name. */
export function typeCheck(docs) {
  const errors = [];
  const lines = [];
  const owner = []; // line number (0-based) -> document
  const imports = new Map();
  const moduleText = {};
  docs.forEach((d, i) => {
    const { apiVersion, kind } = d.doc;
    const label = `${path.basename(d.file)} #${d.index} ${kind}/${d.doc.metadata?.name ?? "?"}`;
    const mod = MODULES[apiVersion];
    if (!mod || typeof kind !== "string" || !/^[A-Z][A-Za-z]*$/.test(kind)) {
      errors.push(`${label}: no API type known for apiVersion "${apiVersion}", kind "${kind}"`);
      return;
    }
    const dts = (moduleText[mod] ??= fs.readFileSync(path.join(typesDir, `${mod}.d.ts`), "utf8"));
    if (!new RegExp(`^export interface ${kind} \\{`, "m").test(dts)) {
      errors.push(`${label}: ${apiVersion} has no exported member named '${kind}'`);
      return;
    }
    const alias = `${kind}_${mod.replace(/\W/g, "_")}`;
    imports.set(alias, `import type { ${kind} as ${alias} } from "kubernetes-types/${mod}";`);
    const body = `export const r${i}: ${alias} = ${JSON.stringify(d.doc, null, 2)};`.split("\n");
    for (const l of body) {
      lines.push(l);
      owner.push({ d, label });
    }
  });
  const header = [...imports.values()];
  errors.push(
    ...compileLiterals({
      header,
      lines,
      owner: owner.map((o) => o.label),
      paths: { "kubernetes-types/*": [path.join(typesDir, "*")] },
    }),
  );
  return errors;
}

/** The fixtures that must fail (fixtures/k8s-types-*.yaml), each with a line `# expect: TEXT`
 *  that one of its errors must contain. */
function fixtures() {
  return fs
    .readdirSync(path.join(here, "fixtures"))
    .filter((f) => /^k8s-types-.*\.yaml$/.test(f))
    .map((f) => path.join(here, "fixtures", f));
}
function selfTestReport(files, errors) {
  let failed = 0;
  for (const file of files) {
    const expect = fs.readFileSync(file, "utf8").match(/^# expect: (.*)$/m)?.[1];
    const mine = errors.filter((e) => e.startsWith(`${path.basename(file)} `) || e.startsWith(`${file} `));
    if (!expect || !mine.some((e) => e.includes(expect))) {
      failed++;
      console.error(`k8s-types self-test: ${path.basename(file)} was not rejected with "${expect}"; got: ${mine.join(" | ") || "no error"}`);
    }
  }
  console.log(`k8s-types self-test: ${files.length - failed} of ${files.length} broken manifests rejected`);
  return failed === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // --self-test: the broken fixtures are compiled in the same program (one tsc run) and must fail.
  const args = process.argv.slice(2);
  const selfTesting = args.includes("--self-test");
  const files = args.filter((a) => a !== "--self-test");
  const broken = selfTesting ? fixtures() : [];
  const loaded = load([...files, ...broken]);
  const all = [...loaded.errors, ...typeCheck(loaded.docs)];
  const brokenNames = new Set(broken.map((f) => path.basename(f)));
  const isFixture = (e) => brokenNames.has(e.split(" ")[0]) || broken.some((f) => e.startsWith(`${f} `));
  const errors = all.filter((e) => !isFixture(e));
  const docs = loaded.docs.filter((d) => !broken.includes(d.file));
  const selfTestOk = selfTesting ? selfTestReport(broken, all.filter(isFixture)) : true;
  for (const e of errors) console.error(`k8s-types: ${e}`);
  const kinds = {};
  for (const { doc } of docs) kinds[doc.kind] = (kinds[doc.kind] ?? 0) + 1;
  const summary = Object.entries(kinds)
    .sort()
    .map(([k, n]) => `${n} ${k}`)
    .join(", ");
  console.log(`k8s-types: ${docs.length} objects typed against the Kubernetes API (kubernetes-types, tsc --strict): ${summary}; ${errors.length} error(s)`);
  process.exit(errors.length || !selfTestOk ? 1 : 0);
}
