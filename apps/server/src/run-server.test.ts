// The process's life in-process (shutdown.test.ts drives the real process with real signals):
// configuration errors, the development secret and token, start-up failures, and shutdown.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer as createNetServer, connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { initPgliteDataDir } from '@tasks/db';
import { createPostgresDatabase } from '@tasks/testing/database';
import { signTestToken } from '@tasks/testing/tokens';
import { afterEach, describe, expect, it } from 'vitest';
import { runServer, type ProcessPorts } from './run-server.ts';

const SECRET = 'run-server-test-secret-0123456789abcdef';

/** A process as runServer sees one: what it printed, the exit codes it asked for, its signal handlers. */
function fakeProcess(env: Record<string, string>) {
  const out: string[] = [];
  const err: string[] = [];
  const exits: number[] = [];
  const handlers = new Map<string, () => void>();
  let exited: (code: number) => void = () => {};
  const firstExit = new Promise<number>((resolve) => (exited = resolve));
  const ports: ProcessPorts = {
    env: { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'silent', DATA_DIR: 'memory', ...env },
    stdout: { write: (text: string) => out.push(text) },
    stderr: { write: (text: string) => err.push(text) },
    exit: (code) => {
      exits.push(code);
      exited(code);
    },
    onSignal: (signal, handler) => handlers.set(signal, handler),
  };
  return { ports, out, err, exits, firstExit, signal: (name: 'SIGTERM' | 'SIGINT') => handlers.get(name)!() };
}

const stopAfter: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const stop of stopAfter.splice(0).reverse()) await stop().catch(() => {});
});

const listeningPort = (banner: string) => Number(/listening on http:\/\/127\.0\.0\.1:(\d+)/.exec(banner)?.[1]);

