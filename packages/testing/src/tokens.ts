import { SignJWT, type JWTPayload } from 'jose';

export interface TestTokenOptions {
  secret: string;
  /** The user id in `sub`; pass `claims.user_id` and `sub: null` to test the fallback claim. */
  sub?: string | null;
  alg?: 'HS256' | 'HS512';
  /** Seconds from now; `null` leaves `exp` out. */
  expiresIn?: number | null;
  claims?: JWTPayload;
}

/** Signs a token the way the original system's auth server does (HS256, sub/email/iat/exp). */
export async function signTestToken(options: TestTokenOptions): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const payload: JWTPayload = { email: `${options.sub ?? 'user'}@example.com`, ...options.claims };
  const jwt = new SignJWT(payload).setProtectedHeader({ alg: options.alg ?? 'HS256', typ: 'JWT' });
  // Explicit claims win, so tests can set any iat/exp they need.
  if (payload.iat === undefined) jwt.setIssuedAt(now);
  if (options.sub !== null) jwt.setSubject(options.sub ?? 'user');
  const expiresIn = options.expiresIn === undefined ? 3_600 : options.expiresIn;
  if (expiresIn !== null && payload.exp === undefined) jwt.setExpirationTime(now + expiresIn);
  return jwt.sign(new TextEncoder().encode(options.secret));
}
