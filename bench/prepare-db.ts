// Prepares the benchmark databases: a PostgreSQL database (role and database made when missing)
// and a seeded PGlite data directory, both migrated with OUR migrations (@tasks/db) and seeded with
// sql/seed.sql. A database that already holds the seed is kept (reset.sql undoes the workloads);
// --reseed drops and rebuilds.
//   node prepare-db.ts [--reseed] [--skip-postgres] [--pglite DIR]
// env: BENCH_ADMIN_URL [postgres://postgres@127.0.0.1:5432/postgres], DATABASE_URL [postgres://bench:bench@127.0.0.1:5432/bench]
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { PGlite } from '@electric-sql/pglite';
import { migrateToLatest, type Database } from '@tasks/db';
import { Kysely, PGliteDialect, PostgresDialect } from 'kysely';
import pg from 'pg';

const { values: args } = parseArgs({
  options: {
    reseed: { type: 'boolean', default: false },
    'skip-postgres': { type: 'boolean', default: false },
    pglite: { type: 'string' },
  },
});
const here = import.meta.dirname;
const seedSql = readFileSync(join(here, 'sql', 'seed.sql'), 'utf8');
const SEEDED_TASKS = 200_000;
const log = (message: string) => process.stderr.write(`[prepare-db] ${message}\n`);
const elapsed = (t0: number) => `${((Date.now() - t0) / 1000).toFixed(1)} s`;

async function preparePostgres(adminUrl: string, benchUrl: string): Promise<void> {
  const target = new URL(benchUrl);
  const role = decodeURIComponent(target.username || 'postgres');
  const password = decodeURIComponent(target.password);
  const dbName = target.pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    const ident = (s: string) => `"${s.replaceAll('"', '""')}"`;
    const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;
    const roleExists = (await admin.query('select 1 from pg_roles where rolname = $1', [role])).rowCount;
    if (!roleExists) {
      log(`creating role ${role}`);
      await admin.query(`create role ${ident(role)} login${password ? ` password ${literal(password)}` : ''}`);
    }
    const dbExists = (await admin.query('select 1 from pg_database where datname = $1', [dbName])).rowCount;
    if (dbExists && args.reseed) {
      log(`dropping database ${dbName} (--reseed)`);
      await admin.query(`drop database ${ident(dbName)} with (force)`);
    }
    if (!dbExists || args.reseed) {
      log(`creating database ${dbName} owned by ${role}`);
      await admin.query(`create database ${ident(dbName)} owner ${ident(role)}`);
    }
  } finally {
    await admin.end();
  }

  const pool = new pg.Pool({ connectionString: benchUrl, max: 1 });
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  try {
    await migrateToLatest(db);
    const client = await pool.connect();
    try {
      const { rows } = await client.query<{ n: string }>('select count(*) as n from tasks where id <= $1', [SEEDED_TASKS]);
      if (Number(rows[0]?.n) === SEEDED_TASKS) {
        log(`PostgreSQL ${dbName}: already seeded (${SEEDED_TASKS} tasks); reset.sql restores it between peers`);
        return;
      }
      if (Number(rows[0]?.n) > 0) throw new Error(`database ${dbName} holds a partial seed: run with --reseed`);
      const t0 = Date.now();
      await client.query(seedSql);
      await client.query('vacuum (analyze) users');
      await client.query('vacuum (analyze) tasks');
      log(`PostgreSQL ${dbName}: seeded 1,001 users and ${SEEDED_TASKS.toLocaleString('en-US')} tasks in ${elapsed(t0)}`);
    } finally {
      client.release();
    }
  } finally {
    await db.destroy();
  }
}

async function preparePglite(dataDir: string): Promise<void> {
  if (existsSync(join(dataDir, 'PG_VERSION')) && !args.reseed) {
    log(`PGlite ${dataDir}: already seeded`);
    return;
  }
  rmSync(dataDir, { recursive: true, force: true });
  mkdirSync(dataDir, { recursive: true });
  const t0 = Date.now();
  const pglite = new PGlite(dataDir);
  const db = new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
  try {
    await migrateToLatest(db);
    await pglite.exec(seedSql);
    await pglite.exec('vacuum (analyze) users');
    await pglite.exec('vacuum (analyze) tasks');
    const { rows } = await pglite.query<{ n: number }>('select count(*)::int as n from tasks');
    log(`PGlite ${dataDir}: seeded ${rows[0]?.n.toLocaleString('en-US')} tasks in ${elapsed(t0)}`);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  } finally {
    await db.destroy();
  }
}

if (!args['skip-postgres']) {
  await preparePostgres(
    process.env.BENCH_ADMIN_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    process.env.DATABASE_URL ?? 'postgres://bench:bench@127.0.0.1:5432/bench',
  );
}
if (args.pglite) await preparePglite(args.pglite);
