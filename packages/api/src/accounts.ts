// What the account procedures (`auth.*`) need from the process, given through the context: whether
// this server keeps accounts at all, the secret its tokens are signed with, and the attempt limiter
// (counters the HTTP layer keeps in Redis or in memory; the procedures only ask).
import { AccountsUnavailable } from './errors.ts';

/** An attempt to sign up or sign in, as the limiter counts it: once per email and once per address. */
export interface Attempt {
  email: string;
  ip: string | undefined;
}

export interface AttemptLimiter {
  /** Counts the attempt; resolves to the seconds to wait when the email or the address is over its limit. */
  hit(attempt: Attempt): Promise<number | undefined>;
}

export interface AccountTokenSigner {
  /** The shared secret every surface verifies HS256 tokens with (AUTH_SECRET or the development secret). */
  secret: string;
  /** Set when the server requires them of every token (AUTH_ISSUER, AUTH_AUDIENCE). */
  issuer?: string | undefined;
  audience?: string | undefined;
}

export type Accounts =
  | { enabled: true; signer: AccountTokenSigner; limiter: AttemptLimiter }
  /** `reason` is what a client is told, e.g. that accounts are managed by the identity provider. */
  | { enabled: false; reason: string };

export type EnabledAccounts = Extract<Accounts, { enabled: true }>;

export const ACCOUNTS_OFF = 'Accounts are not served by this server';
export const ACCOUNTS_ELSEWHERE = 'Accounts are managed by the identity provider this server trusts (AUTH_JWKS_URL): sign up and sign in there';

/**
 * The accounts a server keeps, from its auth settings: none when turned off, none when tokens come only
 * from an identity provider's JWKS (there is no shared secret to sign with), otherwise its secret's.
 */
export function accountsFor(settings: { enabled: boolean; signer: Partial<AccountTokenSigner>; limiter: AttemptLimiter }): Accounts {
  if (!settings.enabled) return { enabled: false, reason: ACCOUNTS_OFF };
  const { secret, issuer, audience } = settings.signer;
  if (!secret) return { enabled: false, reason: ACCOUNTS_ELSEWHERE };
  return { enabled: true, signer: { secret, issuer, audience }, limiter: settings.limiter };
}

/** The error a caller gets when this server keeps no accounts; undefined when it does. */
export function accountsUnavailable(accounts: Accounts | undefined): AccountsUnavailable | undefined {
  if (!accounts) return new AccountsUnavailable(ACCOUNTS_OFF);
  return accounts.enabled ? undefined : new AccountsUnavailable(accounts.reason);
}
