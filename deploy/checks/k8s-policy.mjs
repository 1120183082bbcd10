// SPDX-License-Identifier: Apache-2.0
// MediSecure's own policy for its Kubernetes manifests (after `kubectl kustomize`), beyond what
// the API types say:
//   probes     each long-running container has startup, readiness and liveness probes; a deep
//              readiness (/health/ready) goes with a shallow liveness (/health/live)
//   resources  every container (init and sidecar too) requests CPU and memory and has limits
//   security   pod: runAsNonRoot, seccomp RuntimeDefault, no host namespaces or hostPath;
//              container: no privilege escalation, read-only root filesystem, drop ALL, add none
//   images     a pinned tag (a version, never latest or none) or a digest
//   budgets    every workload with more than one replica (HPA minimum included) has a PDB
//   autoscale  an HPA's target leaves replicas to it; rollouts of served workloads never lower
//              capacity (maxUnavailable 0); the namespace enforces the restricted profile
//   network    a default-deny of ingress and egress for every pod, DNS allowed, every pod
//              selected by an allow of its own, every peer selector matching pods, every
//              ingress port one the selected pods listen on
//   secrets    no Secret in the built manifests; the *.yaml.example Secrets carry no value;
//              every Secret and key the pods use is declared there (and written by gen-secrets)
//   node k8s-policy.mjs BUILT.yaml [--examples EXAMPLE.yaml...] [--generated GEN.yaml...]
//   node k8s-policy.mjs --self-test      each rule fails on a manifest broken for it
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseAllDocuments } from "yaml";

const WORKLOADS = new Set(["Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"]);
// Long-running containers without probes, and why (each must stay true).
const PROBE_EXEMPT = {};

const loadDocs = (file) =>
  parseAllDocuments(fs.readFileSync(file, "utf8"))
    .map((d) => d.toJS())
    .filter((d) => d != null);

/** Each workload's pod template: {kind, name, labels, spec, replicas, longRunning}. */
function podTemplates(docs) {
  const out = [];
  for (const d of docs) {
    if (!WORKLOADS.has(d.kind)) continue;
    const tpl = d.kind === "CronJob" ? d.spec.jobTemplate.spec.template : d.spec.template;
    out.push({
      kind: d.kind,
      name: d.metadata.name,
      labels: tpl.metadata?.labels ?? {},
      spec: tpl.spec,
      replicas: d.spec.replicas,
      doc: d,
      longRunning: !["Job", "CronJob"].includes(d.kind),
    });
  }
  return out;
}

const matches = (selector, labels) =>
  selector != null &&
  Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v) &&
  (selector.matchExpressions ?? []).every((e) =>
    e.operator === "In" ? e.values.includes(labels[e.key]) : e.operator === "Exists" ? e.key in labels : true,
  );
const isEmptySelector = (s) => s && !Object.keys(s.matchLabels ?? {}).length && !(s.matchExpressions ?? []).length;

