import { randomBytes } from 'node:crypto';
import { hash } from '@node-rs/argon2';
import { createTestDatabase, type TestDatabase } from '@tasks/testing/database';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountsFor, ACCOUNTS_ELSEWHERE, ACCOUNTS_OFF, type Attempt, type AttemptLimiter } from '../accounts.ts';
import { createAuthenticator } from '../auth.ts';
import { createInnerContext } from '../context.ts';
import { ARGON2_PARAMETERS, ARGON2ID } from '../passwords.ts';
import { createCaller } from '../router.ts';
import { failure } from './call-failure.ts';

const secret = randomBytes(32).toString('hex');
let database: TestDatabase;

/** Counts attempts per email like the server's limiter, with a budget the test sets. */
function countingLimiter(maxPerEmail: number): AttemptLimiter & { seen: Attempt[] } {
  const seen: Attempt[] = [];
  return {
    seen,
    async hit(attempt) {
      seen.push(attempt);
      return seen.filter((a) => a.email === attempt.email).length > maxPerEmail ? 42 : undefined;
    },
  };
}

const callerWith = (limiter: AttemptLimiter = countingLimiter(1_000), signer: { secret?: string; issuer?: string } = { secret }) =>
  createCaller(createInnerContext({ db: database.db, accounts: accountsFor({ enabled: true, signer, limiter }), clientIp: '198.51.100.7' })).auth;

beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(async () => {
  await database?.destroy();
});

