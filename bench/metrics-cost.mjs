// The cost of metrics, in short paired runs: the built server with METRICS_TOKEN set and unset, the
// order alternating per pair, the same wrk read/write mix (80 % list, 20 % create, 50 users) for
// each; prints requests/s of every run and the median on/off ratio. A quick look on a noisy machine;
// `pnpm bench` with OWN_CMD="METRICS_TOKEN=… RATE_LIMIT_MAX=0 LOG_LEVEL=warn node …" is the real figure.
//
//   DATABASE_URL=postgres://… PAIRS=3 DURATION=5 node bench/metrics-cost.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { mintToken } from './lib/token.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const main = join(root, 'apps/server/dist/main.js');
const pairs = Number(process.env.PAIRS ?? 3);
const duration = Number(process.env.DURATION ?? 5);
const secret = 'metrics-cost-secret-0123456789abcdef0123456789';
const tokens = Array.from({ length: 50 }, (_, i) => mintToken(`cost-user-${i}`, secret));

const dir = mkdtempSync(join(tmpdir(), 'metrics-cost-'));
const script = join(dir, 'mix.lua');
writeFileSync(
  script,
  `local tokens = { ${tokens.map((t) => `"${t}"`).join(', ')} }
local counter = 0
function request()
  counter = counter + 1
  local auth = { ["Authorization"] = "Bearer " .. tokens[(counter % #tokens) + 1], ["Content-Type"] = "application/json" }
  if counter % 5 == 0 then return wrk.format("POST", "/api/tasks", auth, '{"title":"cost ' .. counter .. '"}') end
  return wrk.format("GET", "/api/tasks?limit=20", auth)
end
`,
);

async function run(metrics, port) {
  const server = spawn('taskset', ['-c', '1', process.execPath, '--max-semi-space-size=16', '--heap-growing-percent=50', main], {
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
      ...(metrics ? { METRICS_TOKEN: 'metrics-cost-token-0123456789' } : { METRICS_TOKEN: '' }),
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise((resolve) => server.on('exit', resolve));
  for (let i = 0; !(await fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false)); i++) {
    if (i > 600) {
      server.kill('SIGKILL');
      throw new Error('server not ready after 60 s');
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const wrk = (seconds) =>
    new Promise((resolve) => {
      let out = '';
      const child = spawn('taskset', ['-c', '0', 'wrk', '-t1', '-c10', `-d${seconds}s`, '-s', script, `http://127.0.0.1:${port}`]);
      child.stdout.on('data', (chunk) => (out += chunk));
      child.on('exit', () => resolve(Number(/Requests\/sec:\s+([\d.]+)/.exec(out)?.[1] ?? NaN)));
    });
  await wrk(2); // warm-up: JIT, pool, caches
  const rps = await wrk(duration);
  server.kill('SIGTERM');
  await exited;
  return rps;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const on = [];
const off = [];
for (let pair = 0; pair < pairs; pair++) {
  const order = pair % 2 ? [true, false] : [false, true];
  for (const metrics of order) {
    const rps = await run(metrics, 18_900 + pair * 2 + (metrics ? 1 : 0));
    (metrics ? on : off).push(rps);
    console.log(`pair ${pair + 1} metrics ${metrics ? 'on ' : 'off'}: ${rps.toFixed(0)} req/s`);
  }
}
const ratios = on.map((value, i) => value / off[i]);
console.log(`median req/s: off ${median(off).toFixed(0)}, on ${median(on).toFixed(0)}; on/off per pair: ${ratios.map((r) => r.toFixed(3)).join(', ')}; median ratio ${median(ratios).toFixed(3)}`);
