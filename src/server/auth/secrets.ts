import { createHash, randomBytes } from 'node:crypto';

/** A random secret: 32 bytes, base64url. */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** Session ids and API tokens are stored only as this hash. */
export const sha256 = (value: string): string => createHash('sha256').update(value).digest('hex');
