// 1,000 open event streams on one instance: the server's RSS before and with them open, its CPU while
// they idle (heartbeats only), and how long one change takes to reach all of one user's streams.
// Starts the real server (apps/server) as a child process on embedded PGlite, or on DATABASE_URL.
//   node bench/event-streams.mjs [--streams 1000] [--users 100] [--idle-seconds 20]
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { parseArgs } from 'node:util';
import { SignJWT } from 'jose';

const { values } = parseArgs({ options: { streams: { type: 'string', default: '1000' }, users: { type: 'string', default: '100' }, 'idle-seconds': { type: 'string', default: '20' } } });
const streams = Number(values.streams);
const users = Number(values.users);
const idleSeconds = Number(values['idle-seconds']);
const secret = randomBytes(32).toString('hex');
const port = 18_000 + Math.floor(Math.random() * 1000);

const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const cpuSeconds = (pid) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const token = (sub) => new SignJWT({}).setProtectedHeader({ alg: 'HS256' }).setSubject(sub).setIssuedAt().setExpirationTime('1h').sign(new TextEncoder().encode(secret));

const server = spawn(process.execPath, ['--disable-warning=ExperimentalWarning', 'apps/server/src/main.ts'], {
  env: {
    ...process.env,
    PORT: String(port),
    AUTH_SECRET: secret,
    DATA_DIR: process.env.DATABASE_URL ? '.data/unused' : 'memory',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_MAX: '0',
    EVENTS_MAX_STREAMS: String(streams + 10),
    EVENTS_MAX_STREAMS_PER_USER: String(Math.ceil(streams / users)),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve, reject) => {
  server.stdout.on('data', (chunk) => String(chunk).includes('listening on') && resolve());
  server.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
});
const base = `http://127.0.0.1:${port}`;
const agent = new http.Agent({ keepAlive: false, maxSockets: Infinity });

try {
  await sleep(1_000);
  const rssBefore = rssMb(server.pid);
  const tokens = await Promise.all(Array.from({ length: users }, (_, u) => token(`bench-user-${u}`)));
  const opened = [];
  const changesSeen = new Map();
  const started = performance.now();
  for (let i = 0; i < streams; i++) {
    const user = i % users;
    opened.push(
      new Promise((resolve, reject) => {
        const request = http.get(`${base}/api/tasks/events`, { agent, headers: { authorization: `Bearer ${tokens[user]}` } }, (response) => {
          if (response.statusCode !== 200) return reject(new Error(`stream ${i}: ${response.statusCode}`));
          response.setEncoding('utf8');
          response.on('data', (text) => {
            if (text.includes('event: change')) changesSeen.set(i, performance.now());
          });
          resolve({ request, response });
        });
        request.on('error', reject);
      }),
    );
    if (i % 100 === 99) await Promise.all(opened.slice(-100));
  }
  const connections = await Promise.all(opened);
  const openMs = performance.now() - started;
  await sleep(2_000);
  const rssOpen = rssMb(server.pid);
  const cpuStart = cpuSeconds(server.pid);
  await sleep(idleSeconds * 1_000);
  const idleCpu = ((cpuSeconds(server.pid) - cpuStart) / idleSeconds) * 100;

  // One change for user 0: every one of its streams hears it.
  const sent = performance.now();
  const created = await fetch(`${base}/api/tasks`, { method: 'POST', headers: { authorization: `Bearer ${tokens[0]}`, 'content-type': 'application/json' }, body: '{"title":"bench"}' });
  if (created.status !== 201) throw new Error(`create: ${created.status}`);
  const mine = Array.from({ length: streams }, (_, i) => i).filter((i) => i % users === 0);
  while (mine.some((i) => !changesSeen.has(i)) && performance.now() - sent < 10_000) await sleep(5);
  const fanOut = Math.max(...mine.map((i) => (changesSeen.get(i) ?? Infinity) - sent));
  const others = [...changesSeen.keys()].filter((i) => i % users !== 0).length;

  console.log(`streams open: ${connections.length} (${users} users) in ${openMs.toFixed(0)} ms`);
  console.log(`server RSS: ${rssBefore.toFixed(1)} MB before, ${rssOpen.toFixed(1)} MB with them open (${(((rssOpen - rssBefore) * 1024) / streams).toFixed(1)} KB per stream)`);
  console.log(`server CPU while idle (heartbeats only) over ${idleSeconds} s: ${idleCpu.toFixed(2)} % of one core`);
  console.log(`one change → all ${mine.length} of its user's streams: ${fanOut.toFixed(1)} ms; other users' streams that got it: ${others}`);
  for (const { request } of connections) request.destroy();
} finally {
  server.kill('SIGTERM');
  await new Promise((resolve) => server.once('exit', resolve));
}
