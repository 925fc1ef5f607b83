import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto';

// scrypt parameters (OWASP: N=2^17 r=8 p=1 is the 2023 floor for new systems; 2^15 keeps a login
// under ~100 ms on a small server). Stored with the hash so they can be raised later.
const defaults = { N: 2 ** 15, r: 8, p: 1, keyLength: 32 } as const;

function derive(
  password: string,
  salt: Buffer,
  options: ScryptOptions & { keyLength: number },
): Promise<Buffer> {
  const { keyLength, ...params } = options;
  return new Promise((resolve, reject) => {
    scrypt(
      password.normalize('NFKC'),
      salt,
      keyLength,
      { ...params, maxmem: 256 * 1024 * 1024 },
      (err, key) => (err ? reject(err) : resolve(key)),
    );
  });
}

/**
 * `scrypt$N$r$p$salt$hash` (base64url). `cost` overrides N (a power of two) — tests use a small one;
 * verification reads N from the stored hash, so raising the default later keeps old hashes valid.
 */
export async function hashPassword(
  password: string,
  options: { cost?: number | undefined } = {},
): Promise<string> {
  const salt = randomBytes(16);
  const params = { ...defaults, N: options.cost ?? defaults.N };
  const key = await derive(password, salt, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), key.toString('base64url')].join(
    '$',
  );
}

/** Constant-time comparison; false (never a throw) for a malformed or missing hash. */
export async function verifyPassword(password: string, stored: string | null): Promise<boolean> {
  const parts = (stored ?? '').split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') {
    await hashPassword(password); // same cost whether or not the user exists
    return false;
  }
  const [, n, r, p, salt, hash] = parts as [string, string, string, string, string, string];
  const expected = Buffer.from(hash, 'base64url');
  const key = await derive(password, Buffer.from(salt, 'base64url'), {
    N: Number(n),
    r: Number(r),
    p: Number(p),
    keyLength: expected.length,
  });
  return key.length === expected.length && timingSafeEqual(key, expected);
}
