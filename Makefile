# MediSecure: thin wrappers over scripts/ (see README.md).
.PHONY: run test test-dates bench deps build frontend clean help stack stack-down failover fuzz sanitize crash

help:
	@echo "make run     install what is missing, build, start on http://127.0.0.1:8000 (DEMO=1: with demo data)"
	@echo "make test    install what is missing, build, run every test"
	@echo "make test-dates  the date-sensitive suites with the clock moved to Sundays, month ends, DST changes, 23:30"
	@echo "make fuzz    the libFuzzer targets (clang, ASan+UBSan), each FUZZ_SECONDS (60): execs, exec/s, coverage, findings"
	@echo "make sanitize    the whole C++ suite under ASan+UBSan, the concurrency tests under TSan (with make test's servers)"
	@echo "make bench   benchmarks: embedded, PostgreSQL and the stack (2 instances, then 1) beside reference peers"
	@echo "make deps    only install system and npm packages"
	@echo "make build   only build (backend and web application)"
	@echo "make stack   the whole topology on this machine: HAProxy (TLS), 2 instances + a worker, every engine,"
	@echo "             Prometheus, Alertmanager, exporters, the demo practice (scripts/stack.sh status|scale N)"
	@echo "make stack-down  stop every process of the stack"
	@echo "make failover    failover under load on the stack (kill -9, rolling restart, Redis, RabbitMQ,"
	@echo "             PostgreSQL down) -> build/stack/ha-report.md; FAILOVER_PHASE_SECONDS=15 by default"
	@echo "make crash   kill -9 of the server under audited writes, 20 rounds on SQLite and on PostgreSQL, then"
	@echo "             power loss (WAL and audit journal cut) and a full disk; prints writes acknowledged,"
	@echo "             verified and lost (CRASH_ROUNDS=20, CRASH_SEED to repeat a run)"

run:
	@scripts/run.sh

test:
	@scripts/test.sh

test-dates:
	@scripts/test-dates.sh

fuzz:
	@scripts/deps.sh test
	@scripts/fuzz.sh run

sanitize:
	@scripts/deps.sh build
	@scripts/sanitize.sh all

bench:
	@scripts/bench.sh

deps:
	@scripts/deps.sh test
	@scripts/npm-deps.sh

build:
	@scripts/deps.sh build
	@scripts/npm-deps.sh
	@scripts/build.sh

stack:
	@scripts/stack.sh up

stack-down:
	@scripts/stack.sh down

failover:
	@scripts/failover-test.sh

crash:
	@scripts/crash-test.sh

clean:
	rm -rf build frontend/dist
