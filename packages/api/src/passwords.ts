// Argon2id password hashes in the PHC string format, the original system's (argon2-cffi), so a users
// table migrated from it keeps working.
import { randomBytes } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

/** The library's `Algorithm.Argon2id`, a const enum that type stripping cannot inline. */
export const ARGON2ID = 2;

/**
 * The parameters of new hashes: OWASP's Password Storage Cheat Sheet's Argon2id configuration
 * m=19 MiB, t=2, p=1. Its five configurations are equally strong; this one takes ~26 ms per hash on
 * one core of the 2-core machines this runs on, and 19 MiB per hash in flight (libuv runs four at a
 * time: 76 MiB at most). argon2-cffi's default (m=64 MiB, t=3, p=4, RFC 9106's low-memory choice)
 * took ~230 ms here, as the library computes the lanes one after another: a burst of sign-ins would
 * hold the event loop's pool for seconds.
 */
export const ARGON2_PARAMETERS = { memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

const CURRENT_PREFIX = `$argon2id$v=19$m=${ARGON2_PARAMETERS.memoryCost},t=${ARGON2_PARAMETERS.timeCost},p=${ARGON2_PARAMETERS.parallelism}$`;

/** A new Argon2id hash of a password, with the current parameters and a random 16-byte salt. */
export function hashPassword(password: string): Promise<string> {
  return hash(password, { algorithm: ARGON2ID, ...ARGON2_PARAMETERS });
}

/**
 * Whether a stored hash should be replaced at the next successful sign-in: any hash not made with the
 * current algorithm, version and parameters. Weaker ones are upgraded; stronger ones (argon2-cffi's
 * m=64 MiB, t=3, p=4) come down to the current cost too, so that a wrong password costs the same
 * time for every account and for an unknown email: a slower hash would tell that the account exists.
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
