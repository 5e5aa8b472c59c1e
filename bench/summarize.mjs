#!/usr/bin/env node
// Medians across rounds: node summarize.mjs RESULTS_DIR [more dirs…] → markdown on stdout.
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'

const dirs = process.argv.slice(2)
if (!dirs.length) { console.error('usage: summarize.mjs DIR...'); process.exit(2) }
const http = []
const pgb = []
for (const d of dirs) {
  for (const f of readdirSync(d)) {
    if (f.endsWith('.pgbench.jsonl')) {
      for (const l of readFileSync(join(d, f), 'utf8').split('\n')) if (l.trim()) pgb.push(JSON.parse(l))
    } else if (f.endsWith('.json')) {
      // A round is a file's `r<N>.` prefix: a round writes list-heavy to a file of its own too.
      const round = `${d}|${/^r(\d+)\./.exec(f)?.[1] ?? f}`
      http.push(...JSON.parse(readFileSync(join(d, f), 'utf8')).map((r) => ({ ...r, round })))
    }
  }
}
const median = (xs) => {
  const s = xs.filter((x) => x !== null && x !== undefined).sort((a, b) => a - b)
  if (!s.length) return null
  const m = s.length >> 1
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2
}
const group = (rows, keyf) => {
  const m = new Map()
  for (const r of rows) { const k = keyf(r); if (!m.has(k)) m.set(k, []); m.get(k).push(r) }
  return m
}
const n0 = (x) => (x === null ? '–' : Math.round(x).toLocaleString('en-US'))
const ms = (x) => (x === null ? '–' : x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0))
const ratio = (a, b) => (a === null || b === null || !b ? '–' : (a / b).toFixed(2) + '×')

const peerOrder = ['fastapi-1w', 'fastapi-2w', 'raw-node20', 'raw-node24', 'hello-node24', 'own', 'own-pglite']
const wlOrder = ['hello', 'list', 'list-heavy', 'get', 'create', 'toggle', 'update', 'mix', 'trpc-list', 'trpc-get', 'trpc-batch', 'compat-list']
const byKey = group(http, (r) => `${r.driver}|${r.label}|${r.workload}|${r.connections}`)
const med = new Map()
for (const [k, rows] of byKey) {
  med.set(k, {
    n: rows.length,
    rps: median(rows.map((r) => r.rps)),
    rpsMin: Math.min(...rows.map((r) => r.rps)),
    rpsMax: Math.max(...rows.map((r) => r.rps)),
    p50: median(rows.map((r) => r.p50)),
    p99: median(rows.map((r) => r.p99)),
    errors: rows.reduce((s, r) => s + r.errors + r.non2xx, 0),
    rss: Math.max(...rows.map((r) => r.rssMaxMb ?? 0)),
    hwm: rows.some((r) => r.hwmMb != null) ? Math.max(...rows.map((r) => r.hwmMb ?? 0)) : null,
    cpu: median(rows.map((r) => r.serverCpuPct)),
    drv: median(rows.map((r) => r.driverCpuPct)),
    cores: [0, 1].map((i) => median(rows.map((r) => r.corePct?.[i])))
  })
}
const pgMed = new Map()
for (const [k, rows] of group(pgb, (r) => `${r.mode}|${r.workload}|${r.clients}`)) {
  pgMed.set(k, { n: rows.length, tps: median(rows.map((r) => r.tps)), p50: median(rows.map((r) => r.lat.p50)), p99: median(rows.map((r) => r.lat.p99)), failed: rows.reduce((s, r) => s + r.failed, 0) })
}

