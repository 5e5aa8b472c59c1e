// SIGTERM under load, measured: the built server (apps/server/dist/main.js) takes a keep-alive
// read/write mix from wrk (10 connections), gets SIGTERM mid-run, and this prints what wrk saw
// (statuses, socket errors by kind) and how long the process took to exit. A script that prints
// figures, not a test. Run `pnpm --filter @tasks/server-app build` first.
//
//   node bench/drain-check.mjs                         # embedded PGlite in memory
//   DATABASE_URL=postgres://… node bench/drain-check.mjs
//   DURATION=8 SIGTERM_AT=3 CONNECTIONS=10 SHUTDOWN_TIMEOUT_MS=10000 node bench/drain-check.mjs
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintToken } from './lib/token.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const main = join(root, 'apps/server/dist/main.js');
if (!existsSync(main)) throw new Error(`${main} is missing: run pnpm --filter @tasks/server-app build`);

const duration = Number(process.env.DURATION ?? 8);
const sigtermAt = Number(process.env.SIGTERM_AT ?? 3);
const connections = Number(process.env.CONNECTIONS ?? 10);
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 10_000);
const port = Number(process.env.PORT ?? 18_400 + Math.floor(Math.random() * 500));
const secret = 'drain-check-secret-0123456789abcdef0123456789';

// Reads and writes alternate; every status is counted per thread and summed at the end.
const lua = `
local token = os.getenv("TOKEN")
local threads = {}
function setup(thread) table.insert(threads, thread) end
function init(args) statuses = {} counter = 0 end
function request()
  counter = counter + 1
  if counter % 2 == 0 then
    return wrk.format("POST", "/api/tasks", { ["Authorization"] = "Bearer " .. token, ["Content-Type"] = "application/json" }, '{"title":"drain ' .. counter .. '"}')
  end
  return wrk.format("GET", "/api/tasks?limit=20", { ["Authorization"] = "Bearer " .. token })
end
function response(status, headers, body) statuses[status] = (statuses[status] or 0) + 1 end
function done(summary, latency, requests)
  local all = {}
  for _, t in ipairs(threads) do
    for k, v in pairs(t:get("statuses")) do all[k] = (all[k] or 0) + v end
  end
  for k, v in pairs(all) do io.write(string.format("status %d: %d\\n", k, v)) end
end
`;
const script = join(mkdtempSync(join(tmpdir(), 'drain-check-')), 'mix.lua');
writeFileSync(script, lua);

const server = spawn(process.execPath, [main], {
  env: {
    ...process.env,
    NODE_ENV: 'production',
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: 'memory',
    AUTH_SECRET: secret,
    RATE_LIMIT_MAX: '0',
    LOG_LEVEL: 'warn',
    CORS_ORIGINS: 'http://localhost:3000',
    SHUTDOWN_TIMEOUT_MS: String(shutdownTimeoutMs),
  },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const exited = new Promise((resolve) => server.on('exit', (code, signal) => resolve({ code, signal, at: performance.now() })));

for (let i = 0; ; i++) {
  const up = await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
  if (up) break;
  if (i > 100) throw new Error('the server did not become ready');
  await new Promise((resolve) => setTimeout(resolve, 100));
}

const wrk = spawn('wrk', ['-t2', `-c${connections}`, `-d${duration}s`, '-s', script, `http://127.0.0.1:${port}`], {
  env: { ...process.env, TOKEN: mintToken('drain-user', secret) },
});
let output = '';
wrk.stdout.on('data', (chunk) => (output += chunk));
wrk.stderr.on('data', (chunk) => (output += chunk));
const wrkDone = new Promise((resolve) => wrk.on('exit', resolve));

await new Promise((resolve) => setTimeout(resolve, sigtermAt * 1000));
const termAt = performance.now();
server.kill('SIGTERM');
const exit = await exited;
await wrkDone;

const statuses = Object.fromEntries([...output.matchAll(/^status (\d+): (\d+)$/gm)].map((m) => [m[1], Number(m[2])]));
const errors = /Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)/.exec(output);
const [connect, read, write, timeout] = errors ? errors.slice(1).map(Number) : [0, 0, 0, 0];
const answered = Object.values(statuses).reduce((a, b) => a + b, 0);
const non2xx = Object.entries(statuses).filter(([s]) => !s.startsWith('2')).reduce((a, [, n]) => a + n, 0);
console.log(output.trim());
console.log('\n--- drain check');
console.log(`responses: ${answered} (${JSON.stringify(statuses)}), non-2xx: ${non2xx}`);
console.log(`socket errors: read ${read} (resets), timeout ${timeout}; write ${write} + connect ${connect}: wrk reconnecting to the closed listener after each Connection: close (refused: no request sent)`);
console.log(`exit: code ${exit.code}${exit.signal ? ` signal ${exit.signal}` : ''}, ${Math.round(exit.at - termAt)} ms after SIGTERM (timeout ${shutdownTimeoutMs} ms)`);
