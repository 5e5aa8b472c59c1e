#!/usr/bin/env node
// Load driver for the tasks API: mints HS256 tokens for random users and drives
// /api/tasks routes with autocannon (default) or wrk. Works against any server that speaks
//   GET /api/tasks?limit=20, GET /api/tasks/:id, POST /api/tasks, PUT /api/tasks/:id,
//   PATCH /api/tasks/:id/complete   (list may answer an array or { items, nextCursor }).
//
//   node run-workload.mjs --base-url http://127.0.0.1:8002 --secret S \
//        [--duration 10] [--connections 10,50] [--workloads list,get,create,toggle,mix]
//        [--driver autocannon|wrk] [--pid SERVER_PID] [--label NAME] [--out FILE.json]
//        [--users 1000] [--user-prefix u] [--heavy-user heavy] [--warmup 3] [--claims JSON]
//
// Workloads: list (first page, limit 20, random user) · list-heavy (same, user with 100k tasks)
//   get (owned id, random user) · create (POST) · toggle (PATCH …/complete) · update (PUT)
//   mix (40 list / 40 get / 10 create / 5 toggle / 5 update = 80% read, 20% write) · hello (GET /hello)
//   trpc-list, trpc-get, trpc-batch (list + get in one request): the URLs @tasks/client's httpBatchLink
//   sends (captured from the stock client, not rebuilt from the protocol by hand):
//     GET /trpc/tasks.list?batch=1&input={"0":{"json":{"limit":20}}}          (URL-encoded)
//     GET /trpc/tasks.list,tasks.get?batch=1&input={"0":{"json":{"limit":20}},"1":{"json":{"id":N}}}
//   compat-list: the original routes' bare-array list, GET /api/u<n>/tasks (a 100-task user).
//   The raw peer serves the same URLs with hand-written handlers doing the same database work.
// Every option also reads from the environment: BASE_URL, AUTH_SECRET, DURATION, CONNECTIONS,
// WORKLOADS, DRIVER, SERVER_PID, LABEL, OUT, USERS, USER_PREFIX, HEAVY_USER, WARMUP,
// TOKEN_CLAIMS (extra JWT claims as JSON, e.g. iss / aud, merged into every token).
import { parseArgs } from 'node:util'
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs'
import { spawn } from 'node:child_process'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { mintToken } from './lib/token.mjs'
import { startSampler, pidsListeningOn } from './lib/procstat.mjs'

const { values: a } = parseArgs({
  options: {
    'base-url': { type: 'string', default: process.env.BASE_URL ?? 'http://127.0.0.1:3000' },
    secret: { type: 'string', default: process.env.AUTH_SECRET ?? 'bench-secret-0123456789abcdef0123456789abcdef' },
    duration: { type: 'string', default: process.env.DURATION ?? '10' },
    warmup: { type: 'string', default: process.env.WARMUP ?? '3' },
    connections: { type: 'string', default: process.env.CONNECTIONS ?? '10,50' },
    workloads: { type: 'string', default: process.env.WORKLOADS ?? 'list,get,create,toggle,mix' },
    driver: { type: 'string', default: process.env.DRIVER ?? 'wrk' },
    pid: { type: 'string', default: process.env.SERVER_PID ?? '' },
    label: { type: 'string', default: process.env.LABEL ?? '' },
    out: { type: 'string', default: process.env.OUT ?? '' },
    users: { type: 'string', default: process.env.USERS ?? '1000' },
    'user-prefix': { type: 'string', default: process.env.USER_PREFIX ?? 'u' },
    'heavy-user': { type: 'string', default: process.env.HEAVY_USER ?? 'heavy' },
    claims: { type: 'string', default: process.env.TOKEN_CLAIMS ?? '' },
    quiet: { type: 'boolean', default: false }
  }
})

