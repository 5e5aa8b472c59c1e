// Account procedures: sign up and sign in with an email and a password, answered with a token every
// surface accepts. Public (no token needed); SQL through @tasks/db, hashing in passwords.ts.
import { randomUUID } from 'node:crypto';
import * as queries from '@tasks/db';
import { ACCOUNT_TOKEN_LIFETIME_SECONDS, issueAccountToken } from '../account-tokens.ts';
import { AccountSession, SignInInput, SignUpInput } from '../account-schemas.ts';
import { accountsUnavailable, type EnabledAccounts } from '../accounts.ts';
import type { Context } from '../context.ts';
import { EmailTaken, InvalidCredentials, RateLimited } from '../errors.ts';
import { dummyHash, hashPassword, needsRehash, verifyPassword } from '../passwords.ts';
import { publicProcedure, router } from '../trpc.ts';
import { answers } from '../output-contract.ts';

/** Before the input is read: a server that keeps no accounts says so whatever the body. */
const accountsProcedure = publicProcedure.use(({ ctx, next }) => {
  const unavailable = accountsUnavailable(ctx.accounts);
  if (unavailable) throw unavailable;
  return next({ ctx: { accounts: ctx.accounts as EnabledAccounts } });
});

/** Counted before any hashing, so a flood costs the server a counter, not an Argon2 run. */
async function limitAttempts(accounts: EnabledAccounts, ctx: Context, email: string): Promise<void> {
  const retryAfterSeconds = await accounts.limiter.hit({ email, ip: ctx.clientIp });
  if (retryAfterSeconds !== undefined) {
    throw new RateLimited(`Too many sign-in attempts; retry in ${retryAfterSeconds} seconds`, retryAfterSeconds);
  }
}

async function session(accounts: EnabledAccounts, user: queries.AccountRecord): Promise<AccountSession> {
  const { token } = await issueAccountToken(accounts.signer, user);
  return { user: { id: user.id, email: user.email, name: user.name }, token, expiresIn: ACCOUNT_TOKEN_LIFETIME_SECONDS };
}

export const authRouter = router({
  signUp: accountsProcedure
    .input(SignUpInput)
    .mutation(answers(AccountSession, async ({ ctx, input }) => {
      await limitAttempts(ctx.accounts, ctx, input.email);
      const passwordHash = await hashPassword(input.password);
      // The unique email decides between racing sign-ups; no read before the write.
      const account = await queries.createAccount(ctx.db, { id: randomUUID(), email: input.email, name: input.name, passwordHash });
      if (!account) throw new EmailTaken();
      return session(ctx.accounts, account);
    })),

  signIn: accountsProcedure
    .input(SignInInput)
    .mutation(answers(AccountSession, async ({ ctx, input }) => {
      await limitAttempts(ctx.accounts, ctx, input.email);
      const account = await queries.findAccountByEmail(ctx.db, input.email);
      // An unknown email (or an account without a password here) is checked against a hash of the
      // same cost, so that it takes as long as a wrong password.
      const stored = account?.passwordHash ?? (await dummyHash());
      const matches = await verifyPassword(stored, input.password);
      if (!account?.passwordHash || !matches) throw new InvalidCredentials();
      if (needsRehash(stored)) {
        await queries.replacePasswordHash(ctx.db, account.id, { from: stored, to: await hashPassword(input.password) });
      }
      return session(ctx.accounts, account);
    })),
});
