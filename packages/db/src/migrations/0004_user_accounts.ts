import { sql, type Kysely } from 'kysely';

// Accounts of the original front end's /auth routes live on `users`. Every column is nullable: a user
// who only ever came with an external token gets a row at their first task write, with no email,
// name or password. Emails are stored lower-cased (the check makes that a rule of the table, not only
// of the API), so the unique constraint is the case-insensitive one. `password_hash` is a PHC string.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    alter table users
      add column email text,
      add column name varchar(255),
      add column password_hash text,
      add constraint users_email_key unique (email),
      add constraint users_email_lower_case check (email = lower(email)),
      add constraint users_email_length check (char_length(email) <= 320)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`
    alter table users
      drop column password_hash,
      drop column name,
      drop column email`.execute(db);
}