const base = new URL(a['base-url'])
const prefixPath = base.pathname.replace(/\/$/, '') // allow BASE_URL with a path prefix
const duration = Number(a.duration)
const warmup = Number(a.warmup)
const conns = a.connections.split(',').map(Number)
const workloads = a.workloads.split(',').map((s) => s.trim()).filter(Boolean)
const nUsers = Number(a.users)
const log = (...m) => { if (!a.quiet) console.error(...m) }

const KNOWN = ['list', 'list-heavy', 'get', 'create', 'toggle', 'update', 'mix', 'hello', 'trpc-list', 'trpc-get', 'trpc-batch', 'compat-list']
for (const w of workloads) if (!KNOWN.includes(w)) throw new Error(`unknown workload ${w}; known: ${KNOWN}`)

// ---- tokens and owned task ids --------------------------------------------------------------
const userIds = Array.from({ length: nUsers }, (_, i) => `${a['user-prefix']}${i + 1}`)
const extraClaims = a.claims ? JSON.parse(a.claims) : {} // e.g. '{"iss":"tasks-api","aud":"web"}'
const auth = userIds.map((u) => `Bearer ${mintToken(u, a.secret, { extra: extraClaims })}`)
const heavyAuth = `Bearer ${mintToken(a['heavy-user'], a.secret, { extra: extraClaims })}`
const pairs = [] // [userIndex, taskId]

async function discoverIds () {
  const t0 = Date.now()
  let next = 0
  let failures = 0
  async function worker () {
    while (next < nUsers) {
      const i = next++
      const res = await fetch(new URL(`${prefixPath}/api/tasks?limit=20`, base), { headers: { authorization: auth[i] } })
      if (!res.ok) { failures++; await res.arrayBuffer(); continue }
      const body = await res.json()
      const items = Array.isArray(body) ? body : (body.items ?? body.data ?? [])
      for (const t of items) pairs.push([i, t.id])
    }
  }
  await Promise.all(Array.from({ length: 16 }, worker))
  log(`discovered ${pairs.length} owned task ids for ${nUsers} users in ${Date.now() - t0} ms (${failures} failed lists)`)
  if (!pairs.length) throw new Error('no task ids discovered: is the database seeded and the secret right?')
}

// ---- request generators (shared by both drivers) ---------------------------------------------
const rnd = (n) => Math.floor(Math.random() * n)
let seq = 0
const P = (p) => `${prefixPath}${p}`
const gen = {
  hello: () => ({ method: 'GET', path: P('/hello') }),
  list: () => ({ method: 'GET', path: P('/api/tasks?limit=20'), auth: auth[rnd(nUsers)] }),
  'list-heavy': () => ({ method: 'GET', path: P('/api/tasks?limit=20'), auth: heavyAuth }),
  get: () => { const [u, id] = pairs[rnd(pairs.length)]; return { method: 'GET', path: P(`/api/tasks/${id}`), auth: auth[u] } },
  create: () => ({
    method: 'POST', path: P('/api/tasks'), auth: auth[rnd(nUsers)],
    body: JSON.stringify({ title: `bench task ${++seq}`, description: 'created by the load driver' })
  }),
  toggle: () => { const [u, id] = pairs[rnd(pairs.length)]; return { method: 'PATCH', path: P(`/api/tasks/${id}/complete`), auth: auth[u] } },
  update: () => {
    const [u, id] = pairs[rnd(pairs.length)]
    return { method: 'PUT', path: P(`/api/tasks/${id}`), auth: auth[u], body: JSON.stringify({ title: `updated ${++seq}` }) }
  },
  mix: () => {
    const r = rnd(100)
    return r < 40 ? gen.list() : r < 80 ? gen.get() : r < 90 ? gen.create() : r < 95 ? gen.toggle() : gen.update()
  },
  'trpc-list': () => ({ method: 'GET', path: P(`/trpc/tasks.list?batch=1&input=${trpcInput({ limit: 20 })}`), auth: auth[rnd(nUsers)] }),
  'trpc-get': () => { const [u, id] = pairs[rnd(pairs.length)]; return { method: 'GET', path: P(`/trpc/tasks.get?batch=1&input=${trpcInput({ id })}`), auth: auth[u] } },
  'trpc-batch': () => {
    const [u, id] = pairs[rnd(pairs.length)]
    return { method: 'GET', path: P(`/trpc/tasks.list,tasks.get?batch=1&input=${trpcInput({ limit: 20 }, { id })}`), auth: auth[u] }
  },
  'compat-list': () => { const u = rnd(nUsers); return { method: 'GET', path: P(`/api/${encodeURIComponent(userIds[u])}/tasks`), auth: auth[u] } }
}
/** httpBatchLink's `input` parameter: each call's superjson form (plain JSON values need no meta). */
function trpcInput (...inputs) {
  return encodeURIComponent(JSON.stringify(Object.fromEntries(inputs.map((json, i) => [i, { json }]))))
}

