// SPDX-License-Identifier: Apache-2.0
// MediSecure's policy for deploy/compose/compose.yml, on the configuration `docker-compose config`
// resolved (so anchors, merges and variables are already applied):
//   services   every service of the specification is there; the admin UIs only under "admin"
//   health     every service has a health check, or is a one-shot others wait for to complete;
//              every dependency waits for health (or completion), never just for a start
//   secrets    every secret is a file (no environment or external ones); no variable carries a
//              password, token or key in clear (only *_FILE), nor a URL with credentials
//   limits     CPU, memory and process limits on every service
//   hardening  a non-root user, every capability dropped, no-new-privileges; the only exception
//              a one-shot with CHOWN alone and no network (the volumes' owner)
//   exposure   ports published on 127.0.0.1 only, but HAProxy's; pinned images; bind mounts
//              read-only (data lives in named volumes)
//   files      every configuration file a command names (/etc/..., /usr/local/etc/...,
//              /run/secrets/...) is there: a bind mount of a file that exists, or the service's
//              secret; every scrape target of a mounted Prometheus configuration is a service
//              (or a network alias) of this file, and its rule files are mounted
//   node compose-policy.mjs RESOLVED.yml     exit 1 on any violation
//   node compose-policy.mjs --self-test RESOLVED.yml   each rule must fail on a broken copy
import fs from "node:fs";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";

const REQUIRED = [
  "postgres", "mongodb", "minio", "mariadb", "rabbitmq", "redis", "haproxy", "backend-1", "backend-2", "worker",
  "frontend", "migrate", "prometheus", "alertmanager", "grafana", "redis-exporter", "postgres-exporter",
  "mysqld-exporter", "pgadmin", "mongo-express", "phpmyadmin",
];
const ADMIN_UIS = ["pgadmin", "mongo-express", "phpmyadmin"];
const PUBLIC = ["haproxy"]; // the one entry point published beyond the machine
const SECRET_NAME = /(PASSWORD|PASSWD|_PASS|SECRET|TOKEN|_KEY|COOKIE)$/;

const CONFIG_PATH = /^\/(etc|usr\/local\/etc|run\/secrets)\//;

/** The bind mounts of a service: [{src, target}] (the resolved file's sources are absolute). */
function bindMounts(s) {
  const out = [];
  for (const v of s.volumes ?? []) {
    const [src, target] = typeof v === "string" ? v.split(":") : [v.source, v.target];
    if (src?.startsWith("/") || src?.startsWith(".")) out.push({ src, target });
  }
  return out;
}

/** The host path a bind mount gives to `path` in the container, or null. */
function hostPathOf(mounts, path) {
  for (const { src, target } of mounts) {
    if (path === target) return src;
    if (path.startsWith(`${target}/`)) return `${src}${path.slice(target.length)}`;
  }
  return null;
}

