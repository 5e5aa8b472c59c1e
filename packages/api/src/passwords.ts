// Argon2id password hashes in the PHC string format, the original system's (argon2-cffi), so a users
// table migrated from it keeps working.
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** The library's `Algorithm.Argon2id`, a const enum that type stripping cannot inline. */
export const ARGON2ID = 2;

/**
 * The parameters of new hashes: m=64 MiB, t=3, p=4, RFC 9106's recommended option where 2 GiB per
 * hash is too much (§4), argon2-cffi's default, and above OWASP's minimum (m=19 MiB, t=2, p=1).
 * - Hashes the original system made with argon2-cffi's current defaults stay as they are, and a wrong
 *   password for those accounts costs what an unknown email costs (the dummy hash is of these too).
 * - Measured here (2 cores, shared with other work): ~45-80 ms per verification (OWASP's minimum:
 *   ~5 ms), i.e. 15-20 sign-ins a second per core; the attempt limits bound what one caller can ask.
 * - 64 MiB per hash in flight, at most four at once (libuv's thread pool): 256 MiB at the peak of a burst.
 * The library computes the four lanes one after another, so p=4 costs no more threads than p=1.
 */
export const ARGON2_PARAMETERS = { memoryCost: 65_536, timeCost: 3, parallelism: 4 } as const;

const CURRENT_PREFIX = `$argon2id$v=19$m=${ARGON2_PARAMETERS.memoryCost},t=${ARGON2_PARAMETERS.timeCost},p=${ARGON2_PARAMETERS.parallelism}$`;

/** A new Argon2id hash of a password, with the current parameters and a random 16-byte salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...ARGON2_PARAMETERS });
}

/**
 * Whether a stored hash should be replaced at the next successful sign-in: any hash not made with the
 * current algorithm, version and parameters. Weaker ones are upgraded; others (argon2-cffi's older
 * default, m=100 MiB, t=2, p=8) come to the current cost too, so that a wrong password costs the same
 * time for every account as for an unknown email: a slower hash would tell that the account exists.
 */
export function needsRehash(stored: string): boolean {
  return !stored.startsWith(CURRENT_PREFIX);
}

/** Checks a password against a stored PHC string (any Argon2 variant and parameters it names). */
export function verifyPassword(stored: string, password: string): Promise<boolean> {
  return verify(stored, password);
}

let dummy: Promise<string> | undefined;

/**
 * A hash of a random password with the current parameters, made once per process: an unknown email
 * is checked against it, so it takes as long as a wrong password and never matches.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString('base64url'));
  return dummy;
}
