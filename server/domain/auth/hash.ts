import { createHash, randomBytes } from 'node:crypto';

/** SHA-256 hex of a credential. Credentials are 256-bit random, so a fast hash is enough to store them. */
export function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A new random credential, base64url, 32 bytes unless told. */
export function randomCredential(bytes = 32): string {
  return randomBytes(bytes).toString('base64url');
}