export function checkPolicy(docs, examples = [], generated = []) {
  const errors = [];
  const counts = { containers: 0, workloads: 0, policies: 0, secretsDeclared: 0 };
  const fail = (where, msg) => errors.push(`${where}: ${msg}`);
  const pods = podTemplates(docs);
  counts.workloads = pods.length;
  const hpas = docs.filter((d) => d.kind === "HorizontalPodAutoscaler");
  const pdbs = docs.filter((d) => d.kind === "PodDisruptionBudget");
  const netpols = docs.filter((d) => d.kind === "NetworkPolicy");
  counts.policies = netpols.length;

  const configMaps = new Set(docs.filter((d) => d.kind === "ConfigMap").map((d) => d.metadata.name));
  for (const p of pods) {
    const where = `${p.kind}/${p.name}`;
    const s = p.spec;
    const psc = s.securityContext ?? {};
    if (s.hostNetwork || s.hostPID || s.hostIPC) fail(where, "uses a host namespace");
    if ((s.volumes ?? []).some((v) => v.hostPath)) fail(where, "mounts a hostPath");
    // Configuration comes with the manifests: every ConfigMap a pod mounts is one they make
    // (a missing one would leave the pod pending, or empty when optional).
    for (const v of s.volumes ?? []) {
      if (!v.configMap) continue;
      if (!configMaps.has(v.configMap.name)) fail(where, `mounts ConfigMap ${v.configMap.name}, which the manifests do not make`);
      if (v.configMap.optional) fail(where, `mounts ConfigMap ${v.configMap.name} as optional (its configuration may silently be missing)`);
    }
    if (s.automountServiceAccountToken !== false && !s.serviceAccountName)
      fail(where, "mounts the default service account's token (automountServiceAccountToken: false)");
    const containers = [
      ...(s.initContainers ?? []).map((c) => ({ c, init: c.restartPolicy !== "Always" })),
      ...s.containers.map((c) => ({ c, init: false })),
    ];
    for (const { c, init } of containers) {
      counts.containers++;
      const cw = `${where} container ${c.name}`;
      const sc = c.securityContext ?? {};
      if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) fail(cw, "runAsNonRoot is not true");
      if ((sc.runAsUser ?? psc.runAsUser) === 0) fail(cw, "runs as user 0");
      if ((sc.seccompProfile ?? psc.seccompProfile)?.type !== "RuntimeDefault") fail(cw, "seccompProfile is not RuntimeDefault");
      if (sc.allowPrivilegeEscalation !== false) fail(cw, "allowPrivilegeEscalation is not false");
      if (sc.readOnlyRootFilesystem !== true) fail(cw, "readOnlyRootFilesystem is not true");
      if (sc.privileged) fail(cw, "is privileged");
      if (!(sc.capabilities?.drop ?? []).includes("ALL")) fail(cw, "does not drop ALL capabilities");
      if ((sc.capabilities?.add ?? []).length) fail(cw, `adds capabilities ${sc.capabilities.add}`);
      const r = c.resources ?? {};
      for (const k of ["requests.cpu", "requests.memory", "limits.cpu", "limits.memory"]) {
        const [a, b] = k.split(".");
        if (r[a]?.[b] == null) fail(cw, `has no ${k}`);
      }
      const image = c.image ?? "";
      const tag = image.includes("@sha256:") ? "digest" : image.slice(image.lastIndexOf("/") + 1).split(":")[1];
      if (!tag || tag === "latest" || (tag !== "digest" && !/\d/.test(tag))) fail(cw, `image ${image} is not pinned to a version`);
      if (p.longRunning && !init && !PROBE_EXEMPT[p.name]) {
        for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) if (!c[probe]) fail(cw, `has no ${probe}`);
        if (c.readinessProbe?.httpGet?.path === "/health/ready") {
          if (c.livenessProbe?.httpGet?.path !== "/health/live") fail(cw, "a deep readiness (/health/ready) needs the shallow liveness /health/live");
          if (c.startupProbe?.httpGet?.path === "/health/ready") fail(cw, "the startup probe must not wait for the stores (/health/ready)");
        }
      }
    }
    // Replicas: an HPA's minimum wins; an HPA target must not set replicas itself.
    const hpa = hpas.find((h) => h.spec.scaleTargetRef.kind === p.kind && h.spec.scaleTargetRef.name === p.name);
    if (hpa && p.replicas != null) fail(where, "sets replicas although an HPA scales it (every apply would reset the scale)");
    const replicas = hpa ? hpa.spec.minReplicas ?? 1 : p.replicas ?? 1;
    if (p.longRunning && replicas > 1 && !pdbs.some((b) => matches(b.spec.selector, p.labels)))
      fail(where, `runs ${replicas} replicas without a PodDisruptionBudget`);
    if (p.kind === "Deployment" && replicas > 1 && p.doc.spec.strategy?.rollingUpdate?.maxUnavailable !== 0)
      fail(where, "a rollout may lower capacity (strategy.rollingUpdate.maxUnavailable is not 0)");
    // Network: default deny applies to all; an allow of its own; DNS.
    if (!netpols.some((n) => !isEmptySelector(n.spec.podSelector) && matches(n.spec.podSelector, p.labels)))
      fail(where, "no NetworkPolicy allows anything for its pods in particular");
  }

  for (const h of hpas) {
    const where = `HorizontalPodAutoscaler/${h.metadata.name}`;
    if (h.apiVersion !== "autoscaling/v2") fail(where, "is not autoscaling/v2");
    if (!pods.some((p) => p.kind === h.spec.scaleTargetRef.kind && p.name === h.spec.scaleTargetRef.name)) fail(where, "targets nothing in the manifests");
    if (!((h.spec.behavior?.scaleDown?.stabilizationWindowSeconds ?? 0) >= 60)) fail(where, "scales down without a stabilisation window of a minute or more");
  }
  for (const b of pdbs) if (!pods.some((p) => matches(b.spec.selector, p.labels))) fail(`PodDisruptionBudget/${b.metadata.name}`, "selects no pod");

  const deny = netpols.find(
    (n) => isEmptySelector(n.spec.podSelector) && ["Ingress", "Egress"].every((t) => (n.spec.policyTypes ?? []).includes(t)) && !(n.spec.ingress ?? []).length && !(n.spec.egress ?? []).length,
  );
  if (!deny) fail("NetworkPolicy", "no default-deny of both ingress and egress for every pod");
  const dns = netpols.find((n) => isEmptySelector(n.spec.podSelector) && (n.spec.egress ?? []).some((e) => (e.ports ?? []).some((pt) => pt.port === 53)));
  if (!dns) fail("NetworkPolicy", "no egress to DNS for every pod");
  for (const n of netpols) {
    const where = `NetworkPolicy/${n.metadata.name}`;
    const own = pods.filter((p) => matches(n.spec.podSelector, p.labels));
    if (!isEmptySelector(n.spec.podSelector) && !own.length) fail(where, "selects no pod");
    for (const [dir, rules] of [["from", n.spec.ingress ?? []], ["to", n.spec.egress ?? []]]) {
      for (const rule of rules) {
        for (const peer of rule[dir] ?? []) {
          if (peer.podSelector && !peer.namespaceSelector && !pods.some((p) => matches(peer.podSelector, p.labels)))
            fail(where, `peer ${JSON.stringify(peer.podSelector.matchLabels)} matches no pod`);
        }
        if (dir === "from") {
          for (const pt of rule.ports ?? []) {
            const listening = own.some((p) => p.spec.containers.some((c) => (c.ports ?? []).some((cp) => cp.containerPort === pt.port || cp.name === pt.port)));
            if (!listening) fail(where, `admits port ${pt.port}, on which its pods do not listen`);
          }
        }
      }
    }
  }
  const ns = docs.find((d) => d.kind === "Namespace");
  if (ns?.metadata?.labels?.["pod-security.kubernetes.io/enforce"] !== "restricted") fail("Namespace", "does not enforce the restricted Pod Security Standard");

  // Secrets: none built; examples empty; every use declared; gen-secrets writes the same keys.
  for (const d of docs) if (d.kind === "Secret") fail(`Secret/${d.metadata.name}`, "is in the built manifests (secrets come from scripts/gen-secrets.sh, applied apart)");
  const declared = {};
  for (const d of examples) {
    if (d.kind !== "Secret") continue;
    counts.secretsDeclared++;
    if (d.data && Object.keys(d.data).length) fail(`example Secret/${d.metadata.name}`, "has data");
    for (const [k, v] of Object.entries(d.stringData ?? {})) if (v !== "") fail(`example Secret/${d.metadata.name}`, `carries a value for ${k}`);
    declared[d.metadata.name] = new Set(Object.keys(d.stringData ?? {}));
  }
  if (examples.length) {
    const need = (name, key, where) => {
      if (!declared[name]) fail(where, `uses Secret ${name}, which no *.yaml.example declares`);
      else if (key && !declared[name].has(key)) fail(where, `uses key ${key} of Secret ${name}, which its example does not declare`);
    };
    for (const p of pods) {
      const where = `${p.kind}/${p.name}`;
      for (const v of p.spec.volumes ?? []) {
        if (v.secret) for (const it of v.secret.items ?? [{}]) need(v.secret.secretName, it.key, where);
        for (const src of v.projected?.sources ?? []) if (src.secret) for (const it of src.secret.items ?? [{}]) need(src.secret.name, it.key, where);
      }
      for (const c of [...(p.spec.initContainers ?? []), ...p.spec.containers])
        for (const e of c.env ?? []) if (e.valueFrom?.secretKeyRef) need(e.valueFrom.secretKeyRef.name, e.valueFrom.secretKeyRef.key, where);
    }
  }
  if (generated.length) {
    const made = {};
    for (const d of generated) if (d.kind === "Secret") made[d.metadata.name] = new Set(Object.keys(d.stringData ?? {}));
    for (const [name, keys] of Object.entries(declared)) {
      const got = made[name];
      const same = got && got.size === keys.size && [...keys].every((k) => got.has(k));
      if (!same) fail(`Secret/${name}`, `gen-secrets --kubernetes writes keys [${got ? [...got] : "none"}], the example declares [${[...keys]}]`);
    }
  }
  return { errors, counts };
}

