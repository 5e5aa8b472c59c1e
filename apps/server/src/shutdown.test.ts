// SIGTERM against the real process: in-flight requests finish, new connections are refused, exit 0.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { signTestToken } from '@tasks/testing/tokens';
import { afterEach, describe, expect, it } from 'vitest';

const main = join(dirname(fileURLToPath(import.meta.url)), 'main.ts');
const SECRET = 'shutdown-test-secret-0123456789abcdef';
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

async function startProcess(): Promise<{ port: number; exited: Promise<number | null> }> {
  child = spawn(process.execPath, [main], {
    // A long idle grace: on a loaded machine the test's next request may come a second after SIGTERM.
    env: { ...process.env, SHUTDOWN_IDLE_GRACE_MS: '10000', PORT: '0', HOST: '127.0.0.1', DATA_DIR: 'memory', DATABASE_URL: '', AUTH_SECRET: SECRET, LOG_LEVEL: 'warn', RATE_LIMIT_MAX: '0' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child!.on('exit', (code) => resolve(code)));
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    let err = '';
    child!.stdout!.on('data', (chunk) => {
      out += chunk;
      const match = /listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(out);
      if (match) resolve(Number(match[1]));
    });
    child!.stderr!.on('data', (chunk) => (err += chunk));
    child!.on('exit', (code) => reject(new Error(`server exited (${code}) before listening: ${out}${err}`)));
  });
  return { port, exited };
}

/** Starts a POST whose body arrives in two parts, so the request is in flight until finish() is called. */
async function slowCreate(port: number, title: string) {
  const token = await signTestToken({ secret: SECRET, sub: 'slow' });
  const body = JSON.stringify({ json: { title } });
  const socket: Socket = connect(port, '127.0.0.1');
  let response = '';
  socket.on('data', (chunk) => (response += chunk));
  const closed = new Promise<string>((resolve) => socket.on('close', () => resolve(response)));
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(
    `POST /trpc/tasks.create HTTP/1.1\r\nhost: 127.0.0.1\r\nauthorization: Bearer ${token}\r\n` +
      `content-type: application/json\r\ncontent-length: ${Buffer.byteLength(body)}\r\nconnection: close\r\n\r\n` +
      body.slice(0, 10),
  );
  return { finish: () => socket.write(body.slice(10)), response: closed };
}

const canConnect = (port: number) =>
  new Promise<boolean>((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A keep-alive socket sending one request at a time; resolves each response's head once it is complete. */
async function keepAliveSocket(port: number) {
  const socket: Socket = connect(port, '127.0.0.1');
  await new Promise((resolve) => socket.once('connect', resolve));
  let buffered = '';
  let waiting: ((text: string) => void) | undefined;
  const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
  socket.on('data', (chunk) => {
    buffered += chunk;
    const head = buffered.indexOf('\r\n\r\n');
    const length = /content-length: (\d+)/i.exec(buffered)?.[1];
    if (head !== -1 && length !== undefined && buffered.length >= head + 4 + Number(length)) {
      const text = buffered;
      buffered = '';
      waiting?.(text);
    }
  });
  return {
    closed,
    get(path: string): Promise<string> {
      return new Promise((resolve) => {
        waiting = resolve;
        socket.write(`GET ${path} HTTP/1.1\r\nhost: 127.0.0.1\r\n\r\n`);
      });
    },
  };
}

describe('graceful shutdown', () => {
  it('on SIGTERM answers requests on open keep-alive connections with Connection: close, and /readyz 503', async () => {
    const { port, exited } = await startProcess();
    const probe = await keepAliveSocket(port);
    const client = await keepAliveSocket(port);
    expect(await probe.get('/readyz')).toMatch(/^HTTP\/1\.1 200[^]*connection: keep-alive/i);
    expect(await client.get('/healthz')).toMatch(/^HTTP\/1\.1 200/);

    child!.kill('SIGTERM');
    await pause(200);
    expect(await canConnect(port)).toBe(false);
    const readiness = await probe.get('/readyz');
    expect(readiness).toMatch(/^HTTP\/1\.1 503/);
    expect(readiness).toMatch(/connection: close/i);
    const answered = await client.get('/healthz');
    expect(answered).toMatch(/^HTTP\/1\.1 200/);
    expect(answered).toMatch(/connection: close/i);
    await Promise.all([probe.closed, client.closed]);
    expect(await exited).toBe(0);
  });

  it('on SIGTERM lets the in-flight request finish, refuses new connections, and exits 0', async () => {
    const { port, exited } = await startProcess();
    const slow = await slowCreate(port, 'finished during shutdown');
    await pause(200);
    child!.kill('SIGTERM');
    await pause(300);
    expect(await canConnect(port)).toBe(false);

    slow.finish();
    const response = await slow.response;
    expect(response).toMatch(/^HTTP\/1\.1 200/);
    expect(response).toContain('finished during shutdown');
    expect(await exited).toBe(0);
  });

  it('a second signal exits at once without waiting for in-flight requests', async () => {
    const { port, exited } = await startProcess();
    const slow = await slowCreate(port, 'never finished');
    await pause(200);
    child!.kill('SIGTERM');
    await pause(200);
    child!.kill('SIGTERM');
    const code = await Promise.race([exited, pause(5_000).then(() => 'still running')]);
    expect(code).toBe(1);
    slow.finish();
    expect(await slow.response).not.toMatch(/^HTTP\/1\.1 200/);
  });
});
