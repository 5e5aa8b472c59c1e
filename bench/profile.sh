#!/usr/bin/env bash
# `pnpm bench:profile`: our built server under one workload with `node --cpu-prof`, then the top
# self-time entries of the profile. The benchmark database must exist (`pnpm bench` prepares it).
#   WORKLOAD=mix DURATION=10 CONNECTIONS=10 TOP=25 pnpm bench:profile
# The profile file and its summary land in results/profile/<timestamp>/.
# ALLOC=1 samples what the server allocates instead (lib/allocation-sample.mjs over the inspector,
# from the end of the warm-up for DURATION-1 s): where the young collections' garbage comes from.
set -euo pipefail
cd "$(dirname "$0")"
WORKLOAD=${WORKLOAD:-mix}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-10}
TOP=${TOP:-25}
PORT=${OWN_PORT:-3000}
export AUTH_SECRET=${AUTH_SECRET:-bench-secret-0123456789abcdef0123456789abcdef}
export DATABASE_URL=${DATABASE_URL:-postgres://bench:bench@127.0.0.1:5432/bench}
OUT=${OUTDIR:-$PWD/results/profile/$(date +%Y%m%dT%H%M%S)}
mkdir -p "$OUT"

(cd .. && node apps/server/scripts/build.mjs)
# The production heap flags (as run-suite.sh and package.json's start:dist), plus the profiler.
NODE_FLAGS=${NODE_FLAGS:---max-semi-space-size=16 --heap-growing-percent=50}
if [ "${ALLOC:-0}" = 1 ]; then PROFILE_FLAGS="--inspect=127.0.0.1:${INSPECT_PORT:-9229}"; else PROFILE_FLAGS="--cpu-prof --cpu-prof-dir=$OUT"; fi
PORT=$PORT HOST=127.0.0.1 RATE_LIMIT_MAX=0 LOG_LEVEL=warn \
  taskset -c "${SERVER_CPUS:-1}" node $NODE_FLAGS $PROFILE_FLAGS ../apps/server/dist/main.js >"$OUT/server.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null || true' EXIT
for _ in $(seq 1 150); do curl -sf -o /dev/null "http://127.0.0.1:$PORT/healthz" && break; sleep 0.2; done
if [ "${ALLOC:-0}" = 1 ]; then
  (sleep 3.5 && taskset -c "${LOAD_CPUS:-0}" node lib/allocation-sample.mjs "${INSPECT_PORT:-9229}" $((DURATION - 1)) "$OUT/allocations.heapprofile" "$TOP" >"$OUT/top.txt") &
  SAMPLER=$!
fi
taskset -c "${LOAD_CPUS:-0}" node run-workload.mjs --base-url "http://127.0.0.1:$PORT" --driver wrk --pid "$PID" --label own \
  --duration "$DURATION" --warmup 3 --connections "$CONNECTIONS" --workloads "$WORKLOAD" --out "$OUT/workload.json"
[ -z "${SAMPLER:-}" ] || wait "$SAMPLER"
kill -INT "$PID"; wait "$PID" || true
trap - EXIT
psql "$DATABASE_URL" -q -f sql/reset.sql >/dev/null
if [ "${ALLOC:-0}" = 1 ]; then cat "$OUT/top.txt"; else node lib/cpuprofile-top.mjs "$OUT"/*.cpuprofile "$TOP" | tee "$OUT/top.txt"; fi
