// The tokens `auth.signUp` and `auth.signIn` hand out, as the original system signed them
// (SEED-CONTRACT.md, "The original front end's accounts"): HS256 with the shared secret, claims `sub`,
// `email`, `iat` and `exp` = `iat` + 7 days, so every surface accepts them like any other such token.
import { SignJWT } from 'jose';
import type { AccountTokenSigner } from './accounts.ts';

export const ACCOUNT_TOKEN_LIFETIME_SECONDS = 604_800;

/**
 * @example
 * await issueAccountToken({ secret }, { id: 'b1c…', email: 'alice@x.com' });
 * // { token: 'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9…', expiresIn: 604800 }
 */
export async function issueAccountToken(
  signer: AccountTokenSigner,
  user: { id: string; email: string },
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<{ token: string; expiresIn: number }> {
  const jwt = new SignJWT({ email: user.email })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setSubject(user.id)
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + ACCOUNT_TOKEN_LIFETIME_SECONDS);
  // Only when the server demands them of every token, or its own would be refused.
  if (signer.issuer) jwt.setIssuer(signer.issuer);
  if (signer.audience) jwt.setAudience(signer.audience);
  return { token: await jwt.sign(new TextEncoder().encode(signer.secret)), expiresIn: ACCOUNT_TOKEN_LIFETIME_SECONDS };
}
