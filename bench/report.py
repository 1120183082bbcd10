# SPDX-License-Identifier: Apache-2.0
"""Prints the benchmark table (Markdown) from bench.sh's results: every scenario for MediSecure
and each peer, the ratios from the same run, and the targets met or missed.

Usage: /usr/bin/python3 report.py results.jsonl facts.json
"""
import json
import sys

PEERS = ["nginx", "fastapi", "orthanc"]
LABEL = {"medisecure": "MediSecure", "nginx": "nginx (static file)", "fastapi": "FastAPI + uvicorn",
         "orthanc": "Orthanc /patients/{id}"}
SCENARIO = {"health": "GET /health/live", "get": "GET patient (authenticated, audited)",
            "search": "search q= (accent-insensitive prefixes)", "create": "create patient (audited write)",
            "mixed": "mixed staff workload", "booking": "booking race (64 clients, same slots)"}


def main() -> None:
    rows = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    facts = json.load(open(sys.argv[2]))
    by = {(r["target"], r["scenario"], r["connections"]): r for r in rows}

    print(f"Machine: {facts['cores']} cores ({facts['cpu']}), shared by the servers under test and wrk; "
          f"{facts['seconds']} s per run after a 2 s warm-up. {facts['patients']:,} patients.\n")
    print("| scenario | conns | server | req/s | p50 ms | p90 ms | p99 ms | errors | MediSecure ÷ server |")
    print("|---|---:|---|---:|---:|---:|---:|---:|---:|")
    order = ["health", "get", "search", "create", "mixed", "booking"]
    for scenario in order:
        for conns in sorted({r["connections"] for r in rows if r["scenario"] == scenario}):
            ms = by.get(("medisecure", scenario, conns))
            for target in ["medisecure"] + PEERS:
                r = by.get((target, scenario, conns))
                if not r:
                    continue
                errors = r["socket_errors"] + (r["other"] if r["tallied"] else r["status_errors"])
                ratio = "" if target == "medisecure" or not ms else f"{ms['rps'] / r['rps']:.2f} ×"
                print(f"| {SCENARIO[scenario]} | {conns} | {LABEL[target]} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | "
                      f"{r['p90_ms']:.2f} | {r['p99_ms']:.2f} | {errors} | {ratio} |")

    def rps(t, s, c):
        r = by.get((t, s, c))
        return r["rps"] if r else 0.0

    def p99(t, s, c):
        r = by.get((t, s, c))
        return r["p99_ms"] if r else float("inf")

    book = by.get(("medisecure", "booking", 64))
    booked_per_s = book["ok"] / book["seconds"] if book else 0.0
    hit = lambda pair: (100.0 * pair[0] / (pair[0] + pair[1])) if sum(pair) else 0.0  # noqa: E731
    mixed = [r for r in rows if r["scenario"] == "mixed"]
    print()
    if book:
        print(f"Booking race: {book['requests']:,} attempts, {book['ok']:,} booked ({booked_per_s:,.0f}/s), "
              f"{book['conflict']:,} refused with 409, {book['other']} other; "
              f"double bookings in the database: {facts['double_bookings']}.")
    for r in mixed:
        print(f"Mixed at {r['connections']}: {r['ok']:,} answered 2xx, {r['conflict']:,} bookings refused with 409 "
              f"(slot already taken), {r['other']} other.")
    print(f"Start to ready: {facts['ready_ms']} ms. Idle RSS after loading: {facts['idle_rss_kib'] / 1024:.1f} MiB "
          f"(after the run: {facts['rss_after_kib'] / 1024:.1f} MiB). Patient cache hit rate: "
          f"{hit(facts['cache_get']):.1f} % in the GET runs, {hit(facts['cache_mixed']):.1f} % in the mixed runs. "
          f"Audit trail after the run: {facts['audit_verify'] or 'not verified'}.\n")

    checks = []
    for c in sorted({r["connections"] for r in rows if r["scenario"] == "get"}):
        m = rps("medisecure", "get", c)
        for peer, want in (("nginx", 0.40), ("fastapi", 3.0), ("orthanc", 1.0)):
            if rps(peer, "get", c):
                checks.append((f"GET patient at {c}: ≥ {want:.2f} × {LABEL[peer]}", m / rps(peer, "get", c) >= want,
                               f"{m / rps(peer, 'get', c):.2f} ×"))
    if ("medisecure", "get", 256) in by:
        checks.append(("GET patient p99 ≤ 12 ms at 256", p99("medisecure", "get", 256) <= 12,
                       f"{p99('medisecure', 'get', 256):.1f} ms"))
    if ("medisecure", "search", 50) in by:
        checks.append(("search ≥ 10,000 req/s at 50", rps("medisecure", "search", 50) >= 10000,
                       f"{rps('medisecure', 'search', 50):,.0f}/s"))
        checks.append(("search p99 ≤ 15 ms at 50", p99("medisecure", "search", 50) <= 15,
                       f"{p99('medisecure', 'search', 50):.1f} ms"))
    creates = max((rps("medisecure", "create", c) for c in (50, 256)), default=0)
    checks.append(("audited creates ≥ 5,000/s", creates >= 5000, f"{creates:,.0f}/s"))
    if book:
        checks.append(("booking race: 0 double bookings", facts["double_bookings"] == 0, str(facts["double_bookings"])))
        # Eight clients race for every slot, so at most one request in eight can book: the
        # target is read as booking requests decided (201 booked or 409 taken) per second.
        decided = (book["ok"] + book["conflict"]) / book["seconds"]
        checks.append(("booking race: ≥ 2,000 booking requests decided/s (201 or 409)", decided >= 2000,
                       f"{decided:,.0f}/s ({booked_per_s:,.0f} booked/s)"))
    checks.append(("idle RSS ≤ 64 MiB", facts["idle_rss_kib"] <= 64 * 1024, f"{facts['idle_rss_kib'] / 1024:.1f} MiB"))
    checks.append(("start to ready ≤ 0.3 s", facts["ready_ms"] <= 300, f"{facts['ready_ms']} ms"))
    checks.append(("cache hit rate > 80 % (GET)", hit(facts["cache_get"]) > 80, f"{hit(facts['cache_get']):.1f} %"))
    print("| target | measured | met |")
    print("|---|---:|:---:|")
    for name, ok, measured in checks:
        print(f"| {name} | {measured} | {'yes' if ok else 'no'} |")


if __name__ == "__main__":
    main()
