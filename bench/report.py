# SPDX-License-Identifier: Apache-2.0
"""Prints the benchmark tables (Markdown) from bench.sh's results: every scenario for MediSecure
on its embedded default and each peer, MediSecure on PostgreSQL beside its embedded default,
the ratios from the same run, and the targets met or missed.

Usage: /usr/bin/python3 report.py results.jsonl facts.json
"""
import json
import sys

PEERS = ["nginx", "fastapi", "orthanc"]
LABEL = {"medisecure": "MediSecure", "nginx": "nginx (static file)", "fastapi": "FastAPI + uvicorn",
         "orthanc": "Orthanc /patients/{id}", "medisecure-pg": "MediSecure on PostgreSQL",
         "stack-1": "the stack, 1 instance", "stack-2": "the stack, 2 instances"}
SCENARIO = {"health": "GET /health/live", "get": "GET patient (authenticated, audited)",
            "search": "search q= (the bench's 40 terms, cached after the first time)",
            "search-cold": "search q= (prefixes drawn from the whole registry)",
            "create": "create patient (audited write)", "mixed": "mixed staff workload",
            "booking": "booking race (64 clients, same slots)"}
ORDER = ["health", "get", "search", "search-cold", "create", "mixed", "booking"]


def main() -> None:
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    facts = json.load(open(sys.argv[2]))
    engines = facts["engines"]
    by = {(r["target"], r["scenario"], r["connections"]): r for r in rows}

    def get(t, s, c):
        return by.get((t, s, c))

    def rps(t, s, c):
        r = get(t, s, c)
        return r["rps"] if r else 0.0

    def pct(t, s, c, p):
        r = get(t, s, c)
        return r.get(f"p{p}_ms", float("inf")) if r else float("inf")

    def errors(r):
        return r["socket_errors"] + (r["other"] if r["tallied"] else r["status_errors"])

    first = next(iter(engines.values()))
    print(f"Machine: {facts['cores']} cores ({facts['cpu']}), shared by the servers under test and wrk; "
          f"{facts['seconds']} s per run after a 2 s warm-up. {first['patients']:,} patients on each engine "
          f"(generated in {facts['generate_s']} s on SQLite"
          + (f", {facts['generate_pg_s']} s on PostgreSQL" if "postgresql" in engines else "") + ").\n")

    if "embedded" in engines:
        print("MediSecure on its embedded default (SQLite) and the reference peers:\n")
        print("| scenario | conns | server | req/s | p50 ms | p90 ms | p99 ms | errors | MediSecure ÷ server |")
        print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
        for scenario in ORDER:
            for conns in sorted({r["connections"] for r in rows if r["scenario"] == scenario}):
                ms = get("medisecure", scenario, conns)
                for target in ["medisecure"] + PEERS:
                    r = get(target, scenario, conns)
                    if not r:
                        continue
                    ratio = "" if target == "medisecure" or not ms else f"{ms['rps'] / r['rps']:.2f} ×"
                    print(f"| {SCENARIO[scenario]} | {conns} | {LABEL[target]} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | "
                          f"{r['p90_ms']:.2f} | {r['p99_ms']:.2f} | {errors(r)} | {ratio} |")
        print()

    if "postgresql" in engines:
        print("The same scenarios on PostgreSQL (every context; fsync and synchronous commit on), beside the "
              "embedded default:\n")
        print("| scenario | conns | embedded req/s | p95 / p99 ms | PostgreSQL req/s | p95 / p99 ms | errors | "
              "PostgreSQL ÷ embedded |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|")
        for scenario in ORDER:
            for conns in sorted({r["connections"] for r in rows if r["scenario"] == scenario}):
                e, p = get("medisecure", scenario, conns), get("medisecure-pg", scenario, conns)
                if not p:
                    continue
                emb = f"{e['rps']:,.0f} | {e.get('p95_ms', 0):.2f} / {e['p99_ms']:.2f}" if e else " | "
                ratio = f"{p['rps'] / e['rps']:.2f} ×" if e else ""
                print(f"| {SCENARIO[scenario]} | {conns} | {emb} | {p['rps']:,.0f} | "
                      f"{p.get('p95_ms', 0):.2f} / {p['p99_ms']:.2f} | {errors(p)} | {ratio} |")
        print()

    hit = lambda pair: (100.0 * pair[0] / (pair[0] + pair[1])) if sum(pair) else 0.0  # noqa: E731
    if "stack" in engines:
        st = engines["stack"]
        print(f"The production path: HAProxy (TLS, HTTP/1.1 keep-alive from wrk) in front of two instances, then "
              f"one, on PostgreSQL, Redis behind Sentinel, RabbitMQ and the worker, MariaDB and S3 (the stack, up in "
              f"{st['up_s']} s; {st['patients']:,} patients generated in {st['generate_s']} s), at "
              f"{st['connections']} connections; beside one instance on PostgreSQL reached directly and the "
              f"embedded default. Cache hit rate: the instances' hits ÷ lookups during the scenario.\n")
        print("| scenario | embedded req/s | PostgreSQL, direct | stack, 1 instance: req/s | p95 / p99 ms | cache hits "
              "| stack, 2 instances: req/s | p95 / p99 ms | cache hits | errors | 2 ÷ 1 | 2 ÷ direct |")
        print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
        conns = st["connections"]
        for scenario in ORDER:
            one, two = get("stack-1", scenario, conns), get("stack-2", scenario, conns)
            if not one and not two:
                continue
            emb, direct = get("medisecure", scenario, conns), get("medisecure-pg", scenario, conns)
            cells = [SCENARIO[scenario], f"{emb['rps']:,.0f}" if emb else "", f"{direct['rps']:,.0f}" if direct else ""]
            for n, r in (("1", one), ("2", two)):
                pair = st["cache"].get(f"{n}-{scenario}", [0, 0])
                cells += [f"{r['rps']:,.0f}" if r else "", f"{r.get('p95_ms', 0):.2f} / {r['p99_ms']:.2f}" if r else "",
                          f"{hit(pair):.1f} % of {sum(pair):,}" if sum(pair) else "none"]
            cells.append(str(sum(errors(r) for r in (one, two) if r)))
            cells.append(f"{two['rps'] / one['rps']:.2f} ×" if one and two and one["rps"] else "")
            cells.append(f"{two['rps'] / direct['rps']:.2f} ×" if two and direct and direct["rps"] else "")
            print("| " + " | ".join(cells) + " |")
        print()
    for engine, f in engines.items():
        if engine == "stack":
            continue
        target = "medisecure-pg" if engine == "postgresql" else "medisecure"
        book = get(target, "booking", 64)
        line = [f"**{engine}**:"]
        if book:
            booked = book["ok"] / book["seconds"]
            line.append(f"booking race {book['requests']:,} attempts, {book['ok']:,} booked ({booked:,.0f}/s), "
                        f"{book['conflict']:,} refused with 409, {book['other']} other, double bookings in the "
                        f"database: {f['double_bookings']};")
        for r in [r for r in rows if r["scenario"] == "mixed" and r["target"] == target]:
            line.append(f"mixed at {r['connections']}: {r['ok']:,} answered 2xx, {r['conflict']:,} bookings refused "
                        f"with 409, {r['other']} other;")
        line.append(f"start to ready {f['ready_ms']} ms; idle RSS {f['idle_rss_kib'] / 1024:.1f} MiB "
                    f"({f['rss_after_kib'] / 1024:.1f} MiB after the run); patient cache hit rate "
                    f"{hit(f['cache_get']):.1f} % in the GET runs, {hit(f['cache_mixed']):.1f} % in the mixed runs; "
                    f"audit trail after the run: {f['audit_verify'] or 'not verified'}.")
        print(" ".join(line) + "\n")

    checks = []
    if "embedded" in engines:
        f = engines["embedded"]
        for c in sorted({r["connections"] for r in rows if r["scenario"] == "get"}):
            m = rps("medisecure", "get", c)
            for peer, want in (("nginx", 0.40), ("fastapi", 3.0), ("orthanc", 1.0)):
                if rps(peer, "get", c):
                    checks.append((f"embedded: GET patient at {c}: ≥ {want:.2f} × {LABEL[peer]}",
                                   m / rps(peer, "get", c) >= want, f"{m / rps(peer, 'get', c):.2f} ×"))
        if get("medisecure", "get", 256):
            checks.append(("embedded: GET patient p99 ≤ 12 ms at 256", pct("medisecure", "get", 256, 99) <= 12,
                           f"{pct('medisecure', 'get', 256, 99):.1f} ms"))
        if get("medisecure", "search", 50):
            checks.append(("embedded: search ≥ 10,000 req/s at 50", rps("medisecure", "search", 50) >= 10000,
                           f"{rps('medisecure', 'search', 50):,.0f}/s"))
            checks.append(("embedded: search p99 ≤ 15 ms at 50", pct("medisecure", "search", 50, 99) <= 15,
                           f"{pct('medisecure', 'search', 50, 99):.1f} ms"))
        creates = max((rps("medisecure", "create", c) for c in (50, 256)), default=0)
        checks.append(("embedded: audited creates ≥ 5,000/s", creates >= 5000, f"{creates:,.0f}/s"))
        book = get("medisecure", "booking", 64)
        if book:
            checks.append(("embedded: booking race: 0 double bookings", f["double_bookings"] == 0,
                           str(f["double_bookings"])))
            # Eight clients race for every slot, so at most one request in eight can book: the
            # target is read as booking requests decided (201 booked or 409 taken) per second.
            decided = (book["ok"] + book["conflict"]) / book["seconds"]
            checks.append(("embedded: booking race: ≥ 2,000 booking requests decided/s (201 or 409)",
                           decided >= 2000, f"{decided:,.0f}/s"))
        checks.append(("embedded: idle RSS ≤ 64 MiB", f["idle_rss_kib"] <= 64 * 1024,
                       f"{f['idle_rss_kib'] / 1024:.1f} MiB"))
        checks.append(("embedded: start to ready ≤ 0.3 s", f["ready_ms"] <= 300, f"{f['ready_ms']} ms"))
        checks.append(("embedded: cache hit rate > 80 % (GET)", hit(f["cache_get"]) > 80,
                       f"{hit(f['cache_get']):.1f} %"))
    if "postgresql" in engines:
        pg = "medisecure-pg"
        for scenario, label in (("search", "search"), ("search-cold", "search drawn from the registry")):
            if get(pg, scenario, 50):
                checks.append((f"PostgreSQL: {label} ≥ 5,000 req/s at 50", rps(pg, scenario, 50) >= 5000,
                               f"{rps(pg, scenario, 50):,.0f}/s"))
                checks.append((f"PostgreSQL: {label} p99 ≤ 30 ms at 50", pct(pg, scenario, 50, 99) <= 30,
                               f"{pct(pg, scenario, 50, 99):.1f} ms"))
        best_get = max((rps(pg, "get", c) for c in (50, 256)), default=0)
        checks.append(("PostgreSQL: audited GET ≥ 8,000 req/s", best_get >= 8000, f"{best_get:,.0f}/s"))
        if get(pg, "mixed", 50):
            checks.append(("PostgreSQL: mixed ≥ 3,000 req/s at 50", rps(pg, "mixed", 50) >= 3000,
                           f"{rps(pg, 'mixed', 50):,.0f}/s"))
            checks.append(("PostgreSQL: mixed p95 < 50 ms at 50", pct(pg, "mixed", 50, 95) < 50,
                           f"{pct(pg, 'mixed', 50, 95):.1f} ms"))
        best_create = max((rps(pg, "create", c) for c in (50, 256)), default=0)
        checks.append(("PostgreSQL: audited creates ≥ 1,500/s", best_create >= 1500, f"{best_create:,.0f}/s"))
        if get(pg, "booking", 64):
            checks.append(("PostgreSQL: booking race: 0 double bookings",
                           engines["postgresql"]["double_bookings"] == 0,
                           str(engines["postgresql"]["double_bookings"])))
    if "stack" in engines:
        st = engines["stack"]
        for n in ("2", "1"):
            r = get(f"stack-{n}", "mixed", st["connections"])
            if not r:
                continue
            checks.append((f"stack, {n} instance(s): mixed ≥ 1,000 req/s", r["rps"] >= 1000, f"{r['rps']:,.0f}/s"))
            checks.append((f"stack, {n} instance(s): mixed p95 < 200 ms", r.get("p95_ms", 1e9) < 200,
                           f"{r.get('p95_ms', 0):.1f} ms"))
            pair = st["cache"].get(f"{n}-mixed", [0, 0])
            checks.append((f"stack, {n} instance(s): cache hit rate > 80 % (mixed)", hit(pair) > 80,
                           f"{hit(pair):.1f} %"))
    print("| target | measured | met |")
    print("|---|---:|:---:|")
    for name, ok, measured in checks:
        print(f"| {name} | {measured} | {'yes' if ok else 'no'} |")


if __name__ == "__main__":
    main()
