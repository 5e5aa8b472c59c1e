#!/usr/bin/env bash
# Installs what the bench needs besides Node (Debian/Ubuntu, as root): wrk, the PostgreSQL client
# tools (psql, pgbench), curl, taskset, pgrep and ss. The FastAPI peer's Python packages with WITH_FASTAPI=1.
set -euo pipefail
need=()
command -v wrk >/dev/null 2>&1 || need+=(wrk)
command -v psql >/dev/null 2>&1 && command -v pgbench >/dev/null 2>&1 || need+=(postgresql-client postgresql-contrib)
command -v curl >/dev/null 2>&1 || need+=(curl)
command -v taskset >/dev/null 2>&1 || need+=(util-linux)
command -v pgrep >/dev/null 2>&1 || need+=(procps)
command -v ss >/dev/null 2>&1 || need+=(iproute2)
[ "${WITH_FASTAPI:-0}" = 1 ] && need+=(python3-fastapi python3-sqlmodel python3-uvicorn python3-psycopg2 python3-jwt python3-uvloop python3-httptools)
[ ${#need[@]} -eq 0 ] && { echo "bench tools present"; exit 0; }
if [ "$(id -u)" != 0 ]; then
  echo "missing: ${need[*]} — install them as root: apt-get install -y ${need[*]}" >&2; exit 1
fi
apt-get install -y "${need[@]}" || { apt-get update && apt-get install -y "${need[@]}"; }
