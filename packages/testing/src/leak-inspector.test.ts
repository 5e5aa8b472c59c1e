import { describe, expect, it } from 'vitest';
import { startTestServer } from './test-server.ts';
import { findLeaks } from './leak-inspector.ts';

describe('findLeaks', () => {
  it.each([
    ['stack frame', '{"message":"boom","x":"    at Object.<anonymous> (/app/src/x.ts:10:5)"}'],
    ['stack property', '{"error":{"stack":"Error: x"}}'],
    ['SQL statement', '{"message":"select id from tasks where user_id = $1"}'],
    ['SQLSTATE or driver text', '{"message":"new row for relation \\"tasks\\" violates check constraint"}'],
    ['constraint name', '{"message":"tasks_title_not_blank"}'],
    ['driver module', '{"message":"/srv/node_modules/pg-protocol/dist/parser.js"}'],
    ['password hash', '{"user":{"password_hash":"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaA"}}'],
  ])('finds a %s', (kind, body) => {
    expect(findLeaks(body)).toContain(kind);
  });

  it('passes the error bodies the API sends', () => {
    expect(findLeaks('{"code":"BAD_REQUEST","message":"title: Title is required","issues":[{"path":"title","message":"Title is required"}]}')).toEqual([]);
    expect(findLeaks('{"detail":{"error":"Task not found"}}')).toEqual([]);
  });
});

describe('the harness inspects every error response', () => {
  it('counts the error responses it checked', async () => {
    const t = await startTestServer({ listen: false });
    try {
      await t.fetchAs(null, '/trpc/tasks.list');
      await t.fetchAs('u', '/trpc/tasks.get?input=' + encodeURIComponent(JSON.stringify({ json: { id: 'x' } })));
      expect(t.inspectedErrors()).toBe(2);
      expect(t.leaks).toEqual([]);
      // Responses on documented routes are also checked against /openapi.json.
      const before = t.documentChecked();
      await t.fetchAs('u', '/api/tasks');
      await t.fetchAs('u', '/api/u/tasks');
      await t.fetchAs('u', '/trpc/tasks.list');
      expect(t.documentChecked() - before).toBe(2);
      expect(t.documentMismatches).toEqual([]);
    } finally {
      await t.close();
    }
  });
});