describe('auth.signUp and auth.signIn', () => {
  it('signs up with a new UUID, the email lower-cased, the name as given, and a 7-day token every route accepts', async () => {
    const session = await callerWith().signUp({ email: '  Alice@Example.COM ', password: 'correct horse', name: ' Alice A. ' });
    expect(session.user).toEqual({ id: expect.stringMatching(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/), email: 'alice@example.com', name: ' Alice A. ' });
    expect(session.expiresIn).toBe(604_800);
    const claims = decodeJwt(session.token);
    expect(claims).toEqual({ sub: session.user.id, email: 'alice@example.com', iat: expect.any(Number), exp: (claims.iat as number) + 604_800 });
    expect(await createAuthenticator({ secret }).verify(session.token)).toBe(session.user.id);

    const signedIn = await callerWith().signIn({ email: 'ALICE@example.com', password: 'correct horse' });
    expect(signedIn.user).toEqual(session.user);
  });

  it('answers CONFLICT for an email already registered in another case', async () => {
    await callerWith().signUp({ email: 'bob@example.com', password: 'hunter2hunter2', name: 'Bob' });
    const error = await failure(callerWith().signUp({ email: 'BOB@Example.com', password: 'another-password', name: 'Robert' }));
    expect(error).toMatchObject({ code: 'CONFLICT', message: 'Email already registered' });
  });

  it('answers the same UNAUTHORIZED for a wrong password and an unknown email', async () => {
    await callerWith().signUp({ email: 'carol@example.com', password: 'right-password', name: 'Carol' });
    const wrong = await failure(callerWith().signIn({ email: 'carol@example.com', password: 'wrong-password' }));
    const unknown = await failure(callerWith().signIn({ email: 'nobody@example.com', password: 'right-password' }));
    expect([wrong.code, wrong.message]).toEqual(['UNAUTHORIZED', 'Invalid email or password']);
    expect([unknown.code, unknown.message]).toEqual([wrong.code, wrong.message]);
  });

  it('does not let a user who only came with external tokens sign in', async () => {
    await database.db.insertInto('users').values({ id: 'auth0|external', email: 'external@example.com' }).execute();
    const error = await failure(callerWith().signIn({ email: 'external@example.com', password: '' }));
    expect(error.message).toBe('Invalid email or password');
  });

  it("signs in a migrated account with argon2-cffi's older hash and replaces it with the current parameters", async () => {
    const cffi = '$argon2id$v=19$m=102400,t=2,p=8$jZVPP7pvHsPphqTKcaFo4A$kE6eB/AXIQsswZss2xtddQ';
    await database.db.insertInto('users').values({ id: 'migrated-1', email: 'migrated@example.com', name: 'M', password_hash: cffi }).execute();
    const session = await callerWith().signIn({ email: 'migrated@example.com', password: 'password123' });
    expect(session.user).toEqual({ id: 'migrated-1', email: 'migrated@example.com', name: 'M' });
    const row = await database.db.selectFrom('users').select('password_hash').where('id', '=', 'migrated-1').executeTakeFirstOrThrow();
    const { memoryCost: m, timeCost: t, parallelism: p } = ARGON2_PARAMETERS;
    expect(row.password_hash).toMatch(new RegExp(`^\\$argon2id\\$v=19\\$m=${m},t=${t},p=${p}\\$`));
    expect((await callerWith().signIn({ email: 'migrated@example.com', password: 'password123' })).user.id).toBe('migrated-1');
  });

  it("keeps a hash argon2-cffi made with its current defaults, which are this server's", async () => {
    const cffi = '$argon2id$v=19$m=65536,t=3,p=4$6o5ya0q8h+JgifV41t1OxA$lBSPCfn9RDiZerQOjjIK81b3fX1z5pxwX+rwlI6+4j0';
    await database.db.insertInto('users').values({ id: 'migrated-2', email: 'current@example.com', name: 'C', password_hash: cffi }).execute();
    expect((await callerWith().signIn({ email: 'current@example.com', password: 'correct horse battery' })).user.id).toBe('migrated-2');
    const row = await database.db.selectFrom('users').select('password_hash').where('id', '=', 'migrated-2').executeTakeFirstOrThrow();
    expect(row.password_hash).toBe(cffi);
  });

  it('upgrades a weaker hash at a successful sign-in, and leaves it at a failed one', async () => {
    const weak = await hash('weak-but-right', { algorithm: ARGON2ID, memoryCost: 4_096, timeCost: 1, parallelism: 1 });
    await database.db.insertInto('users').values({ id: 'weak-1', email: 'weak@example.com', name: 'W', password_hash: weak }).execute();
    const stored = () => database.db.selectFrom('users').select('password_hash').where('id', '=', 'weak-1').executeTakeFirstOrThrow();
    await failure(callerWith().signIn({ email: 'weak@example.com', password: 'wrong' }));
    expect((await stored()).password_hash).toBe(weak);
    await callerWith().signIn({ email: 'weak@example.com', password: 'weak-but-right' });
    expect((await stored()).password_hash).toMatch(/^\$argon2id\$v=19\$m=65536,t=3,p=4\$/);
  });

  it('counts each attempt by email and address, and answers TOO_MANY_REQUESTS with the wait once over', async () => {
    const limiter = countingLimiter(2);
    const caller = callerWith(limiter);
    await failure(caller.signIn({ email: 'dave@example.com', password: 'guess-1' }));
    await failure(caller.signIn({ email: 'Dave@example.com', password: 'guess-2' }));
    const limited = await failure(caller.signIn({ email: 'dave@example.com', password: 'guess-3' }));
    expect(limited).toMatchObject({ code: 'TOO_MANY_REQUESTS', retryAfterSeconds: 42 });
    expect(limiter.seen).toEqual(Array(3).fill({ email: 'dave@example.com', ip: '198.51.100.7' }));
  });

  it('refuses a short password, a bad email and an empty name, naming the fields, before counting an attempt', async () => {
    const limiter = countingLimiter(1_000);
    const error = await failure(callerWith(limiter).signUp({ email: 'not-an-email', password: 'short', name: '' }));
    expect(error.code).toBe('BAD_REQUEST');
    const issues = (error.cause as unknown as { issues: { path: string[]; message: string }[] }).issues;
    expect(issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['email', 'Must be a valid email address'],
      ['password', 'Password must be at least 8 characters'],
      ['name', 'Name is required'],
    ]);
    const long = await failure(callerWith(limiter).signUp({ email: 'e@example.com', password: 'p'.repeat(73), name: 'n'.repeat(256) }));
    expect((long.cause as unknown as { issues: { message: string }[] }).issues.map((i) => i.message)).toEqual([
      'Password must be at most 72 characters',
      'Name must be at most 255 characters',
    ]);
    // Characters as code points: 8 emoji are 8 characters (16 UTF-16 units), 72 of them still fit.
    await callerWith(limiter).signUp({ email: 'emoji@example.com', password: '🔑'.repeat(72), name: '🙂' });
    expect(limiter.seen).toHaveLength(1);
  });

  it('says where accounts are when the server keeps none, whatever the input', async () => {
    const off = createCaller(createInnerContext({ db: database.db, accounts: accountsFor({ enabled: false, signer: { secret }, limiter: countingLimiter(1) }) }));
    const elsewhere = createCaller(createInnerContext({ db: database.db, accounts: accountsFor({ enabled: true, signer: {}, limiter: countingLimiter(1) }) }));
    const none = createCaller(createInnerContext({ db: database.db }));
    expect(await failure(off.auth.signIn({ email: 'a@example.com', password: 'x' }))).toMatchObject({ code: 'NOT_FOUND', message: ACCOUNTS_OFF });
    expect(await failure(elsewhere.auth.signUp({} as never))).toMatchObject({ code: 'NOT_FOUND', message: ACCOUNTS_ELSEWHERE });
    expect(await failure(none.auth.signUp({} as never))).toMatchObject({ code: 'NOT_FOUND', message: ACCOUNTS_OFF });
  });

  it('puts the configured issuer in its tokens, so a server that requires one accepts them', async () => {
    const session = await callerWith(undefined, { secret, issuer: 'https://tasks.example' }).signUp({ email: 'iss@example.com', password: 'password-1', name: 'I' });
    expect(await createAuthenticator({ secret, issuer: 'https://tasks.example' }).verify(session.token)).toBe(session.user.id);
  });
});
