import { CompiledQuery } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_NAMED_STATEMENTS, TasksClient } from './pg-client.ts';
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
describe.skipIf(!url)('TasksClient (PostgreSQL)', () => {
  let ours: TasksClient;
  let unnamed: TasksClient;
  let theirs: pg.Client;

  beforeAll(async () => {
    ours = new TasksClient({ connectionString: url, types: pgTypes });
    theirs = new pg.Client({ connectionString: url, types: pgTypes });
    unnamed = new TasksClient({ connectionString: url, types: pgTypes, preparedStatements: false });
    await Promise.all([ours.connect(), theirs.connect(), unnamed.connect()]);
  });
  afterAll(async () => {
    await Promise.all([ours?.end(), theirs?.end(), unnamed?.end()]);
  });

  /** The statements this connection has prepared on the server, by text. */
  const prepared = async (client: pg.Client) =>
    new Map((await client.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements')).rows.map((r) => [r.statement, r.name]));

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

  it('prepares each parameterized statement once per connection, under a name of its text', async () => {
    const text = 'select $1::int * 2 as twice';
    expect((await ours.query(text, [4])).rows).toEqual([{ twice: 8 }]);
    expect((await ours.query(text, [5])).rows).toEqual([{ twice: 10 }]);
    await ours.query('select $1::int * 3 as thrice', [1]);
    await ours.query('select 4 as four');
    const statements = await prepared(ours);
    expect(statements.get(text)).toMatch(/^tasks_[0-9a-f]{32}$/);
    expect(statements.get('select $1::int * 3 as thrice')).toMatch(/^tasks_/);
    expect(statements.get('select $1::int * 3 as thrice')).not.toBe(statements.get(text));
    expect(statements.has('select 4 as four')).toBe(false);
  });

  it('prepares nothing with preparedStatements: false', async () => {
    expect((await unnamed.query('select $1::int * 2 as twice', [4])).rows).toEqual([{ twice: 8 }]);
    expect(await prepared(unnamed)).toEqual(new Map());
  });

  it('stays usable after a named statement fails to parse or to bind', async () => {
    const syntax = await ours.query('select $1::int frm nowhere', [1]).catch((error: unknown) => error);
    expect(syntax).toMatchObject({ code: '42601' });
    const text = 'select $1::int + 1 as next';
    expect(await ours.query(text, ['x']).catch((error: unknown) => error)).toMatchObject({ code: '22P02' });
    expect((await ours.query(text, [1])).rows).toEqual([{ next: 2 }]);
    expect((await ours.query(text, [2])).rows).toEqual([{ next: 3 }]);
  });

  it(`names at most ${MAX_NAMED_STATEMENTS} distinct statements and runs the rest unnamed`, async () => {
    const client = new TasksClient({ connectionString: url });
    await client.connect();
    try {
      for (let i = 0; i < MAX_NAMED_STATEMENTS + 20; i++) {
        expect((await client.query(`select $1::int + ${i} as n`, [1])).rows).toEqual([{ n: 1 + i }]);
      }
      // The names are process-wide: the tests above took a few of them.
      const size = (await prepared(client)).size;
      expect(size).toBeLessThanOrEqual(MAX_NAMED_STATEMENTS);
      expect(size).toBeGreaterThan(MAX_NAMED_STATEMENTS - 20);
    } finally {
      await client.end();
    }
  });

  it('is the client of the pool createDb opens, under Kysely', async () => {
    const { createDb } = await import('./create-db.ts');
    const { db, pool } = createDb({ url, poolMax: 1 });
    try {
      const client = await pool!.connect();
      expect(client).toBeInstanceOf(TasksClient);
      client.release();
      const { rows } = await db.executeQuery<{ n: number }>(CompiledQuery.raw('select $1::int as n', [5]));
      expect(rows).toEqual([{ n: 5 }]);
    } finally {
      await db.destroy();
    }
  });
});
