#!/usr/bin/env bash
# This checkout's bench against another commit's, interleaved round by round in one run: each round
# runs the other checkout's own run-suite.sh, then this one's, so drift of the machine over the run
# falls on both alike. Each side keeps its own server, raw peer, load driver and database (an older
# server may refuse a database migrated past it), and each side's table is its own summarize.mjs over
# its rounds.
#
#   git worktree add ../old 4809486 && (cd ../old && pnpm install && pnpm build)
#   (cd ../old/bench && DATABASE_URL=postgres://bench:bench@127.0.0.1:5432/bench_old node prepare-db.ts)
#   OTHER=../old OTHER_DB=bench_old ROUNDS=3 DURATION=5 bash bench/compare-commits.sh
#
# THIS (default: this checkout) and THIS_DB (default: bench) name the other side, so two older
# commits can be compared as well, the script running from here.
#
# WORKLOADS defaults to the five both sides have had since the first bench; PEERS to raw + ours on
# PostgreSQL (PGlite's copy of the seed is per checkout and not what this compares).
set -euo pipefail
cd "$(dirname "$0")"
HERE=$(pwd)
THIS=$(cd "${THIS:-$HERE/..}" && pwd)
OTHER=$(cd "${OTHER:?set OTHER to the other checkout}" && pwd)
OTHER_DB=${OTHER_DB:?set OTHER_DB to the other checkout\'s bench database}
THIS_DB=${THIS_DB:-bench}
ROUNDS=${ROUNDS:-3}
export DURATION=${DURATION:-5}
export WORKLOADS=${WORKLOADS:-list,get,create,toggle,mix}
export PEERS=${PEERS:-raw-node24 own}
export SKIP_PGBENCH=1
OUT=${OUT:-$HERE/results/compare/$(date +%Y%m%dT%H%M%S)}
mkdir -p "$OUT"
echo "results → $OUT" >&2

side () { # $1 = name, $2 = checkout, $3 = database, $4 = round
  local url=postgres://bench:bench@127.0.0.1:5432/$3
  echo "=== round $4 · $1 ($(git -C "$2" rev-parse --short HEAD))" >&2
  (cd "$2/bench" && ROUNDS=1 DATABASE_URL=$url PGDATABASE=$3 OUTDIR="$OUT/$1/round$4" ./run-suite.sh >/dev/null)
}

for round in $(seq 1 "$ROUNDS"); do
  side other "$OTHER" "$OTHER_DB" "$round"
  side this "$THIS" "$THIS_DB" "$round"
done

for s in other this; do
  dir=$OTHER; [ $s = this ] && dir=$THIS
  echo "## $s: $(git -C "$dir" log -1 --format='%h %s' | cut -c1-90)"
  echo
  node "$dir/bench/summarize.mjs" "$OUT/$s"/round*
  echo
done | tee "$OUT/summary.md"
