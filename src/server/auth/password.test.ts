import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './password.ts';

describe('scrypt password hashing', () => {
  it('round-trips, rejects a wrong password, and salts every hash', async () => {
    const a = await hashPassword('correct horse battery staple', { cost: 2 ** 10 });
    const b = await hashPassword('correct horse battery staple', { cost: 2 ** 10 });
    expect(a).toMatch(/^scrypt\$1024\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery staple', a)).toBe(true);
    expect(await verifyPassword('correct horse battery stapl', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('uses N = 2^15 by default and verifies with the parameters stored in the hash', async () => {
    const hash = await hashPassword('pässwörd');
    expect(hash.split('$').slice(0, 4)).toEqual(['scrypt', '32768', '8', '1']);
    // NFKC: the composed and decomposed forms of ä are the same password.
    expect(await verifyPassword('pa\u0308sswo\u0308rd', hash)).toBe(true);
  });

  it.each([null, '', 'plain', 'scrypt$1024$8$1$c2FsdA', 'bcrypt$x$y$z$a$b'])(
    'never accepts a malformed hash %j',
    async (stored) => {
      expect(await verifyPassword('anything', stored)).toBe(false);
    },
  );
});
