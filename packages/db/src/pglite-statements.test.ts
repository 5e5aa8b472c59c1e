import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDb } from './create-db.ts';
import { statementName } from './pg-client.ts';
import { runByName } from './pglite-statements.ts';

// Two databases: one left as PGlite made it (the reference), one whose statements run by name.
let stock: PGlite;
let named: PGlite;
const notified: Array<[string, string]> = [];
const notify = (channel: string, payload: string) => notified.push([channel, payload]);

beforeAll(async () => {
  stock = await PGlite.create();
  const db = await PGlite.create();
  named = runByName(db, db, false, notify);
  for (const db of [stock, named]) await db.exec('create table notes (id int primary key, body text not null)');
});

afterAll(async () => {
  await stock.close();
  await named.close();
});

const typed = `select $1::int as n, $2::text as t, $3::timestamptz as at, $4::text[] as tags, $5::jsonb as doc,
                      $6::boolean as flag, $7::int as absent, $8::date as day
               from generate_series(1, 2) as g`;
const typedValues = [7, 'seven', new Date('2026-01-15T09:30:00.123Z'), ['a', 'b,c'], { k: [1, 'x'] }, false, null, '2026-03-04'];

/** The statements `named` holds by name, with how often each ran. */
async function preparedOnServer() {
  const { rows } = await named.query<{ name: string; runs: number }>(
    'select name, (generic_plans + custom_plans)::int as runs from pg_prepared_statements order by name',
  );
  return rows;
}

describe('named statements on PGlite', () => {
  it('answers as PGlite does: rows, fields and the parsed values of every type', async () => {
    const reference = await stock.query(typed, typedValues);
    for (let run = 0; run < 3; run++) {
      const answer = await named.query(typed, typedValues);
      expect(answer.rows).toEqual(reference.rows);
      expect(answer.fields).toEqual(reference.fields);
    }
    expect(reference.rows[0]).toMatchObject({ n: 7, at: new Date('2026-01-15T09:30:00.123Z'), tags: ['a', 'b,c'], flag: false, absent: null });
  });

  it('parses a statement once and binds it at every later run', async () => {
    const text = 'select body from notes where id = $1';
    for (let run = 0; run < 4; run++) await named.query(text, [run]);
    expect(await preparedOnServer()).toContainEqual({ name: statementName(text), runs: 4 });
  });

  it('counts the rows a write touched, as PGlite does', async () => {
    const insert = 'insert into notes (id, body) values ($1, $2), ($3, $4)';
    const reference = await stock.query(insert, [1, 'one', 2, 'two']);
    const answer = await named.query(insert, [1, 'one', 2, 'two']);
    expect(answer.affectedRows).toBe(2);
    expect(answer.affectedRows).toBe(reference.affectedRows);
    await stock.query('delete from notes where id = any($1)', [[1, 2]]);
    expect((await named.query('delete from notes where id = any($1)', [[1, 2]])).affectedRows).toBe(2);
  });

  it('throws PostgreSQL’s error with the statement and its values, and the next statement runs', async () => {
    const text = 'select $1::int + 1 as next';
    const failure = await named.query(text, ['not a number']).catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: '22P02', query: text, params: ['not a number'] });
    expect((await named.query<{ next: number }>(text, [41])).rows).toEqual([{ next: 42 }]);

    const broken = 'select from where $1';
    await expect(named.query(broken, [1])).rejects.toMatchObject({ code: '42601', query: broken });
    await expect(named.query(broken, [1])).rejects.toMatchObject({ code: '42601' });
    expect((await preparedOnServer()).map((row) => row.name)).not.toContain(statementName(broken));
  });

  it('waits for an open transaction instead of running inside it', async () => {
    let outside: Promise<unknown> | undefined;
    await named
      .transaction(async (tx) => {
        await tx.query('insert into notes (id, body) values ($1, $2)', [10, 'uncommitted']);
        outside = named.query('select count(*)::int as n from notes where id = $1', [10]);
        // Give the outside statement every chance to slip in before the rollback.
        await new Promise((resolve) => setTimeout(resolve, 20));
        throw new Error('roll back');
      })
      .catch(() => undefined);
    expect(((await outside) as { rows: unknown[] }).rows).toEqual([{ n: 0 }]);
  });

  it('runs a transaction’s statements by name, and they roll back with it', async () => {
    const text = 'insert into notes (id, body) values ($1, $2)';
    await named
      .transaction(async (tx) => {
        const byName = runByName(named, tx, true, notify);
        await byName.query(text, [20, 'a']);
        await byName.query(text, [21, 'b']);
        const failure = await byName.query(text, [20, 'again']).catch((error: unknown) => error);
        expect(failure).toMatchObject({ code: '23505' });
        // The transaction is aborted, as it would be with PGlite's own path.
        await expect(byName.query('select $1::int', [1])).rejects.toMatchObject({ code: '25P02' });
      })
      .catch(() => undefined);
    expect((await named.query('select count(*)::int as n from notes where id >= $1', [20])).rows).toEqual([{ n: 0 }]);
    expect((await preparedOnServer()).map((row) => row.name)).toContain(statementName(text));
  });

  it('hands on the notifications a statement’s answer carried', async () => {
    await named.exec('LISTEN "news"');
    const { rows } = await named.query('select pg_notify($1, $2) as sent, $3::int as n', ['news', 'hello', 5]);
    expect(rows).toEqual([{ sent: '', n: 5 }]);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(notified).toEqual([['news', 'hello']]);
  });

  it('leaves statements without parameters to PGlite', async () => {
    expect((await named.query('select 1 as one')).rows).toEqual([{ one: 1 }]);
    expect((await preparedOnServer()).map((row) => row.name)).not.toContain(statementName('select 1 as one'));
  });
});

describe('LISTEN on an embedded database', () => {
  it('hears notifications whichever parser read them, until the last listener leaves', async () => {
    const handle = createDb({ dataDir: 'memory' });
    try {
      const first: string[] = [];
      const second: string[] = [];
      const [leaveFirst, leaveSecond] = await Promise.all([
        handle.listen!('ch', (payload) => first.push(payload)),
        handle.listen!('ch', (payload) => second.push(payload)),
      ]);
      const settle = () => new Promise((resolve) => setTimeout(resolve, 10));
      // With a parameter (runByName and pg-protocol's parser), then without (PGlite's own).
      await sql`select pg_notify(${'ch'}, ${'by name'})`.execute(handle.db);
      await sql`notify ch, 'plain'`.execute(handle.db);
      await settle();
      expect(first).toEqual(['by name', 'plain']);
      expect(second).toEqual(['by name', 'plain']);

      await leaveFirst();
      await sql`select pg_notify(${'ch'}, ${'one left'})`.execute(handle.db);
      await settle();
      expect(first).toEqual(['by name', 'plain']);
      expect(second).toEqual(['by name', 'plain', 'one left']);

      await leaveSecond();
      await leaveSecond();
      await sql`notify ch, 'nobody'`.execute(handle.db);
      await settle();
      expect(second).toEqual(['by name', 'plain', 'one left']);
    } finally {
      await handle.db.destroy();
    }
  });
});
