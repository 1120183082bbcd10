// SPDX-License-Identifier: Apache-2.0
// MediSecure's policy for its images (deploy/docker/*.Dockerfile), read as text (no engine here):
// every base image pinned to a version; the final stage runs as a numeric non-root user, says
// its STOPSIGNAL and its HEALTHCHECK (or HEALTHCHECK NONE, for a Job's image), and starts in
// exec form (no shell between the signal and the process); no download by ADD; every file it
// COPYs from the build context exists in the repository.
//   node dockerfile-policy.mjs REPO FILE...     exit 1 on any violation
//   node dockerfile-policy.mjs --self-test REPO FILE    each rule fails on a broken copy
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Instructions with continuation lines joined and comments dropped: [{op, args}]. */
function instructions(text) {
  const out = [];
  let cur = "";
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (!cur && (line.startsWith("#") || !line)) continue;
    if (line.startsWith("#")) continue;
    cur += (cur ? " " : "") + line.replace(/\\$/, "").trim();
    if (!line.endsWith("\\")) {
      const [op, ...rest] = cur.split(/\s+/);
      out.push({ op: op.toUpperCase(), args: rest.join(" ") });
      cur = "";
    }
  }
  return out;
}

export function checkDockerfile(text, repo, name) {
  const errors = [];
  const fail = (msg) => errors.push(`${name}: ${msg}`);
  const ins = instructions(text);
  const stages = new Set();
  let last = [];
  for (const i of ins) {
    if (i.op === "FROM") {
      const [image, , alias] = i.args.replace(/--platform=\S+\s+/, "").split(/\s+/);
      if (!stages.has(image)) {
        const tag = image.slice(image.lastIndexOf("/") + 1).split(":")[1];
        if (!image.includes("@sha256:") && (!tag || tag === "latest" || !/\d/.test(tag))) fail(`base image ${image} is not pinned to a version`);
      }
      if (alias) stages.add(alias);
      last = [];
    }
    last.push(i);
    if (i.op === "ADD" && /https?:\/\//.test(i.args)) fail("ADD downloads from the network (fetch in a RUN with a checksum instead)");
    if ((i.op === "COPY" || i.op === "ADD") && !/--from=/.test(i.args)) {
      const parts = i.args.split(/\s+/).filter((p) => !p.startsWith("--"));
      for (const src of parts.slice(0, -1)) {
        if (!/[*?[]/.test(src) && !fs.existsSync(path.join(repo, src))) fail(`COPY ${src}: not in the repository`);
      }
    }
  }
  const final = (op) => last.filter((i) => i.op === op).at(-1);
  const user = final("USER");
  if (!user || !/^[1-9]\d*(:\d+)?$/.test(user.args)) fail(`the final stage does not run as a numeric non-root user (USER ${user?.args ?? "missing"})`);
  if (!final("STOPSIGNAL")) fail("no STOPSIGNAL");
  if (!final("HEALTHCHECK")) fail("no HEALTHCHECK (HEALTHCHECK NONE says a Job's image has none)");
  const entry = final("ENTRYPOINT");
  if (!entry || !entry.args.startsWith("[")) fail("ENTRYPOINT is missing or in shell form (a shell would swallow SIGTERM)");
  return errors;
}

function selfTest(repo, file) {
  const text = fs.readFileSync(file, "utf8");
  const cases = [
    ["moving base image", text.replace(/^FROM debian:12\.8-slim/m, "FROM debian:latest"), "is not pinned"],
    ["runs as root", text.replace(/^USER .*$/m, "USER 0"), "numeric non-root user"],
    ["no user", text.replace(/^USER .*$/gm, ""), "numeric non-root user"],
    ["no stop signal", text.replace(/^STOPSIGNAL .*$/m, ""), "no STOPSIGNAL"],
    ["no health check", text.replace(/^HEALTHCHECK[^\n]*\\\n[^\n]*\n/m, "").replace(/^HEALTHCHECK .*$/m, ""), "no HEALTHCHECK"],
    ["shell-form entrypoint", text.replace(/^ENTRYPOINT .*$/m, "ENTRYPOINT /usr/local/bin/medisecure"), "shell form"],
    ["file missing from the repository", text + "\nCOPY scripts/no-such-file.sh /tmp/\n", "COPY scripts/no-such-file.sh: not in the repository"],
    ["download by ADD", text + "\nADD https://example.org/tool.tar.gz /tmp/\n", "ADD downloads"],
  ];
  let failed = 0;
  for (const [what, broken, expect] of cases) {
    const errors = checkDockerfile(broken, repo, path.basename(file));
    if (broken === text || !errors.some((e) => e.includes(expect))) {
      failed++;
      console.error(`dockerfile-policy self-test: "${what}" was not caught (expected "${expect}"); got: ${errors.join(" | ") || "no error"}`);
    }
  }
  console.log(`dockerfile-policy self-test: ${cases.length - failed} of ${cases.length} broken Dockerfiles rejected`);
  return failed === 0;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const args = process.argv.slice(2);
  if (args[0] === "--self-test") process.exit(selfTest(args[1], args[2]) ? 0 : 1);
  const [repo, ...files] = args;
  const errors = files.flatMap((f) => checkDockerfile(fs.readFileSync(f, "utf8"), repo, path.basename(f)));
  for (const e of errors) console.error(`dockerfile-policy: ${e}`);
  console.log(`dockerfile-policy: ${files.length} Dockerfiles (pinned bases, non-root user, STOPSIGNAL, HEALTHCHECK, exec-form ENTRYPOINT, sources present); ${errors.length} violation(s)`);
  process.exit(errors.length ? 1 : 0);
}
