// The account procedures' inputs and answer, shared by /trpc, /api/auth and the original /auth routes
// (which word the same issues in FastAPI's vocabulary). Limits are the original system's.
import { z } from 'zod';
import { storableText } from './schemas.ts';

export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 72;
export const NAME_MAX = 255;
/** RFC 5321's longest forward path, less its angle brackets. */
export const EMAIL_MAX = 254;

/**
 * A length in characters as Python and PostgreSQL count them (code points, so an emoji is one), with
 * zod's own too_small/too_big issues, which carry the bound for every surface to word.
 */
function characters(label: string, min: number, max: number) {
  return (value: string, ctx: z.RefinementCtx) => {
    const length = [...value].length;
    if (length < min) {
      const message = min === 1 ? `${label} is required` : `${label} must be at least ${min} characters`;
      ctx.addIssue({ code: 'too_small', origin: 'string', minimum: min, inclusive: true, message });
    } else if (length > max) {
      ctx.addIssue({ code: 'too_big', origin: 'string', maximum: max, inclusive: true, message: `${label} must be at most ${max} characters` });
    }
  };
}

/** Stored and compared lower-cased: `Alice@X.com` and `alice@x.com` are one account. */
export const accountEmail = z
  .string()
  .trim()
  .toLowerCase()
  .pipe(z.email({ message: 'Must be a valid email address' }).max(EMAIL_MAX, { message: `Email must be at most ${EMAIL_MAX} characters` }));

/** Never stored: only its Argon2id hash is. */
export const newPassword = z.string().superRefine(characters('Password', PASSWORD_MIN, PASSWORD_MAX));

/** Returned as given (not trimmed); text PostgreSQL can store. */
export const accountName = storableText.superRefine(characters('Name', 1, NAME_MAX));

export const SignUpInput = z
  .object({
    email: accountEmail.meta({ description: 'Stored and compared lower-cased', example: 'alice@example.com' }),
    password: newPassword.meta({ description: `${PASSWORD_MIN} to ${PASSWORD_MAX} characters; only its Argon2id hash is stored`, example: 'correct horse battery' }),
    name: accountName.meta({ description: `1 to ${NAME_MAX} characters, kept as given`, example: 'Alice' }),
  })
  .meta({ examples: [{ email: 'alice@example.com', password: 'correct horse battery', name: 'Alice' }] });
export type SignUpInput = z.infer<typeof SignUpInput>;

export const SignInInput = z.object({
  // Not checked as an address: anything that is not a registered email is simply not one.
  email: z.string().trim().toLowerCase().max(EMAIL_MAX, { message: `Email must be at most ${EMAIL_MAX} characters` }),
  // Bounded so that a megabyte of password is refused before it is hashed.
  password: z.string().max(1_024, { message: 'Password must be at most 1024 characters' }),
}).meta({ examples: [{ email: 'alice@example.com', password: 'correct horse battery' }] });
export type SignInInput = z.infer<typeof SignInInput>;

export const AccountUser = z.object({ id: z.string(), email: z.string(), name: z.string().nullable() });

/** What sign-up and sign-in answer: the account, and a bearer token for every surface. */
export const AccountSession = z.object({
  user: AccountUser,
  token: z.string().meta({ description: 'HS256 JWT: sub, email, iat, exp = iat + expiresIn' }),
  expiresIn: z.number().int().meta({ description: 'Seconds until the token expires (604800: 7 days)' }),
});
export type AccountSession = z.infer<typeof AccountSession>;