// ---- autocannon driver -----------------------------------------------------------------------
function percentile (sorted, p) {
  if (!sorted.length) return null
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]
}

async function runAutocannon (workload, connections, secs) {
  // only this driver needs it, and the project does not install it: npm i --no-save autocannon
  const { default: autocannon } = await import('autocannon')
  const lat = []
  const codes = {}
  let errors = 0
  const g = gen[workload]
  const instance = autocannon({
    url: base.origin,
    connections,
    duration: secs,
    timeout: 10,
    requests: [{
      setupRequest: (req) => {
        const r = g()
        req.method = r.method
        req.path = r.path
        req.headers = {}
        if (r.auth) req.headers.authorization = r.auth
        if (r.body) { req.headers['content-type'] = 'application/json'; req.body = r.body } else req.body = ''
        return req
      }
    }]
  })
  instance.on('response', (_c, status, _b, ms) => { lat.push(ms); codes[status] = (codes[status] ?? 0) + 1 })
  instance.on('reqError', () => { errors++ })
  const cpu0 = process.cpuUsage()
  const res = await instance
  const cpu = process.cpuUsage(cpu0)
  const sorted = Float64Array.from(lat).sort()
  const ok = Object.entries(codes).filter(([c]) => c < 400).reduce((s, [, n]) => s + n, 0)
  return {
    requests: lat.length,
    seconds: res.duration,
    rps: lat.length / res.duration,
    p50: percentile(sorted, 50),
    p90: percentile(sorted, 90),
    p99: percentile(sorted, 99),
    max: sorted.length ? sorted[sorted.length - 1] : null,
    non2xx: lat.length - ok,
    errors: errors + res.timeouts,
    codes,
    driverCpuPct: Math.round((cpu.user + cpu.system) / 1e6 / res.duration * 100)
  }
}