/** The host of a Prometheus target: "redis://redis:6379" -> "redis", "backend-1:8000" -> "backend-1". */
const targetHost = (t) => String(t).replace(/^[a-z]+:\/\//, "").split(/[/:]/)[0];

function checkFiles(name, s, fail, readFile, hostNames) {
  const mounts = bindMounts(s);
  const secrets = new Set((s.secrets ?? []).map((r) => `/run/secrets/${typeof r === "string" ? r : r.target ?? r.source}`));
  const command = Array.isArray(s.command) ? s.command : [];
  for (const arg of command) {
    const path = String(arg).includes("=") ? String(arg).split("=").slice(1).join("=") : String(arg);
    if (!CONFIG_PATH.test(path)) continue;
    if (path.startsWith("/run/secrets/")) {
      if (!secrets.has(path)) fail(name, `names ${path}, which is not one of its secrets`);
      continue;
    }
    const host = hostPathOf(mounts, path);
    if (host == null) fail(name, `names ${path}, which no mount provides`);
    else if (readFile(host) == null) fail(name, `names ${path}, mounted from ${host}, which does not exist`);
  }
  // Prometheus: its targets are this file's services, its rules are mounted.
  const promHost = hostPathOf(mounts, "/etc/prometheus/prometheus.yml");
  const text = promHost == null ? null : readFile(promHost);
  if (text == null) return;
  const prom = parse(text);
  for (const job of prom.scrape_configs ?? []) {
    const hosts = [];
    for (const sc of job.static_configs ?? []) for (const t of sc.targets ?? []) hosts.push(targetHost(t));
    const proxy = (job.relabel_configs ?? []).find((r) => r.target_label === "__address__" && r.replacement);
    if (proxy) hosts.splice(0, hosts.length, targetHost(proxy.replacement), ...(job.metrics_path === "/probe" ? [] : hosts));
    for (const h of hosts) if (h !== "localhost" && !hostNames.has(h)) fail(name, `Prometheus job ${job.job_name} scrapes ${h}, which is no service of this file`);
    const cred = job.authorization?.credentials_file;
    if (cred && !secrets.has(cred) && hostPathOf(mounts, cred) == null) fail(name, `Prometheus job ${job.job_name} reads ${cred}, which it is not given`);
  }
  for (const rf of prom.rule_files ?? []) {
    const dir = String(rf).replace(/\/[^/]*$/, "");
    if (hostPathOf(mounts, dir) == null && hostPathOf(mounts, String(rf)) == null) fail(name, `Prometheus rule files ${rf} are not mounted`);
  }
}

const readOrNull = (path) => {
  try {
    return fs.readFileSync(path, "utf8");
  } catch {
    return null;
  }
};

const oneShot = (s) => s.restart == null || s.restart === "no";
// `config` writes `disable: true` as the test ["NONE"].
const checked = (s) => Boolean(s.healthcheck?.test) && !s.healthcheck.disable && s.healthcheck.test[0] !== "NONE";

export function checkCompose(config, readFile = readOrNull) {
  const errors = [];
  const fail = (where, msg) => errors.push(`${where}: ${msg}`);
  const services = config.services ?? {};
  const names = Object.keys(services);
  const counts = { services: names.length, healthchecks: 0, oneShots: 0, secrets: Object.keys(config.secrets ?? {}).length };

  for (const r of REQUIRED) if (!services[r]) fail(r, "the specification's service is missing");
  for (const a of ADMIN_UIS) if (services[a] && !(services[a].profiles ?? []).includes("admin")) fail(a, 'an admin UI outside the "admin" profile');

  // Names a container reaches another by: services and their network aliases.
  const hostNames = new Set(names);
  for (const s of Object.values(services))
    for (const n of Object.values(s.networks ?? {})) for (const a of n?.aliases ?? []) hostNames.add(a);

  const waitedToComplete = new Set();
  for (const s of Object.values(services))
    for (const [dep, how] of Object.entries(s.depends_on ?? {})) if (how?.condition === "service_completed_successfully") waitedToComplete.add(dep);

  for (const [name, s] of Object.entries(services)) {
    if (checked(s)) counts.healthchecks++;
    else if (oneShot(s) && waitedToComplete.has(name)) counts.oneShots++;
    else fail(name, "has no health check (and is not a one-shot that others wait for)");

    const deps = s.depends_on ?? {};
    for (const [dep, how] of Object.entries(Array.isArray(deps) ? Object.fromEntries(deps.map((d) => [d, {}])) : deps)) {
      const cond = how?.condition;
      if (!services[dep]) fail(name, `depends on ${dep}, which does not exist`);
      else if (cond === "service_healthy" && !checked(services[dep]))
        fail(name, `waits for ${dep} to be healthy, and ${dep} has no health check`);
      else if (cond === "service_completed_successfully" && !oneShot(services[dep])) fail(name, `waits for ${dep} to complete, and ${dep} restarts`);
      else if (cond !== "service_healthy" && cond !== "service_completed_successfully") fail(name, `depends on ${dep} without waiting for its health (${cond ?? "service_started"})`);
    }

    for (const ref of s.secrets ?? []) {
      const src = typeof ref === "string" ? ref : ref.source;
      if (!config.secrets?.[src]) fail(name, `uses secret ${src}, which is not declared`);
    }
    const env = Array.isArray(s.environment)
      ? Object.fromEntries(s.environment.map((e) => e.split(/=(.*)/s).slice(0, 2)))
      : s.environment ?? {};
    for (const [k, v] of Object.entries(env)) {
      if (SECRET_NAME.test(k) && !/_FILE$/.test(k)) fail(name, `variable ${k} carries a secret in clear (use ${k}_FILE and a secret)`);
      if (/:\/\/[^/@\s:]+:[^/@\s]+@/.test(String(v ?? ""))) fail(name, `variable ${k} is a URL with credentials in clear`);
    }

    const limited = (s.mem_limit ?? s.deploy?.resources?.limits?.memory) != null && (s.cpus ?? s.deploy?.resources?.limits?.cpus) != null && s.pids_limit != null;
    if (!limited) fail(name, "has no CPU, memory and process limits (cpus, mem_limit, pids_limit)");

    if (s.privileged) fail(name, "is privileged");
    if (!(s.cap_drop ?? []).includes("ALL")) fail(name, "does not drop ALL capabilities");
    if (!(s.security_opt ?? []).includes("no-new-privileges:true")) fail(name, "may gain privileges (security_opt no-new-privileges:true)");
    const user = String(s.user ?? "");
    const root = user === "" || /^(0|root)(:|$)/.test(user);
    const volumeOwner = oneShot(s) && s.network_mode === "none" && (s.cap_add ?? []).every((c) => c === "CHOWN");
    if (root && !volumeOwner) fail(name, `runs as root (user "${user}")`);
    if ((s.cap_add ?? []).length && !volumeOwner) fail(name, `adds capabilities ${s.cap_add}`);

    for (const p of s.ports ?? []) {
      const hostIp = typeof p === "string" ? (p.split(":").length === 3 ? p.split(":")[0] : "") : p.host_ip ?? "";
      if (hostIp !== "127.0.0.1" && !PUBLIC.includes(name)) fail(name, `publishes ${JSON.stringify(p)} beyond 127.0.0.1`);
    }
    const image = String(s.image ?? "");
    const tag = image.slice(image.lastIndexOf("/") + 1).split(":")[1];
    if (!image.includes("@sha256:") && (!tag || tag === "latest" || !/\d/.test(tag))) fail(name, `image "${image}" is not pinned to a version`);
    for (const v of s.volumes ?? []) {
      const [src, , mode] = typeof v === "string" ? v.split(":") : [v.source, v.target, v.read_only ? "ro" : "rw"];
      const bind = src?.startsWith("/") || src?.startsWith(".");
      if (bind && mode !== "ro") fail(name, `bind-mounts ${src} writable (data belongs in named volumes)`);
      if (!bind && src && !(config.volumes ?? {})[src]) fail(name, `uses volume ${src}, which is not declared`);
    }
    checkFiles(name, s, fail, readFile, hostNames);
  }
  for (const [name, sec] of Object.entries(config.secrets ?? {})) {
    if (!sec.file) fail(`secret ${name}`, `does not come from a file (${JSON.stringify(sec)})`);
  }
  return { errors, counts };
}

/** Each mutation of the resolved configuration must be caught with the text it names. */
function selfTest(config) {
  const clone = () => structuredClone(config);
  const cases = [
    ["health check removed", (c) => delete c.services.postgres.healthcheck, "postgres: has no health check"],
    ["dependency on a mere start", (c) => (c.services.migrate.depends_on.postgres = { condition: "service_started" }), "without waiting for its health"],
    ["healthy wait on a service without check", (c) => delete c.services.redis.healthcheck, "waits for redis to be healthy, and redis has no health check"],
    ["secret from the environment", (c) => (c.secrets.jwt_secret = { environment: "JWT" }), "secret jwt_secret: does not come from a file"],
    ["password in clear", (c) => (c.services.mariadb.environment.MARIADB_ROOT_PASSWORD = "x"), "MARIADB_ROOT_PASSWORD carries a secret in clear"],
    ["URL with credentials", (c) => (c.services.worker.environment.MEDISECURE_QUEUE_URL = "amqp://u:p@rabbitmq:5672/%2F"), "is a URL with credentials in clear"],
    ["undeclared secret", (c) => c.services.redis.secrets.push({ source: "nope" }), "uses secret nope, which is not declared"],
    ["no memory limit", (c) => delete c.services.grafana.mem_limit, "grafana: has no CPU, memory and process limits"],
    ["root user", (c) => (c.services.frontend.user = "0:0"), 'frontend: runs as root'],
    ["capabilities kept", (c) => delete c.services.haproxy.cap_drop, "haproxy: does not drop ALL capabilities"],
    ["capability added", (c) => (c.services["backend-1"].cap_add = ["NET_ADMIN"]), "backend-1: adds capabilities"],
    ["privileges gainable", (c) => (c.services.minio.security_opt = []), "minio: may gain privileges"],
    ["admin UI on every interface", (c) => (c.services.pgadmin.ports = [{ published: 5050, target: 5050 }]), "pgadmin: publishes"],
    ["admin UI on by default", (c) => delete c.services.phpmyadmin.profiles, "phpmyadmin: an admin UI outside"],
    ["moving image tag", (c) => (c.services.redis.image = "redis:latest"), 'image "redis:latest" is not pinned'],
    ["writable bind mount", (c) => (c.services.haproxy.volumes = ["/etc:/usr/local/etc/haproxy:rw"]), "bind-mounts /etc writable"],
    ["service of the specification missing", (c) => delete c.services.alertmanager, "alertmanager: the specification's service is missing"],
    ["configuration file nobody mounts", (c) => (c.services.alertmanager.command = ["--config.file=/etc/prometheus/alertmanager.yml"]), "alertmanager: names /etc/prometheus/alertmanager.yml, which no mount provides"],
    ["configuration mounted from nowhere", (c) => (c.services.alertmanager.volumes = c.services.alertmanager.volumes.map((v) => String(v).replace("alertmanager.yml:", "alertmanagr.yml:"))), "which does not exist"],
    ["secret file not given", (c) => (c.services["mysqld-exporter"].secrets = []), "mysqld-exporter: names /run/secrets/mysqld_exporter.cnf, which is not one of its secrets"],
    ["rules not mounted", (c) => (c.services.prometheus.volumes = c.services.prometheus.volumes.filter((v) => !String(v).includes("/rules"))), "prometheus: Prometheus rule files /etc/prometheus/rules/*.yml are not mounted"],
    ["the stack's loopback targets in Compose", () => {}, "prometheus: Prometheus job medisecure scrapes 127.0.0.1, which is no service",
      (path) => (path.endsWith("prometheus.yml") ? readOrNull(path)?.replace("backend-1:8000", "127.0.0.1:24001") : readOrNull(path))],
    ["a token Prometheus is not given", () => {}, "prometheus: Prometheus job medisecure reads /etc/prometheus/token",
      (path) => (path.endsWith("prometheus.yml") ? readOrNull(path)?.replace("/run/secrets/metrics_token", "/etc/prometheus/token") : readOrNull(path))],
  ];
  let failed = 0;
  for (const [what, mutate, expect, reader] of cases) {
    const c = clone();
    mutate(c);
    const { errors } = checkCompose(c, reader ?? readOrNull);
    if (!errors.some((e) => e.includes(expect))) {
      failed++;
      console.error(`compose-policy self-test: "${what}" was not caught (expected "${expect}"); got: ${errors.join(" | ") || "no error"}`);
    }
  }
  console.log(`compose-policy self-test: ${cases.length - failed} of ${cases.length} broken configurations rejected`);
  return failed === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  const selfTesting = args[0] === "--self-test";
  const config = parse(fs.readFileSync(args[selfTesting ? 1 : 0], "utf8"));
  if (selfTesting) process.exit(selfTest(config) ? 0 : 1);
  const { errors, counts } = checkCompose(config);
  for (const e of errors) console.error(`compose-policy: ${e}`);
  console.log(
    `compose-policy: ${counts.services} services (${counts.healthchecks} with health checks, ${counts.oneShots} one-shots waited for), ` +
      `${counts.secrets} secrets from files; ${errors.length} violation(s)`,
  );
  process.exit(errors.length ? 1 : 0);
}
