import { createHmac, generateKeyPairSync } from 'node:crypto';
import pg from 'pg';
import { type LicenseClaims, type LicenseSigner, signLicense } from '../../server/dev/license-key.ts';

/** A fresh Ed25519 signer with the given kid, as a license issuer holds one. */
export function testSigner(kid: string): LicenseSigner {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return { kid, key: publicKey, privateKey };
}

/** `LICENSE_PUBLIC_KEYS` trusting these signers, as a JWK Set. */
export function jwks(...signers: LicenseSigner[]): string {
  return JSON.stringify({
    keys: signers.map((s) => ({ ...s.key.export({ format: 'jwk' }), kid: s.kid })),
  });
}

const DAY = 86_400;

/** A license valid from now for `days` (default 365), 100 users, overridable claim by claim. */
export function mint(
  signer: LicenseSigner,
  claims: Partial<LicenseClaims> = {},
  days = 365,
): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return signLicense(signer, {
    lid: 'lic-test-1',
    licensee: 'Acme Corp',
    maxUsers: 100,
    features: ['sso', 'audit'],
    notBefore: now - 60,
    expiresAt: now + days * DAY,
    ...claims,
  });
}

const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A token with any header and payload, signed as `sign` says: for forgeries the verifier must refuse. */
export function forge(
  header: Record<string, unknown>,
  payload: Record<string, unknown>,
  sign: (input: string) => string,
) {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${sign(input)}`;
}

/** HS256 over the input with `secret`: the "public key as HMAC secret" confusion attack. */
export function hs256(secret: string) {
  return (input: string) => createHmac('sha256', secret).update(input).digest('base64url');
}

/** Claims of a well-formed license, as JSON (seconds since the epoch). */
export function claims(overrides: Record<string, unknown> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return {
    lid: 'lic-forged',
    sub: 'Acme Corp',
    max_users: 100,
    features: [],
    nbf: now - 60,
    exp: now + 365 * DAY,
    ...overrides,
  };
}

/** What a tenant's backend (the tenant simulator) holds: its license token and cap, or null. */
export async function heldLicense(
  databaseUrl: string,
): Promise<{ token: string; user_cap: number | null } | null> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ token: string; user_cap: number | null }>(
      'select token, user_cap from license limit 1',
    );
    return rows[0] ?? null;
  } catch (error) {
    // Before its first call the tenant has no schema yet: it holds nothing.
    if ((error as { code?: string }).code === '42P01') return null;
    throw error;
  } finally {
    await client.end();
  }
}