// ---- wrk driver: the same generators, written out as a Lua script -----------------------------
let wrkDir = null
process.on('exit', () => { if (wrkDir) rmSync(wrkDir, { recursive: true, force: true }) })
function wrkScript (workload) {
  wrkDir ??= mkdtempSync(join(tmpdir(), 'bench-wrk-'))
  const q = (s) => JSON.stringify(s) // JSON string literals are valid Lua strings here (ASCII)
  const lua = [
    `local auth = {${auth.map(q).join(',')}}`,
    `local heavy = ${q(heavyAuth)}`,
    `local pu = {${pairs.map((p) => p[0] + 1).join(',')}}`,
    `local pid = {${pairs.map((p) => p[1]).join(',')}}`,
    `local pre = ${q(prefixPath)}`,
    `local n, np, seq = #auth, #pid, 0`,
    `math.randomseed(os.time() + math.floor(os.clock() * 1e6))`,
    `local function H(a) return { ["Authorization"] = a } end`,
    `local function HJ(a) return { ["Authorization"] = a, ["Content-Type"] = "application/json" } end`,
    `local g = {}`,
    `g.hello = function() return wrk.format("GET", pre .. "/hello") end`,
    `g.list = function() return wrk.format("GET", pre .. "/api/tasks?limit=20", H(auth[math.random(n)])) end`,
    `g["list-heavy"] = function() return wrk.format("GET", pre .. "/api/tasks?limit=20", H(heavy)) end`,
    `g.get = function() local i = math.random(np) return wrk.format("GET", pre .. "/api/tasks/" .. pid[i], H(auth[pu[i]])) end`,
    `g.create = function() seq = seq + 1 return wrk.format("POST", pre .. "/api/tasks", HJ(auth[math.random(n)]), '{"title":"bench task ' .. seq .. '","description":"created by the load driver"}') end`,
    `g.toggle = function() local i = math.random(np) return wrk.format("PATCH", pre .. "/api/tasks/" .. pid[i] .. "/complete", H(auth[pu[i]])) end`,
    `g.update = function() local i = math.random(np) seq = seq + 1 return wrk.format("PUT", pre .. "/api/tasks/" .. pid[i], HJ(auth[pu[i]]), '{"title":"updated ' .. seq .. '"}') end`,
    `local uid = {${userIds.map(q).join(',')}}`,
    `local function esc(v) return (string.gsub(v, "[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end)) end`,
    `local trpcList = pre .. "/trpc/tasks.list?batch=1&input=" .. esc('{"0":{"json":{"limit":20}}}')`,
    `g["trpc-list"] = function() return wrk.format("GET", trpcList, H(auth[math.random(n)])) end`,
    `g["trpc-get"] = function() local i = math.random(np) return wrk.format("GET", pre .. "/trpc/tasks.get?batch=1&input=" .. esc('{"0":{"json":{"id":' .. pid[i] .. '}}}'), H(auth[pu[i]])) end`,
    `g["trpc-batch"] = function() local i = math.random(np) return wrk.format("GET", pre .. "/trpc/tasks.list,tasks.get?batch=1&input=" .. esc('{"0":{"json":{"limit":20}},"1":{"json":{"id":' .. pid[i] .. '}}}'), H(auth[pu[i]])) end`,
    `g["compat-list"] = function() local u = math.random(n) return wrk.format("GET", pre .. "/api/" .. esc(uid[u]) .. "/tasks", H(auth[u])) end`,
    `g.mix = function() local r = math.random(100)`,
    `  if r <= 40 then return g.list() elseif r <= 80 then return g.get() elseif r <= 90 then return g.create() elseif r <= 95 then return g.toggle() else return g.update() end end`,
    `local f = g[${q(workload)}]`,
    `request = function() return f() end`,
    `done = function(s, lat, req)`,
    `  io.write(string.format('@@WRK {"requests":%d,"us":%d,"p50":%f,"p90":%f,"p99":%f,"max":%f,"status":%d,"connect":%d,"read":%d,"write":%d,"timeout":%d}\\n',`,
    `    s.requests, s.duration, lat:percentile(50), lat:percentile(90), lat:percentile(99), lat.max, s.errors.status, s.errors.connect, s.errors.read, s.errors.write, s.errors.timeout))`,
    `end`
  ].join('\n')
  const file = join(wrkDir, `${workload}.lua`)
  writeFileSync(file, lua)
  return file
}

async function runWrk (workload, connections, secs, sampler) {
  const script = wrkScript(workload)
  const child = spawn('wrk', ['-t1', `-c${connections}`, `-d${secs}s`, '--timeout', '10s', '-s', script, base.origin], { stdio: ['ignore', 'pipe', 'inherit'] })
  sampler?.trackExtra(child.pid)
  let out = ''
  child.stdout.on('data', (d) => { out += d })
  await new Promise((resolve, reject) => child.on('exit', (code) => code === 0 ? resolve() : reject(new Error(`wrk exited ${code}: ${out}`))))
  const m = /@@WRK (\{.*\})/.exec(out)
  if (!m) throw new Error(`no wrk summary in: ${out}`)
  const r = JSON.parse(m[1])
  const seconds = r.us / 1e6
  return {
    requests: r.requests,
    seconds,
    rps: r.requests / seconds,
    p50: r.p50 / 1000,
    p90: r.p90 / 1000,
    p99: r.p99 / 1000,
    max: r.max / 1000,
    non2xx: r.status,
    errors: r.connect + r.read + r.write + r.timeout,
    codes: null,
    driverCpuPct: null
  }
}