const drivers = [...new Set(http.map((r) => r.driver))]
const out = []
for (const drv of drivers) {
  const peers = peerOrder.filter((p) => http.some((r) => r.driver === drv && r.label === p))
    .concat([...new Set(http.filter((r) => r.driver === drv).map((r) => r.label))].filter((p) => !peerOrder.includes(p)))
  const cells = [...new Set(http.filter((r) => r.driver === drv).map((r) => `${r.workload}|${r.connections}`))]
    .sort((a, b) => { const [wa, ca] = a.split('|'); const [wb, cb] = b.split('|'); return (Number(ca) - Number(cb)) || (wlOrder.indexOf(wa) - wlOrder.indexOf(wb)) })
  const rounds = new Set(http.filter((r) => r.driver === drv).map((r) => r.round)).size
  out.push(`### Driver: ${drv} — medians of ${rounds} rounds (req/s · p99 ms)\n`)
  // req/s ratios, each shown when both sides were measured: [header, numerator peer, denominator peer | 'pgbench']
  const ratioCols = [
    ['own / raw-node24', 'own', 'raw-node24'],
    ['own p99 / raw-node24 p99', 'own', 'raw-node24', 'p99'],
    ['own-pglite / own', 'own-pglite', 'own'],
    ['own / fastapi-1w', 'own', 'fastapi-1w'],
    ['raw-node24 / pgbench', 'raw-node24', 'pgbench'],
    ['raw-node24 / fastapi-1w', 'raw-node24', 'fastapi-1w']
  ].filter(([, a, b]) => peers.includes(a) && (b === 'pgbench' || peers.includes(b)))
  out.push(`| workload | conn | ${peers.map((p) => `${p} req/s | p99`).join(' | ')} | pgbench ext. TPS (c=10) | p99 |${ratioCols.map(([h]) => ` ${h} |`).join('')}`)
  out.push(`|---|---:|${peers.map(() => '---:|---:').join('|')}|---:|---:|${ratioCols.map(() => '---:|').join('')}`)
  for (const c of cells) {
    const [w, conn] = c.split('|')
    const pg = pgMed.get(`extended|${w}|10`) ?? null
    const row = peers.map((p) => { const m = med.get(`${drv}|${p}|${w}|${conn}`); return m ? `${n0(m.rps)} | ${ms(m.p99)}` : '– | –' })
    const rps = (p) => (p === 'pgbench' ? pg?.tps ?? null : med.get(`${drv}|${p}|${w}|${conn}`)?.rps ?? null)
    const p99 = (p) => med.get(`${drv}|${p}|${w}|${conn}`)?.p99 ?? null
    const cell = ([, a, b, what]) => (what === 'p99' ? ratio(p99(a), p99(b)) : ratio(rps(a), rps(b)))
    out.push(`| ${w} | ${conn} | ${row.join(' | ')} | ${pg ? n0(pg.tps) : '–'} | ${pg ? ms(pg.p99) : '–'} |${ratioCols.map((c) => ` ${cell(c)} |`).join('')}`)
  }
  out.push('')
  // The 100,000-task user's first page against a 100-task user's, same peer, 10 connections.
  const heavyLines = peers.map((p) => {
    const l = med.get(`${drv}|${p}|list|10`); const h = med.get(`${drv}|${p}|list-heavy|10`)
    return l && h ? `${p} ${ratio(h.rps, l.rps)} req/s, p99 ${ms(h.p99)} vs ${ms(l.p99)} ms` : null
  }).filter(Boolean)
  if (heavyLines.length) out.push(`list-heavy / list (10 conn): ${heavyLines.join(' · ')}\n`)
  out.push(`<details><summary>Detail (${drv}): spread, p50, errors, RSS, CPU</summary>\n`)
  out.push('| peer | workload | conn | req/s median | min–max | p50 ms | p99 ms | non-2xx+errors | max RSS MB | peak RSS (VmHWM) MB | server CPU % | driver CPU % | core0/core1 busy % |')
  out.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|')
  for (const p of peers) {
    for (const c of cells) {
      const [w, conn] = c.split('|')
      const m = med.get(`${drv}|${p}|${w}|${conn}`)
      if (!m) continue
      out.push(`| ${p} | ${w} | ${conn} | ${n0(m.rps)} | ${n0(m.rpsMin)}–${n0(m.rpsMax)} | ${ms(m.p50)} | ${ms(m.p99)} | ${m.errors} | ${m.rss} | ${m.hwm ?? '–'} | ${m.cpu ?? '–'} | ${m.drv ?? '–'} | ${m.cores.join('/')} |`)
    }
  }
  out.push('\n</details>\n')
}
if (pgMed.size) {
  const rounds = Math.max(...[...pgMed.values()].map((v) => v.n))
  out.push(`### pgbench (DB ceiling, the raw peer's SQL, 10 clients, 1 thread on CPU 0) — medians of ${rounds} rounds\n`)
  out.push('| script | mode | TPS | p50 ms | p99 ms | failed |')
  out.push('|---|---|---:|---:|---:|---:|')
  for (const [k, v] of [...pgMed.entries()].sort()) {
    const [mode, w] = k.split('|')
    out.push(`| ${w} | ${mode} | ${n0(v.tps)} | ${ms(v.p50)} | ${ms(v.p99)} | ${v.failed} |`)
  }
}
console.log(out.join('\n'))
