import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CallbackQueryClient } from './pg-client.ts';
import { pgTypes } from './timestamp-parser.ts';

const url = process.env.TEST_DATABASE_URL;

const sql = `select $1::int as n, $2::text as t, $3::timestamptz as at, $4::text[] as tags, null::int as nothing
             from generate_series(1, 3) as g`;
const values = [7, 'seven', new Date('2026-01-15T09:30:00.123Z'), ['a', 'b,c']];

/** What a client answers, without the per-connection parts (field descriptions keep their OIDs). */
const answer = (result: pg.QueryResult) => ({
  command: result.command,
  rowCount: result.rowCount,
  rows: result.rows,
  fields: result.fields.map((field) => [field.name, field.dataTypeID]),
});

// No database server in the pglite project: this class is the PostgreSQL pool's client only.
describe.skipIf(!url)('CallbackQueryClient (PostgreSQL)', () => {
  let ours: CallbackQueryClient;
  let theirs: pg.Client;

  beforeAll(async () => {
    ours = new CallbackQueryClient({ connectionString: url, types: pgTypes });
    theirs = new pg.Client({ connectionString: url, types: pgTypes });
    await Promise.all([ours.connect(), theirs.connect()]);
  });
  afterAll(async () => {
    await Promise.all([ours?.end(), theirs?.end()]);
  });

  it('answers query(text, values) as pg does', async () => {
    const [mine, pgs] = await Promise.all([ours.query(sql, values), theirs.query(sql, values)]);
    expect(mine.rows).toHaveLength(3);
    expect(mine.rows[0].at).toBeInstanceOf(Date);
    expect(answer(mine)).toEqual(answer(pgs));
  });

  it('answers query(text) without values, and a statement with no rows', async () => {
    expect(answer(await ours.query('select 1 as one'))).toEqual(answer(await theirs.query('select 1 as one')));
    const created = await ours.query('create temporary table pg_client_probe (id int)');
    expect(created.command).toBe('CREATE');
    expect(created.rows).toEqual([]);
  });

  it('rejects with the server error pg gives, and stays usable', async () => {
    const mine = await ours.query('select $1::int', ['not a number']).catch((error: unknown) => error);
    const pgs = await theirs.query('select $1::int', ['not a number']).catch((error: unknown) => error);
    expect(mine).toBeInstanceOf(Error);
    expect(mine).toMatchObject({ code: '22P02', message: (pgs as Error).message });
    expect((await ours.query('select 2 as two')).rows).toEqual([{ two: 2 }]);
  });

  it('leaves the other forms to pg: config objects, row mode, callbacks', async () => {
    const config = await ours.query({ text: 'select $1::int as n', values: [3] });
    expect(config.rows).toEqual([{ n: 3 }]);
    const arrays = await ours.query({ text: 'select 1 as a, 2 as b', rowMode: 'array' });
    expect(arrays.rows).toEqual([[1, 2]]);
    const viaCallback = await new Promise<pg.QueryResult>((resolve, reject) => {
      ours.query('select $1::text as t', ['cb'], (error: Error | null, result: pg.QueryResult) => (error ? reject(error) : resolve(result)));
    });
    expect(viaCallback.rows).toEqual([{ t: 'cb' }]);
  });

  it('is the client of the pool createDb opens, under Kysely', async () => {
    const { createDb } = await import('./create-db.ts');
    const { db, pool } = createDb({ url, poolMax: 1 });
    try {
      const client = await pool!.connect();
      expect(client).toBeInstanceOf(CallbackQueryClient);
      client.release();
      const { rows } = await db.executeQuery<{ n: number }>(CompiledQuery.raw('select $1::int as n', [5]));
      expect(rows).toEqual([{ n: 5 }]);
    } finally {
      await db.destroy();
    }
  });
});
