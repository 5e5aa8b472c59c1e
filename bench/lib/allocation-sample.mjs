// What a running server allocates, by function: V8's sampling heap profiler over the inspector,
// counting the objects the young and old collections freed too (a `--heap-prof` file keeps only what
// is still alive at exit, which says nothing about garbage). Garbage is what the young collections
// cost under load: bench/README.md, "The bare-array list's garbage".
// node lib/allocation-sample.mjs INSPECTOR_PORT SECONDS [OUT.heapprofile] [topN=30]
import { writeFileSync } from 'node:fs'

const [port, seconds, out, top = '30'] = process.argv.slice(2)
if (!port || !seconds) { console.error('usage: allocation-sample.mjs INSPECTOR_PORT SECONDS [OUT.heapprofile] [topN]'); process.exit(2) }
const [target] = await (await fetch(`http://127.0.0.1:${port}/json/list`)).json()
const ws = new WebSocket(target.webSocketDebuggerUrl)
await new Promise((resolve, reject) => { ws.addEventListener('open', resolve); ws.addEventListener('error', reject) })
let lastId = 0
const pending = new Map()
ws.addEventListener('message', (event) => {
  const message = JSON.parse(event.data)
  pending.get(message.id)?.(message)
  pending.delete(message.id)
})
const send = (method, params = {}) => new Promise((resolve) => {
  const id = ++lastId
  pending.set(id, resolve)
  ws.send(JSON.stringify({ id, method, params }))
})

await send('HeapProfiler.enable')
// One sample per 4 KB allocated on average: about 250 per MB, enough for a few hundred MB of garbage.
await send('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true })
await new Promise((resolve) => setTimeout(resolve, Number(seconds) * 1000))
const { result } = await send('HeapProfiler.stopSampling')
ws.close()
if (out) writeFileSync(out, JSON.stringify(result.profile))

const bySite = new Map()
let total = 0
const walk = (node) => {
  const frame = node.callFrame
  const site = `${frame.functionName || '(anonymous)'} ${frame.url.split('/').slice(-2).join('/')}:${frame.lineNumber + 1}`
  total += node.selfSize
  bySite.set(site, (bySite.get(site) ?? 0) + node.selfSize)
  for (const child of node.children) walk(child)
}
walk(result.profile.head)
console.log(`allocated ${(total / 1e6).toFixed(1)} MB in ${seconds} s (${(total / 1e6 / Number(seconds)).toFixed(1)} MB/s); divide by the requests of those seconds for bytes per request`)
for (const [site, bytes] of [...bySite].sort((a, b) => b[1] - a[1]).slice(0, Number(top))) {
  console.log(`${((100 * bytes) / total).toFixed(1).padStart(5)}%  ${site}`)
}
