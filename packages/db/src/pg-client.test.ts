import { CompiledQuery, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { MAX_NAMED_STATEMENTS, kyselyPool } from './pg-client.ts';
import { pgTypes } from './timestamp-parser.ts';

const url = process.env.TEST_DATABASE_URL;

const sql = `select $1::int as n, $2::text as t, $3::timestamptz as at, $4::text[] as tags, null::int as nothing
             from generate_series(1, 3) as g`;
const values = [7, 'seven', new Date('2026-01-15T09:30:00.123Z'), ['a', 'b,c']];

interface Answer {
  command: string;
  rowCount: number | null;
  rows: unknown[];
  fields?: pg.FieldDef[];
}

/** What a client answers, without the per-connection parts (field descriptions keep their OIDs). */
const answer = ({ command, rowCount, rows, fields }: Answer) => ({
  command,
  rowCount,
  rows,
  fields: fields?.map((field) => [field.name, field.dataTypeID]),
});

/** One connection, checked out through the wrapper (a pool of one, so every checkout is that connection). */
async function wrappedConnection(preparedStatements: boolean) {
  const pool = new pg.Pool({ connectionString: url, types: pgTypes, max: 1 });
  const client = await kyselyPool(pool, { preparedStatements }).connect();
  return {
    pool,
    client,
    async end() {
      client.release();
      await pool.end();
    },
  };
}

type Connection = Awaited<ReturnType<typeof wrappedConnection>>;

/** The statements this connection has prepared on the server, by text. */
async function prepared(client: PostgresPoolClient): Promise<Map<string, string>> {
  const { rows } = await client.query<{ name: string; statement: string }>('select name, statement from pg_prepared_statements', []);
  return new Map(rows.map((r) => [r.statement, r.name]));
}

const failure = (promise: Promise<unknown>) => promise.then(() => undefined, (error: unknown) => error);

// No database server in the pglite project: this wrapper is the PostgreSQL pool's only.
describe.skipIf(!url)('kyselyPool (PostgreSQL)', () => {
  let ours: Connection;
  let unnamed: Connection;
  let theirs: pg.Client;

  beforeAll(async () => {
    theirs = new pg.Client({ connectionString: url, types: pgTypes });
    [ours, unnamed] = await Promise.all([wrappedConnection(true), wrappedConnection(false), theirs.connect()]);
  });
  afterAll(async () => {
    await Promise.all([ours?.end(), unnamed?.end(), theirs?.end()]);
  });

  it('answers query(text, values) as pg does: rows, Dates, arrays, nulls, fields', async () => {
    const [mine, pgs] = await Promise.all([ours.client.query(sql, values), theirs.query(sql, values)]);
    expect(mine.rows).toHaveLength(3);
    expect(mine.rows[0]).toMatchObject({ at: expect.any(Date), tags: ['a', 'b,c'], nothing: null });
    expect(answer(mine)).toEqual(answer(pgs));
    expect(answer(await unnamed.client.query(sql, values))).toEqual(answer(pgs));
  });

  it('answers a statement without parameters, and one with no rows', async () => {
    expect(answer(await ours.client.query('select 1 as one', []))).toEqual(answer(await theirs.query('select 1 as one')));
    const created = await ours.client.query('create temporary table pg_client_probe (id int)', []);
    expect(created).toMatchObject({ command: 'CREATE', rows: [] });
  });

  it('rejects with the server error pg gives, and stays usable', async () => {
    const mine = await failure(ours.client.query('select $1::int', ['not a number']));
    const pgs = await failure(theirs.query('select $1::int', ['not a number']));
    expect(mine).toBeInstanceOf(Error);
    expect(mine).toMatchObject({ code: '22P02', message: (pgs as Error).message });
    expect((await ours.client.query('select 2 as two', [])).rows).toEqual([{ two: 2 }]);
  });

  it('prepares each parameterized statement once per connection, under a name of its text', async () => {
    const text = 'select $1::int * 2 as twice';
    expect((await ours.client.query(text, [4])).rows).toEqual([{ twice: 8 }]);
    expect((await ours.client.query(text, [5])).rows).toEqual([{ twice: 10 }]);
    await ours.client.query('select $1::int * 3 as thrice', [1]);
    await ours.client.query('select 4 as four', []);
    const statements = await prepared(ours.client);
    expect(statements.get(text)).toMatch(/^tasks_[0-9a-f]{32}$/);
    expect(statements.get('select $1::int * 3 as thrice')).toMatch(/^tasks_/);
    expect(statements.get('select $1::int * 3 as thrice')).not.toBe(statements.get(text));
    expect(statements.has('select 4 as four')).toBe(false);
  });

  it('prepares nothing with preparedStatements: false', async () => {
    expect((await unnamed.client.query('select $1::int * 2 as twice', [4])).rows).toEqual([{ twice: 8 }]);
    expect(await prepared(unnamed.client)).toEqual(new Map());
  });

  it('stays usable after a named statement fails to parse or to bind', async () => {
    expect(await failure(ours.client.query('select $1::int frm nowhere', [1]))).toMatchObject({ code: '42601' });
    const text = 'select $1::int + 1 as next';
    expect(await failure(ours.client.query(text, ['x']))).toMatchObject({ code: '22P02' });
    expect((await ours.client.query(text, [1])).rows).toEqual([{ next: 2 }]);
    expect((await ours.client.query(text, [2])).rows).toEqual([{ next: 3 }]);
  });

  it("sends through pg's callback form, the callback given with the query", async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      // A pool of one hands the wrapper the very client spied on here.
      const raw = await pool.connect();
      raw.release();
      const sent = vi.spyOn(raw, 'query');
      const wrapper = await kyselyPool(pool, { preparedStatements: true }).connect();
      await wrapper.query('select $1::int as n', [1]);
      await wrapper.query('select 1 as n', []);
      wrapper.release();
      expect(sent.mock.calls).toEqual([
        [{ name: expect.stringMatching(/^tasks_/), text: 'select $1::int as n', values: [1] }, expect.any(Function)],
        [{ name: undefined, text: 'select 1 as n', values: [] }, expect.any(Function)],
      ]);
      // pg's callback form returns nothing; its promise form returns a promise.
      expect(sent.mock.results.map((result) => result.value)).toEqual([undefined, undefined]);
    } finally {
      await pool.end();
    }
  });

  it('hands Kysely the same wrapper for every checkout of one connection', async () => {
    const pool = new pg.Pool({ connectionString: url, max: 1 });
    try {
      const wrapped = kyselyPool(pool, { preparedStatements: true });
      const first = await wrapped.connect();
      first.release();
      const second = await wrapped.connect();
      second.release();
      expect(second).toBe(first);
    } finally {
      await pool.end();
    }
  });

  it(`names at most ${MAX_NAMED_STATEMENTS} distinct statements and runs the rest unnamed`, async () => {
    const connection = await wrappedConnection(true);
    try {
      for (let i = 0; i < MAX_NAMED_STATEMENTS + 20; i++) {
        expect((await connection.client.query(`select $1::int + ${i} as n`, [1])).rows).toEqual([{ n: 1 + i }]);
      }
      // The names are process-wide: the tests above took a few of them.
      const size = (await prepared(connection.client)).size;
      expect(size).toBeLessThanOrEqual(MAX_NAMED_STATEMENTS);
      expect(size).toBeGreaterThan(MAX_NAMED_STATEMENTS - 20);
    } finally {
      await connection.end();
    }
  });

  it("is what createDb's Kysely sends through; its pool stays pg's own", async () => {
    const { createDb } = await import('./create-db.ts');
    const statements = async (db: ReturnType<typeof createDb>['db']) =>
      (await db.executeQuery<{ statement: string }>(CompiledQuery.raw('select statement from pg_prepared_statements', []))).rows.map(
        (row) => row.statement,
      );
    for (const preparedStatements of [true, false]) {
      const { db, pool } = createDb({ url, poolMax: 1, preparedStatements });
      try {
        expect(pool).toBeInstanceOf(pg.Pool);
        const { rows } = await db.executeQuery<{ n: number }>(CompiledQuery.raw('select $1::int as n', [5]));
        expect(rows).toEqual([{ n: 5 }]);
        // Health checks and scripts query the pool directly: pg's behaviour, nothing named.
        expect((await pool!.query('select $1::int as m', [6])).rows).toEqual([{ m: 6 }]);
        expect(await statements(db)).toEqual(preparedStatements ? ['select $1::int as n'] : []);
      } finally {
        await db.destroy();
      }
    }
  });
});
