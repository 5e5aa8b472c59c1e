#!/usr/bin/env bash
# `pnpm bench`: build the server, prepare the databases (our migrations + the set-based seed), then
# drive our server on PostgreSQL, on embedded PGlite and the hand-written raw peer in one run, and print
# the table of medians with the own / raw ratios. Every run-suite.sh variable can be set, e.g.
#   ROUNDS=1 DURATION=3 pnpm bench                     # a quick look (~3 min)
#   PEERS="fastapi-1w raw-node24 own" SKIP_PGBENCH=0 pnpm bench
#   RESEED=1 pnpm bench                                # rebuild both databases from scratch
set -euo pipefail
cd "$(dirname "$0")"

command -v wrk >/dev/null 2>&1 || ./setup.sh
(cd .. && node apps/server/scripts/build.mjs)
node prepare-db.ts --pglite .data/pglite-seed ${RESEED:+--reseed}

export PEERS=${PEERS:-raw-node24 own own-pglite}
export DRIVERS=${DRIVERS:-wrk}
export ROUNDS=${ROUNDS:-3}
export SKIP_PGBENCH=${SKIP_PGBENCH:-1}
exec ./run-suite.sh
