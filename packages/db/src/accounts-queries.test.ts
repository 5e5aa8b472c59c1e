import { randomUUID } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAccount, findAccountByEmail, replacePasswordHash } from './accounts-queries.ts';
import { createTask } from './tasks-queries.ts';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
});
afterAll(async () => {
  await t?.destroy();
});

const account = (email: string) => ({ id: randomUUID(), email, name: 'Alice', passwordHash: '$argon2id$v=19$m=19456,t=2,p=1$c2FsdA$aGFzaA' });

describe('account queries', () => {
  it('creates an account and finds it by its email', async () => {
    const created = await createAccount(t.db, account('alice@example.com'));
    expect(created).toMatchObject({ email: 'alice@example.com', name: 'Alice' });
    expect(await findAccountByEmail(t.db, 'alice@example.com')).toEqual(created);
    expect(await findAccountByEmail(t.db, 'nobody@example.com')).toBeUndefined();
  });

  it('answers undefined for an email already registered, and keeps the first account', async () => {
    const first = await createAccount(t.db, account('taken@example.com'));
    expect(await createAccount(t.db, { ...account('taken@example.com'), name: 'Mallory' })).toBeUndefined();
    expect(await findAccountByEmail(t.db, 'taken@example.com')).toEqual(first);
  });

  it('lets only one of two racing sign-ups for one email through', async () => {
    const results = await Promise.all([createAccount(t.db, account('race@example.com')), createAccount(t.db, account('race@example.com'))]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('refuses an email that is not lower-cased (the table keeps the rule too)', async () => {
    await expect(createAccount(t.db, account('Upper@Example.com'))).rejects.toMatchObject({ code: '23514' });
  });

  it('leaves users who came with external tokens without email or password, any number of them', async () => {
    await createTask(t.db, 'auth0|external-1', { title: 'first write makes the row' });
    await createTask(t.db, 'auth0|external-2', { title: 'so does this one' });
    const rows = await t.db.selectFrom('users').selectAll().where('id', 'like', 'auth0|external-%').execute();
    expect(rows.map((r) => [r.email, r.name, r.password_hash])).toEqual([
      [null, null, null],
      [null, null, null],
    ]);
  });

  it('replaces a hash only while it is still the one that was verified', async () => {
    const created = (await createAccount(t.db, account('upgrade@example.com')))!;
    expect(await replacePasswordHash(t.db, created.id, { from: created.passwordHash!, to: '$argon2id$new' })).toBe(true);
    expect(await replacePasswordHash(t.db, created.id, { from: created.passwordHash!, to: '$argon2id$other' })).toBe(false);
    expect((await findAccountByEmail(t.db, 'upgrade@example.com'))?.passwordHash).toBe('$argon2id$new');
  });
});
