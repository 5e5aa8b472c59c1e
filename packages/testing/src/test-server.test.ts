// The harness's two modes: listening on a socket, and answering through inject() with nothing
// listening. Either way every response is inspected and every statement recorded.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createContractFetch } from './contract-fetch.ts';
import { createInjectFetch, INJECT_ORIGIN } from './inject-fetch.ts';
import { findLogSecrets, startTestServer, type TestServer } from './test-server.ts';

describe('startTestServer({ listen: false })', () => {
  let t: TestServer;
  beforeAll(async () => {
    t = await startTestServer({ listen: false, logLevel: 'info' });
  });
  afterAll(async () => {
    await t?.close();
  });

  it('opens no socket, and says so when a test asks for its URL', () => {
    expect(t.listening).toBe(false);
    expect(t.server.app.server.listening).toBe(false);
    expect(() => t.url).toThrow(/does not listen/);
    expect(() => t.trpcUrl).toThrow(/does not listen/);
  });

  it('answers fetch, fetchAs and the typed client through inject(), and inspects what it sends', async () => {
    const client = t.clientFor('injected');
    const created = await client.tasks.create.mutate({ title: 'through inject' });
    expect(created.createdAt).toBeInstanceOf(Date);
    const listed = await t.fetchAs('injected', '/api/tasks');
    expect(listed.status).toBe(200);
    expect(((await listed.json()) as { items: { id: number }[] }).items.map((task) => task.id)).toEqual([created.id]);
    const checked = t.documentChecked();
    const unauthorized = await t.fetch('/api/tasks');
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('www-authenticate')).toBe('Bearer');
    expect(t.documentChecked()).toBe(checked + 1);
    expect(t.inspectedErrors()).toBeGreaterThan(0);
  });

  it('records the statements the server runs and keeps its log lines', async () => {
    const before = t.statements.length;
    await t.fetchAs('counted', '/api/tasks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: 'one' }) });
    const ran = t.statements.slice(before);
    expect(ran.some((s) => s.kind === 'InsertQueryNode' && s.tables.includes('tasks'))).toBe(true);
    expect(t.logs.some((line) => line.msg === 'request' && line['route'] === '/api/tasks' && line['status'] === 201)).toBe(true);
  });
});

describe('the injected fetch', () => {
  let t: TestServer;
  let injected: typeof fetch;
  beforeAll(async () => {
    t = await startTestServer({ listen: false });
    injected = createInjectFetch(t.server.app);
  });
  afterAll(async () => {
    await t?.close();
  });

  it('sends string, byte and form bodies, and takes a path or a URL on its own origin', async () => {
    const token = await t.tokenFor('bodies');
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const asText = await injected('/api/tasks', { method: 'POST', headers, body: JSON.stringify({ title: 'text' }) });
    const asBytes = await injected(new URL('/api/tasks', INJECT_ORIGIN), { method: 'POST', headers, body: new TextEncoder().encode(JSON.stringify({ title: 'bytes' })) });
    expect([asText.status, asBytes.status]).toEqual([201, 201]);
    expect(asText.headers.get('location')).toMatch(/^\/api\/tasks\/\d+$/);
    const asForm = await injected('/api/tasks', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: new URLSearchParams({ title: 'form' }) });
    expect(asForm.status).toBe(415);
  });

  it('gives a 204 and a HEAD no body', async () => {
    const token = await t.tokenFor('bodiless');
    const headers = { authorization: `Bearer ${token}` };
    const created = await injected('/api/tasks', { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: '{"title":"x"}' });
    const { id } = (await created.json()) as { id: number };
    const head = await injected(`/api/tasks/${id}`, { method: 'HEAD', headers });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const deleted = await injected(`/api/tasks/${id}`, { method: 'DELETE', headers });
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBeNull();
  });

  it('takes a Request, as openapi-fetch sends one', async () => {
    const token = await t.tokenFor('requested');
    const request = new Request(`${INJECT_ORIGIN}/api/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ title: 'from a Request' }),
    });
    const response = await injected(request);
    expect(response.status).toBe(201);
    expect(await response.json()).toMatchObject({ title: 'from a Request' });
    expect((await injected(new Request(`${INJECT_ORIGIN}/healthz`))).status).toBe(200);
  });

  it('refuses what it cannot send: another origin, a streamed body', async () => {
    await expect(injected('http://127.0.0.1:1/healthz')).rejects.toThrow(/cannot reach/);
    await expect(injected('/healthz', { method: 'POST', body: ReadableStream.from(['x']), duplex: 'half' } as RequestInit)).rejects.toThrow(/listen: true/);
  });
});

describe('startTestServer() (listening)', () => {
  it('listens on a free loopback port, and t.fetch goes over it', async () => {
    const t = await startTestServer();
    try {
      expect(t.listening).toBe(true);
      expect(t.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(t.trpcUrl).toBe(`${t.url}/trpc`);
      const response = await t.fetch('/healthz');
      expect(response.status).toBe(200);
      expect(t.server.app.server.listening).toBe(true);
    } finally {
      await t.close();
    }
  });
});

describe('the contract fetch over inject()', () => {
  it("checks a non-listening server's answers against its document", async () => {
    const t = await startTestServer({ listen: false });
    try {
      const openapi = (await (await t.fetch('/openapi.json')).json()) as object;
      const contractFetch = createContractFetch(openapi, t.fetch);
      const token = await t.tokenFor('contract');
      const response = await contractFetch('/api/tasks', { headers: { authorization: `Bearer ${token}` } });
      expect(response.status).toBe(200);
      expect(contractFetch.checked()).toBe(1);
    } finally {
      await t.close();
    }
  });
});

describe('log secrets', () => {
  it('close() fails when a log line carried a token, whatever the log level asked for', async () => {
    const t = await startTestServer({ listen: false });
    t.server.app.log.warn({ header: `Bearer ${await t.tokenFor('leaky')}` }, 'a careless line');
    await expect(t.close()).rejects.toThrow(/log lines carried secrets:\na JWT/);
  });

  it('finds hashes, password fields and Authorization headers, and passes the access lines', () => {
    expect(findLogSecrets('{"hash":"$argon2id$v=19$m=19456"}')).toHaveLength(1);
    expect(findLogSecrets('{"body":{"password":"x"}}')).toHaveLength(1);
    expect(findLogSecrets('{"req":{"headers":{"authorization":"Bearer x"}}}')).toHaveLength(1);
    expect(findLogSecrets('{"method":"GET","route":"/api/tasks","path":"/api/tasks","status":200,"msg":"request"}')).toEqual([]);
  });
});
