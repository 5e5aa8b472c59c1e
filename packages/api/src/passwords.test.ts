import { hash } from '@node-rs/argon2';
import { describe, expect, it } from 'vitest';
import { ARGON2_PARAMETERS, ARGON2ID, dummyHash, hashPassword, needsRehash, verifyPassword } from './passwords.ts';

/** The library's `Algorithm.Argon2i` (a const enum). */
const ARGON2I = 1;

// SEED-CONTRACT.md: hashes argon2-cffi made, with its current and its older defaults.
const CFFI_CURRENT = '$argon2id$v=19$m=65536,t=3,p=4$6o5ya0q8h+JgifV41t1OxA$lBSPCfn9RDiZerQOjjIK81b3fX1z5pxwX+rwlI6+4j0';
const CFFI_OLDER = '$argon2id$v=19$m=102400,t=2,p=8$jZVPP7pvHsPphqTKcaFo4A$kE6eB/AXIQsswZss2xtddQ';

describe('password hashes', () => {
  it("verifies the original system's hashes, and refuses a wrong password for them", async () => {
    expect(await verifyPassword(CFFI_CURRENT, 'correct horse battery')).toBe(true);
    expect(await verifyPassword(CFFI_OLDER, 'password123')).toBe(true);
    expect(await verifyPassword(CFFI_CURRENT, 'correct horse batterY')).toBe(false);
    expect(await verifyPassword(CFFI_OLDER, 'password1234')).toBe(false);
  });

  it('makes Argon2id PHC strings with the current parameters and a fresh salt', async () => {
    const a = await hashPassword('s3cret-passphrase');
    const b = await hashPassword('s3cret-passphrase');
    const { memoryCost: m, timeCost: t, parallelism: p } = ARGON2_PARAMETERS;
    expect(a.startsWith(`$argon2id$v=19$m=${m},t=${t},p=${p}$`)).toBe(true);
    expect(a).not.toBe(b);
    expect(await verifyPassword(a, 's3cret-passphrase')).toBe(true);
    expect(await verifyPassword(a, 's3cret-passphrasE')).toBe(false);
  });

  it('asks for a new hash for anything not made with the current parameters', async () => {
    expect(needsRehash(await hashPassword('x'.repeat(8)))).toBe(false);
    const weaker = await hash('x'.repeat(8), { algorithm: ARGON2ID, memoryCost: 4_096, timeCost: 3, parallelism: 1 });
    const argon2i = await hash('x'.repeat(8), { algorithm: ARGON2I, ...ARGON2_PARAMETERS });
    expect(needsRehash(weaker)).toBe(true);
    expect(needsRehash(argon2i)).toBe(true);
    // argon2-cffi's current defaults are this server's; its older ones are not.
    expect(needsRehash(CFFI_CURRENT)).toBe(false);
    expect(needsRehash(CFFI_OLDER)).toBe(true);
  });

  it('keeps one dummy hash per process, of the current parameters, that no password matches', async () => {
    const dummy = await dummyHash();
    expect(await dummyHash()).toBe(dummy);
    expect(needsRehash(dummy)).toBe(false);
    expect(await verifyPassword(dummy, '')).toBe(false);
  });
});