// ---- main ------------------------------------------------------------------------------------
const serverPids = a.pid ? a.pid.split(',').map(Number) : pidsListeningOn(base.port || (base.protocol === 'https:' ? 443 : 80))
if (!serverPids.length) log('warning: server PID unknown (pass --pid); RSS and server CPU will be empty')

const needIds = workloads.some((w) => ['get', 'toggle', 'update', 'mix', 'trpc-get', 'trpc-batch'].includes(w))
if (needIds) await discoverIds()

async function measure (workload, connections, secs) {
  const sampler = startSampler(serverPids)
  let r, s
  try {
    r = a.driver === 'wrk' ? await runWrk(workload, connections, secs, sampler) : await runAutocannon(workload, connections, secs)
  } finally {
    s = sampler.stop()
  }
  if (a.driver === 'wrk') r.driverCpuPct = s.extraCpuPct
  return { ...r, rssMaxMb: s.rssMaxMb, hwmMb: s.hwmMb, serverCpuPct: s.serverCpuPct, corePct: s.corePct }
}

// Every read workload at every connection count first, then the writes: a create or a mix adds tasks,
// and `compat-list` (every task of a user, unpaginated) is compared with the raw peer's 100-task page,
// so it must read 100-task users. Each warm-up runs just before its workload is first measured, so the reads' warm-ups come before any write too.
const WRITES = new Set(['create', 'toggle', 'update', 'mix'])
const ordered = [...workloads.filter((w) => !WRITES.has(w)), ...workloads.filter((w) => WRITES.has(w))]
// Each workload is warmed before its first measured run: the code a workload alone runs (the original
// routes' serializer for 100 tasks, tRPC's batch path) is still being compiled on the server's one core
// when the previous workload ends, and that stall (event-loop gaps of 10–25 ms for ~0.4 s) was the
// p99 of the first run. Every peer gets the same warm-up.
const warmed = new Set()
async function warm(w, c) {
  if (warmup <= 0 || warmed.has(w)) return
  warmed.add(w)
  log(`warm-up: ${w}, ${c} connections, ${warmup}s`)
  await measure(w, c, warmup)
}

const results = []
const f1 = (x) => (x === null || x === undefined ? '-' : x < 10 ? x.toFixed(2) : x.toFixed(1))
log(`${'label'.padEnd(14)} ${'workload'.padEnd(10)} ${'conn'.padStart(4)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)} ${'non2xx'.padStart(6)} ${'err'.padStart(4)} ${'RSS MB'.padStart(6)} ${'HWM MB'.padStart(6)} ${'srvCPU'.padStart(6)} ${'drvCPU'.padStart(6)} cores%`)
for (const group of [ordered.filter((w) => !WRITES.has(w)), ordered.filter((w) => WRITES.has(w))]) for (const c of conns) {
  for (const w of group) {
    await warm(w, c)
    const r = await measure(w, c, duration)
    const row = { label: a.label, driver: a.driver, baseUrl: base.href, workload: w, connections: c, duration, ...r, at: new Date().toISOString() }
    results.push(row)
    log(`${(a.label || '-').padEnd(14)} ${w.padEnd(10)} ${String(c).padStart(4)} ${r.rps.toFixed(0).padStart(8)} ${f1(r.p50).padStart(7)} ${f1(r.p99).padStart(7)} ${String(r.non2xx).padStart(6)} ${String(r.errors).padStart(4)} ${String(r.rssMaxMb).padStart(6)} ${String(r.hwmMb ?? '-').padStart(6)} ${String(r.serverCpuPct ?? '-').padStart(6)} ${String(r.driverCpuPct ?? '-').padStart(6)} ${r.corePct.join('/')}`)
  }
}

if (a.out) writeFileSync(a.out, JSON.stringify(results, null, 2))
else console.log(JSON.stringify(results, null, 2))
