// Accounts of the /auth routes: the `users` columns added by migration 0004. Emails arrive here
// already lower-cased (the table's check constraint refuses any other).
import type { Db } from './tasks-queries.ts';

export interface AccountRecord {
  id: string;
  email: string;
  name: string | null;
  passwordHash: string | null;
}

export interface NewAccount {
  id: string;
  email: string;
  name: string;
  passwordHash: string;
}

/**
 * Creates an account; undefined when the email is already registered (the unique constraint decides,
 * so two sign-ups racing for one email cannot both succeed).
 *
 * @example
 * await createAccount(db, { id, email: 'alice@x.com', name: 'Alice', passwordHash });
 * // insert into users (id, email, name, password_hash) values ($1, $2, $3, $4)
 * // on conflict (email) do nothing returning id, email, name, password_hash
 */
export async function createAccount(db: Db, account: NewAccount): Promise<AccountRecord | undefined> {
  return db
    .insertInto('users')
    .values({ id: account.id, email: account.email, name: account.name, password_hash: account.passwordHash })
    .onConflict((oc) => oc.column('email').doNothing())
    .returning(['id', 'email', 'name', 'password_hash as passwordHash'])
    .$narrowType<{ email: string }>()
    .executeTakeFirst();
}

/**
 * The account registered with an email, if any.
 *
 * @example
 * await findAccountByEmail(db, 'alice@x.com');
 * // select id, email, name, password_hash from users where email = $1
 */
export async function findAccountByEmail(db: Db, email: string): Promise<AccountRecord | undefined> {
  return db
    .selectFrom('users')
    .select(['id', 'email', 'name', 'password_hash as passwordHash'])
    .where('email', '=', email)
    .$narrowType<{ email: string }>()
    .executeTakeFirst();
}

/**
 * Replaces a password hash with a stronger one, only if it is still the hash that was verified (a
 * concurrent sign-in that already upgraded it, or a password change, wins).
 *
 * @example
 * await replacePasswordHash(db, id, { from: oldHash, to: newHash });
 * // update users set password_hash = $1 where id = $2 and password_hash = $3
 */
export async function replacePasswordHash(db: Db, id: string, hashes: { from: string; to: string }): Promise<boolean> {
  const result = await db
    .updateTable('users')
    .set({ password_hash: hashes.to })
    .where('id', '=', id)
    .where('password_hash', '=', hashes.from)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}
