// SPDX-License-Identifier: Apache-2.0
// The failover test's report (scripts/failover-test.sh), as Markdown on stdout: per phase the
// requests, the answers by status, p50/p95/p99, and the verdicts; then the availability, p95
// outside the fault windows, the writes checked afterwards and what a client got while
// PostgreSQL was down. The last line is "Result: pass" or "Result: FAIL (reasons)".
//   node report.mjs PHASES.tsv RESPONSES.log KEY=VALUE...
import fs from "node:fs";

const [phasesFile, responsesFile, ...pairs] = process.argv.slice(2);
const facts = Object.fromEntries(pairs.map((p) => [p.slice(0, p.indexOf("=")), p.slice(p.indexOf("=") + 1)]));
// A fault's effects are counted until this long after it was repaired (HAProxy's checks, pools).
const GRACE_S = 5;

const phases = fs
  .readFileSync(phasesFile, "utf8")
  .trim()
  .split("\n")
  .map((l) => {
    const [name, start, fs_, fe, end] = l.split("\t");
    return { name, start: +start, faultStart: fs_ === "-" ? null : +fs_, faultEnd: fe === "-" ? null : +fe, end: +end };
  });
const rows = fs
  .readFileSync(responsesFile, "utf8")
  .split("\n")
  .filter(Boolean)
  .map((l) => {
    const [t, marker, method, path, status, latency, , , note] = l.split(" ");
    // The phase by the time the request was sent (load.lua's marker lags by up to 200 ms).
    const phase = marker === "retry" ? "retry" : phases.find((p) => +t >= p.start && +t < p.end)?.name;
    return { t: +t, phase, method, path, status: +status, latency: +latency, retryAfter: note?.startsWith("retry-after") };
  })
  .filter((r) => r.phase && r.phase !== "retry");

const failed = (r) => r.status === 0 || r.status >= 500;
const ok = (r) => r.status >= 200 && r.status < 300;
function pct(list, p) {
  if (!list.length) return NaN;
  const s = [...list].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)];
}
const ms = (v) => (Number.isNaN(v) ? "-" : v < 10 ? v.toFixed(1) : v.toFixed(0));
const inFault = (r, ph) => ph.faultStart !== null && r.t >= ph.faultStart && r.t <= ph.faultEnd + GRACE_S;
const byStatus = (list) => {
  const c = {};
  for (const r of list) {
    const k = r.status === 0 ? "no answer" : r.retryAfter && r.status !== 409 ? `${r.status} with Retry-After` : String(r.status);
    c[k] = (c[k] ?? 0) + 1;
  }
  return Object.entries(c)
    .map(([s, n]) => `${s}: ${n}`)
    .join(", ");
};

const problems = [];
const out = [];
out.push("# Failover under load: report", "");
out.push(
  `${rows.length} responses logged by wrk (${facts.connections} connections, target ${facts.rate} req/s) through HAProxy (TLS), ` +
    `a doctor's mix: 40 % patient search, 35 % patient read, 15 % week's appointments, 10 % vitals POST with Idempotency-Key. ` +
    `"fault" is from the fault to its repair + ${GRACE_S} s; "failed" is no answer or 5xx; a 503 without Retry-After is HAProxy's own ` +
    `(no instance ready).`,
  "",
);
out.push("| phase | s | requests | req/s | answers by status | failed | failed GETs | p50 ms | p95 ms | p99 ms | p95 outside fault ms | verdict |");
out.push("| --- | --: | --: | --: | --- | --: | --: | --: | --: | --: | --: | --- |");
const outside = [];
for (const ph of phases) {
  const list = rows.filter((r) => r.phase === ph.name);
  const lat = list.map((r) => r.latency);
  const calm = list.filter((r) => !inFault(r, ph));
  outside.push(...calm);
  const nFailed = list.filter(failed).length;
  const nFailedGets = list.filter((r) => failed(r) && r.method === "GET").length;
  const nNot2xx = list.filter((r) => !ok(r)).length;
  const after = ph.faultEnd === null ? list : list.filter((r) => r.t > ph.faultEnd + GRACE_S);
  let verdict = "ok";
  const fail = (why) => {
    verdict = why;
    problems.push(`${ph.name}: ${why}`);
  };
  if (!list.length) fail("no requests");
  else if (ph.name === "kill9" && nFailedGets > 0) fail(`${nFailedGets} failed GETs`);
  else if (ph.name === "rolling" && nNot2xx > 0) fail(`${nNot2xx} errors`);
  else if (after.some((r) => !ok(r))) fail(`${after.filter((r) => !ok(r)).length} errors after recovery`);
  else if (!after.some(ok)) fail("no success after recovery");
  else if (ph.name === "postgres") {
    // Failing fast and saying when to come back: 503 with Retry-After, within 2 s.
    const during = list.filter((r) => inFault(r, ph) && !ok(r));
    const slow = during.filter((r) => r.latency > 2000).length;
    const unclear = during.filter((r) => !(r.status === 503 && r.retryAfter)).length;
    if (slow) fail(`${slow} failures took more than 2 s`);
    else if (unclear) fail(`${unclear} failures were not 503 with Retry-After`);
  }
  const dur = ph.end - ph.start;
  out.push(
    `| ${ph.name} | ${dur.toFixed(0)} | ${list.length} | ${(list.length / dur).toFixed(0)} | ${byStatus(list)} | ${nFailed} | ${nFailedGets} | ` +
      `${ms(pct(lat, 50))} | ${ms(pct(lat, 95))} | ${ms(pct(lat, 99))} | ${ms(pct(calm.map((r) => r.latency), 95))} | ${verdict} |`,
  );
}
const total = rows.length;
const nFailed = rows.filter(failed).length;
const p95Outside = pct(
  outside.map((r) => r.latency),
  95,
);
out.push("");
out.push(`- Availability (answers that are not 5xx and not missing): ${(((total - nFailed) / total) * 100).toFixed(3)} % of ${total} (${nFailed} failed).`);
out.push(`- p95 outside the fault windows: ${ms(p95Outside)} ms (${p95Outside < 200 ? "held < 200 ms" : "NOT < 200 ms"}).`);
out.push(`- Writes acknowledged (2xx POST) and found again by GET afterwards: ${facts.acked - facts.lost} of ${facts.acked} (${facts.lost} lost).`);
out.push(
  `- POSTs without an answer, with a 5xx or a 409 (key in use): ${facts.failed_posts ?? facts.retried}; sent again with their Idempotency-Key: ${facts.retried}, of which ${facts.retried_ok} then made (2xx).`,
);
if (+facts.in_use_waited > 0)
  out.push(`  Some keys were still claimed by a request the fault cut short (409 with Retry-After): sent again every 5 s for ${facts.in_use_waited} s.`);