/** Each fixture (fixtures/k8s-policy-*.yaml) must fail with the text of its `# expect:` line. */
function selfTest() {
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), "fixtures");
  const files = fs.readdirSync(dir).filter((f) => /^k8s-policy-.*\.yaml$/.test(f));
  let failed = 0;
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, f), "utf8");
    const expect = text.match(/^# expect: (.*)$/m)?.[1];
    const docs = loadDocs(path.join(dir, f));
    const examples = docs.filter((d) => d.metadata?.annotations?.["fixture/example"] === "true");
    const { errors } = checkPolicy(docs.filter((d) => !examples.includes(d)), examples);
    if (!expect || !errors.some((e) => e.includes(expect))) {
      failed++;
      console.error(`k8s-policy self-test: ${f} was not rejected with "${expect}"; got: ${errors.join(" | ") || "no error"}`);
    }
  }
  // The baseline they break must itself pass, so that each fixture fails for its one change.
  const baseline = checkPolicy(loadDocs(path.join(dir, "k8s-ok-baseline.yaml"))).errors;
  if (baseline.length) {
    failed++;
    console.error(`k8s-policy self-test: the baseline fails: ${baseline.join(" | ")}`);
  }
  console.log(`k8s-policy self-test: ${files.length - failed} of ${files.length} broken manifests rejected, the baseline accepted`);
  return failed === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === "--self-test") process.exit(selfTest() ? 0 : 1);
  const groups = { built: [], examples: [], generated: [] };
  let into = "built";
  for (const a of args) {
    if (a === "--examples") into = "examples";
    else if (a === "--generated") into = "generated";
    else groups[into].push(...loadDocs(a));
  }
  const { errors, counts } = checkPolicy(groups.built, groups.examples, groups.generated);
  for (const e of errors) console.error(`k8s-policy: ${e}`);
  console.log(
    `k8s-policy: ${counts.workloads} workloads, ${counts.containers} containers (probes, resources, securityContext, pinned images), ` +
      `${counts.policies} NetworkPolicies, ${counts.secretsDeclared} example Secrets checked; ${errors.length} violation(s)`,
  );
  process.exit(errors.length ? 1 : 0);
}
