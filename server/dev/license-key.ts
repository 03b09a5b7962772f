import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { link, mkdir, readFile, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { compactVerify, SignJWT } from 'jose';
import { keyThumbprint, type TrustedKey } from '../domain/license/token.ts';

/** The embedded stack's license signing key, in DATA_DIR (0600). Production trusts configured keys only. */
export const DEV_LICENSE_KEY_FILE = 'license-signing-key.pem';

export type LicenseSigner = TrustedKey & { privateKey: KeyObject };

/**
 * The development signing key in `dataDir`, made on first use: the embedded stack trusts it, and
 * `justiam-cp license issue` and the tenant simulator's renewal endpoint sign with it.
 */
export async function devLicenseSigner(dataDir: string): Promise<LicenseSigner> {
  const path = join(dataDir, DEV_LICENSE_KEY_FILE);
  let pem: string;
  try {
    pem = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    // `license issue` may run before any server made DATA_DIR.
    await mkdir(dataDir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('ed25519');
    pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    // Written whole under a temporary name, then linked into place: a crash never leaves half a
    // key, and of two processes starting together the second finds the first one's key.
    const temp = `${path}.${process.pid}.tmp`;
    await writeFile(temp, pem, { mode: 0o600 });
    try {
      await link(temp, path);
    } catch (linkError) {
      if ((linkError as NodeJS.ErrnoException).code !== 'EEXIST') throw linkError;
      pem = await readFile(path, 'utf8');
    } finally {
      await unlink(temp).catch(() => {});
    }
  }
  const privateKey = createPrivateKey(pem);
  const key = createPublicKey(privateKey);
  return { kid: `dev-${keyThumbprint(key).slice(0, 16)}`, key, privateKey };
}

export type LicenseClaims = {
  lid: string;
  licensee: string;
  maxUsers: number;
  features?: string[];
  /** Seconds since the epoch; default now. */
  notBefore?: number;
  /** Seconds since the epoch. */
  expiresAt: number;
  issuedAt?: number;
  renewalUrl?: string;
};

/** Signs a license with `signer` (EdDSA, its kid in the header). */
export function signLicense(signer: LicenseSigner, claims: LicenseClaims): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    lid: claims.lid,
    max_users: claims.maxUsers,
    features: claims.features ?? [],
    ...(claims.renewalUrl ? { renewal_url: claims.renewalUrl } : {}),
  })
    .setProtectedHeader({ alg: 'EdDSA', kid: signer.kid, typ: 'JWT' })
    .setSubject(claims.licensee)
    .setIssuedAt(claims.issuedAt ?? now)
    .setNotBefore(claims.notBefore ?? now)
    .setExpirationTime(claims.expiresAt)
    .sign(signer.privateKey);
}

/**
 * The issuer's renewal, for the tenant simulator's endpoint: a token this signer issued (even an
 * expired one) comes back with the same claims, valid from now for `days` more.
 */
export function renewalBy(signer: LicenseSigner, days = 365) {
  return async (token: string): Promise<string | undefined> => {
    let payload: Record<string, unknown>;
    try {
      // Expired licenses are renewed too: verify the signature, not the dates.
      const verified = await compactVerify(token, signer.key, { algorithms: ['EdDSA'] });
      payload = JSON.parse(new TextDecoder().decode(verified.payload)) as Record<string, unknown>;
    } catch {
      return undefined;
    }
    const now = Math.floor(Date.now() / 1000);
    const exp = Math.max(now, Number(payload.exp) || now) + days * 86_400;
    return signLicense(signer, {
      lid: String(payload.lid),
      licensee: String(payload.sub),
      maxUsers: Number(payload.max_users),
      features: Array.isArray(payload.features) ? payload.features.map(String) : [],
      notBefore: now,
      issuedAt: now,
      expiresAt: exp,
      ...(typeof payload.renewal_url === 'string' ? { renewalUrl: payload.renewal_url } : {}),
    });
  };
}