if (facts.retries_failed) out.push(`  Not made when sent again (key, status, body): ${facts.retries_failed}.`);
out.push(`- Acknowledged POSTs sent again with their key: ${facts.replays}, of which ${facts.replays_ok} answered the same id with Idempotent-Replayed: true.`);
out.push(`- medisecure audit verify: ${facts.audit}.`);
out.push(
  `- A token signed out before the Redis master was killed, sent ${facts.revoked_probes} times during that phase: ` +
    `accepted ${facts.revoked_accepted} times; sign-ins beside it: ${facts.logins_ok} of ${facts.logins} succeeded.`,
);
out.push(
  `- Appointments booked during the RabbitMQ phase: ${facts.bookings} (${facts.bookings_ok} answered 201); ` +
    `confirmation e-mails in the SMTP sink: ${facts.mails_distinct} distinct of ${facts.mails_total} ` +
    `(lost ${Math.max(0, facts.bookings_ok - facts.mails_distinct)}, sent twice ${facts.mails_total - facts.mails_distinct}).`,
);
out.push(
  facts.recovered_by_itself === "yes"
    ? "- After PostgreSQL returned, the application was ready again by itself."
    : "- After PostgreSQL returned, the application did NOT become ready by itself (see not-ready.txt: each instance's checks); it was after one signed-in request sent to each instance directly.",
);
if (facts.recovered_by_itself !== "yes") problems.push("no recovery by itself after PostgreSQL");
if (+facts.lost > 0) problems.push(`${facts.lost} acknowledged writes lost`);
if (facts.retried !== facts.retried_ok) problems.push("a retried POST was not made");
if (facts.replays !== facts.replays_ok) problems.push("a replayed POST did not get its first answer");
if (facts.audit !== "intact") problems.push("audit chain not intact");
if (+facts.revoked_probes === 0) problems.push("the signed-out token was never probed");
if (+facts.revoked_accepted > 0) problems.push(`a signed-out token accepted ${facts.revoked_accepted} times`);
if (+facts.logins_ok === 0) problems.push("no sign-in succeeded during the Redis phase");
if (+facts.bookings_ok === 0) problems.push("no booking during the RabbitMQ phase");
if (+facts.mails_distinct < +facts.bookings_ok) problems.push(`${facts.bookings_ok - facts.mails_distinct} confirmation e-mails lost`);
if (+facts.mails_total > +facts.mails_distinct) problems.push(`${facts.mails_total - facts.mails_distinct} confirmation e-mails sent twice`);

for (const [what, file] of [
  ["a patient read", facts.outage_read],
  ["a vitals POST", facts.outage_write],
]) {
  if (!file || !fs.existsSync(file)) continue;
  const text = fs.readFileSync(file, "utf8").replace(/\r/g, "");
  const [head, ...rest] = text.split("\n\n");
  const keep = head.split("\n").filter((l) => /^(HTTP\/|content-type|retry-after|connection|curl)/i.test(l));
  out.push("", `While PostgreSQL was down, ${what} got:`, "", "```", ...keep, "", rest.join("\n\n").trim(), "```");
}
out.push("", problems.length ? `Result: FAIL (${problems.join("; ")})` : "Result: pass");
console.log(out.join("\n"));
