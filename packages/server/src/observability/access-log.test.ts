// The access log: one line per request with what an operator needs, and nothing a client sent.
import { startTestServer } from '@tasks/testing';
import { expect, it } from 'vitest';

it('writes one line per request: method, route template, path, status, duration, request id, user id; no query string', async () => {
  const t = await startTestServer({ listen: false, logLevel: 'info' });
  try {
    await t.fetchAs('logged-user', '/api/tasks/12345?token=query-secret-0b1d', { headers: { 'x-request-id': 'req-access-1' } });
    await t.fetch('/trpc/tasks.list?input=%7B%7D', { headers: { 'x-request-id': 'req-access-2' } });
    await t.fetch('/nowhere?x=1', { headers: { 'x-request-id': 'req-access-3' } });
    const lines = t.logs.filter((line) => typeof line['reqId'] === 'string' && String(line['reqId']).startsWith('req-access-'));
    expect(lines).toHaveLength(3);
    expect(lines.map((l) => [l.msg, l['method'], l['route'], l['path'], l['status'], l['userId'], l['reqId']])).toEqual([
      // An unknown query parameter is a 400 that names it; the line still carries neither its name nor its value.
      ['request', 'GET', '/api/tasks/:id', '/api/tasks/12345', 400, 'logged-user', 'req-access-1'],
      ['request', 'GET', '/trpc/tasks.list', '/trpc/tasks.list', 401, undefined, 'req-access-2'],
      ['request', 'GET', 'unmatched', '/nowhere', 404, undefined, 'req-access-3'],
    ]);
    for (const line of lines) expect(line['durationMs']).toBeGreaterThan(0);
    expect(JSON.stringify(t.logs)).not.toContain('query-secret-0b1d');
  } finally {
    await t.close();
  }
});