describe('runServer', () => {
  it('names the bad variable and exits 1 on a configuration error, before starting anything', async () => {
    const proc = fakeProcess({ PORT: 'eighty', AUTH_SECRET: SECRET });
    expect(await runServer(proc.ports)).toBeUndefined();
    expect(proc.exits).toEqual([1]);
    expect(proc.err.join('')).toMatch(/\bPORT\b/);
    expect(proc.out).toEqual([]);
  });

  it('refuses production without AUTH_SECRET or AUTH_JWKS_URL', async () => {
    const proc = fakeProcess({ NODE_ENV: 'production' });
    expect(await runServer(proc.ports)).toBeUndefined();
    expect(proc.exits).toEqual([1]);
    expect(proc.err.join('')).toMatch(/\bAUTH_SECRET\b/);
  });

  it('says why and exits 1 when it cannot listen', async () => {
    const taken = createNetServer();
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve));
    try {
      const proc = fakeProcess({ AUTH_SECRET: SECRET, PORT: String((taken.address() as AddressInfo).port) });
      expect(await runServer(proc.ports)).toBeUndefined();
      expect(proc.exits).toEqual([1]);
      expect(proc.err.join('')).toMatch(/^Failed to start: .*EADDRINUSE/);
    } finally {
      await new Promise((resolve) => taken.close(resolve));
    }
  });

  it('prints where it listens and which database it uses, and stops with exit 0 on SIGTERM', async () => {
    const proc = fakeProcess({ AUTH_SECRET: SECRET });
    const server = await runServer(proc.ports);
    expect(server).toBeDefined();
    const banner = proc.out.join('');
    expect(banner).toMatch(/Tasks API listening on http:\/\/127\.0\.0\.1:\d+ \(database: embedded PGlite \(memory\)\)/);
    expect(banner).not.toContain('export TOKEN=');
    const token = await signTestToken({ secret: SECRET, sub: 'banner' });
    const port = listeningPort(banner);
    expect((await fetch(`http://127.0.0.1:${port}/trpc/tasks.list`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);

    proc.signal('SIGTERM');
    expect(await proc.firstExit).toBe(0);
    await expect(fetch(`http://127.0.0.1:${port}/healthz`)).rejects.toThrow();
  });

  it('without auth configuration keeps a development secret beside the data, so the printed token survives a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasks-run-server-'));
    stopAfter.push(async () => rmSync(dir, { recursive: true, force: true }));
    const env = { NODE_ENV: 'development', DATA_DIR: join(dir, 'pglite') };

    const first = fakeProcess(env);
    await runServer(first.ports);
    const token = /export TOKEN=(\S+)/.exec(first.out.join(''))?.[1];
    expect(token).toBeTruthy();
    expect(existsSync(join(dir, 'dev-secret'))).toBe(true);
    first.signal('SIGINT');
    expect(await first.firstExit).toBe(0);

    const second = fakeProcess(env);
    const server = await runServer(second.ports);
    stopAfter.push(() => server!.stop());
    const port = listeningPort(second.out.join(''));
    const response = await fetch(`http://127.0.0.1:${port}/trpc/tasks.list`, { headers: { authorization: `Bearer ${token}` } });
    expect(response.status).toBe(200);
    expect(readFileSync(join(dir, 'dev-secret'), 'utf8')).toHaveLength(43);
  });

  it('readies an embedded DATA_DIR before opening it and says when it created the database there', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tasks-run-server-'));
    stopAfter.push(async () => rmSync(dir, { recursive: true, force: true }));
    const dataDir = join(dir, 'pglite');
    const prepared: string[] = [];
    const prepareDataDir = async (given: string) => {
      prepared.push(given);
      const fresh = !existsSync(join(given, 'PG_VERSION'));
      await initPgliteDataDir(given);
      return fresh;
    };

    const first = fakeProcess({ AUTH_SECRET: SECRET, DATA_DIR: dataDir });
    const server = await runServer({ ...first.ports, prepareDataDir });
    expect(prepared).toEqual([dataDir]);
    expect(first.out.join('')).toContain(`created a new embedded database in ${dataDir}`);
    expect(existsSync(join(dataDir, 'PG_VERSION'))).toBe(true);
    await server!.stop();

    const second = fakeProcess({ AUTH_SECRET: SECRET, DATA_DIR: dataDir });
    const again = await runServer({ ...second.ports, prepareDataDir });
    stopAfter.push(() => again!.stop());
    expect(prepared).toEqual([dataDir, dataDir]);
    expect(second.out.join('')).not.toContain('created a new embedded database');
  });

  it('exits 1 and says why when the data directory cannot be readied', async () => {
    const proc = fakeProcess({ AUTH_SECRET: SECRET, DATA_DIR: join(tmpdir(), 'tasks-never-created', 'pglite') });
    const prepareDataDir = () => Promise.reject(new Error('initializing the embedded database failed (exit code 3)'));
    expect(await runServer({ ...proc.ports, prepareDataDir })).toBeUndefined();
    expect(proc.exits).toEqual([1]);
    expect(proc.err.join('')).toBe('Failed to start: initializing the embedded database failed (exit code 3)\n');
    expect(proc.out).toEqual([]);
  });

  // A pg pool can fail to close; PGlite's close never fails. PostgreSQL only.
  it.skipIf(!process.env.TEST_DATABASE_URL)('exits 1 when shutting down fails (PostgreSQL)', async () => {
    const created = await createPostgresDatabase(process.env.TEST_DATABASE_URL!);
    stopAfter.push(() => created.drop());
    const proc = fakeProcess({ AUTH_SECRET: SECRET, DATABASE_URL: created.url });
    const server = await runServer(proc.ports);
    expect(proc.out.join('')).toContain('(database: PostgreSQL)');
    // Ended under the server, the pool refuses to end a second time when the server stops.
    await server!.db.pool!.end();
    proc.signal('SIGTERM');
    expect(await proc.firstExit).toBe(1);
  });

  it('a second signal exits 1 at once, while a request is still in flight', async () => {
    const proc = fakeProcess({ AUTH_SECRET: SECRET });
    const server = await runServer(proc.ports);
    stopAfter.push(() => server!.app.close());
    const port = listeningPort(proc.out.join(''));
    // A request whose body never arrives keeps the first shutdown waiting.
    const socket = connect(port, '127.0.0.1');
    stopAfter.push(async () => void socket.destroy());
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('POST /trpc/tasks.create HTTP/1.1\r\nhost: x\r\ncontent-type: application/json\r\ncontent-length: 100\r\n\r\n{');
    await new Promise((resolve) => setTimeout(resolve, 100));

    proc.signal('SIGTERM');
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(proc.exits).toEqual([]);
    proc.signal('SIGTERM');
    expect(proc.exits).toEqual([1]);
  });
});

describe('runServer and the web app', () => {
  it('serves a built app at / and names it in the banner', async () => {
    const webRoot = mkdtempSync(join(tmpdir(), 'run-server-web-'));
    stopAfter.push(async () => rmSync(webRoot, { recursive: true, force: true }));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><title>the app</title>');
    const proc = fakeProcess({ AUTH_SECRET: SECRET });
    const server = await runServer({ ...proc.ports, webRoot });
    stopAfter.push(() => server!.stop());
    const port = listeningPort(proc.out.join(''));
    expect(proc.out.join('')).toContain(`app: http://127.0.0.1:${port}/`);
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toContain('the app');
  });

  it('without a build it says so and serves the API alone', async () => {
    const proc = fakeProcess({ AUTH_SECRET: SECRET });
    const server = await runServer({ ...proc.ports, webRoot: join(tmpdir(), 'no-such-web-build') });
    stopAfter.push(() => server!.stop());
    expect(proc.err.join('')).toContain('No web app at');
    expect(proc.out.join('')).not.toContain('app: ');
    const port = listeningPort(proc.out.join(''));
    expect((await fetch(`http://127.0.0.1:${port}/`)).status).toBe(404);
    expect((await fetch(`http://127.0.0.1:${port}/healthz`)).status).toBe(200);
  });
});
