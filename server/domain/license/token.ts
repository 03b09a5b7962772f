import { createHash, createPublicKey, type KeyObject } from 'node:crypto';
import { decodeProtectedHeader, errors, jwtVerify } from 'jose';
import { z } from 'zod';
import { DependencyError, ValidationError } from '../errors.ts';

/** Longest license token accepted, in bytes: a license is a few hundred; anything near this is not one. */
export const MAX_LICENSE_BYTES = 16 * 1024;

/** Clock difference tolerated between the issuer and us when checking nbf and exp. */
export const CLOCK_TOLERANCE_SECONDS = 60;

/** The algorithms a license may be signed with: EdDSA over Ed25519 (jose names it either way). */
const ALGORITHMS = ['EdDSA', 'Ed25519'];

/** A public key licenses are verified with, and the id that names it (its `kid`, or its thumbprint). */
export type TrustedKey = { kid: string; key: KeyObject };

/** What a verified license says, in the control plane's terms. */
export type VerifiedLicense = {
  lid: string;
  licensee: string;
  maxUsers: number;
  features: string[];
  issuedAt: Date | null;
  notBefore: Date;
  expiresAt: Date;
  renewalUrl: string | null;
  /** The trusted key whose signature matched. */
  keyId: string;
};

/** Printable text: no control characters (PostgreSQL refuses NUL, and none belongs in a name). */
const printable = (name: string, max: number) =>
  z
    .string()
    .min(1, `${name} must not be empty`)
    .max(max, `${name} is longer than ${max} characters`)
    .refine((v) => ![...v].some((ch) => ch.charCodeAt(0) < 0x20 || ch.charCodeAt(0) === 0x7f), {
      message: `${name} contains control characters`,
    });

/** Seconds since the epoch up to the year 9999: what a timestamp column holds. */
const instant = (name: string) =>
  z
    .number({ message: `${name} must be a number of seconds` })
    .min(0, `${name} is before 1970`)
    .max(253_402_300_799, `${name} is after the year 9999`);

const claimsSchema = z.object({
  lid: printable('lid', 200),
  sub: printable('sub (the licensee)', 200),
  max_users: z
    .number({ message: 'max_users must be a number' })
    .int('max_users must be a whole number')
    .min(1, 'max_users must be at least 1')
    .max(1_000_000_000, 'max_users must be at most 1,000,000,000'),
  features: z
    .array(printable('a feature', 100), { message: 'features must be a list of names' })
    .max(100, 'features has more than 100 entries'),
  nbf: instant('nbf'),
  exp: instant('exp'),
  iat: instant('iat').optional(),
  renewal_url: z
    .string()
    .max(2048, 'renewal_url is longer than 2048 characters')
    .refine(
      (v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol),
      'renewal_url must be an http(s) URL',
    )
    .refine(
      (v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password),
      'renewal_url must not hold credentials',
    )
    .optional(),
});

const REQUIRED_CLAIMS = ['lid', 'sub', 'max_users', 'features', 'nbf', 'exp'];

function invalid(reason: string): ValidationError {
  return new ValidationError(`invalid license: ${reason}`, [{ path: 'license', message: reason }]);
}

/** RFC 7638 thumbprint of an Ed25519 public key: the id of a key configured without one. */
export function keyThumbprint(key: KeyObject): string {
  const jwk = key.export({ format: 'jwk' });
  const canonical = JSON.stringify({ crv: jwk.crv, kty: jwk.kty, x: jwk.x });
  return createHash('sha256').update(canonical).digest('base64url');
}

function trusted(key: KeyObject, kid?: unknown): TrustedKey {
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new TypeError(
      `a license key must be an Ed25519 public key (got ${key.asymmetricKeyType ?? 'a secret key'})`,
    );
  }
  return { kid: typeof kid === 'string' && kid ? kid : keyThumbprint(key), key };
}

/**
 * Reads `LICENSE_PUBLIC_KEYS`: a JWK Set (`{"keys":[{"kty":"OKP","crv":"Ed25519","x":…,"kid":…}]}`)
 * or one or more PEM `PUBLIC KEY` blocks, several keys for rotation. Throws a one-line reason.
 */
export function parsePublicKeys(text: string): TrustedKey[] {
  const trimmed = text.trim();
  const keys: TrustedKey[] = [];
  if (trimmed.startsWith('{')) {
    let set: unknown;
    try {
      set = JSON.parse(trimmed);
    } catch {
      throw new TypeError('is neither a JWK Set nor PEM public keys (the JSON does not parse)');
    }
    const list = (set as { keys?: unknown }).keys;
    if (!Array.isArray(list) || list.length === 0)
      throw new TypeError('must be a JWK Set with at least one key');
    for (const jwk of list as Record<string, unknown>[]) {
      if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string' || 'd' in jwk) {
        throw new TypeError(
          'every key must be an Ed25519 public JWK ({"kty":"OKP","crv":"Ed25519","x":…}, no "d")',
        );
      }
      keys.push(
        trusted(createPublicKey({ key: { kty: 'OKP', crv: 'Ed25519', x: jwk.x }, format: 'jwk' }), jwk.kid),
      );
    }
  } else {
    const blocks = trimmed.match(/-----BEGIN PUBLIC KEY-----[\s\S]+?-----END PUBLIC KEY-----/g);
    if (!blocks) throw new TypeError('is neither a JWK Set nor PEM public keys (-----BEGIN PUBLIC KEY-----)');
    for (const pem of blocks) keys.push(trusted(createPublicKey(pem)));
  }
  const ids = new Set(keys.map((k) => k.kid));
  if (ids.size !== keys.length) throw new TypeError('two keys have the same kid');
  return keys;
}

/**
 * Verifies a license token against the trusted keys at `now`: a compact JWS of at most 16 KiB,
 * signed with EdDSA by one of the keys (by its `kid` when the header names one), valid at `now`
 * (`nbf` ≤ now < `exp`), with every required claim well-formed. Throws a {@link ValidationError}
 * saying exactly what is wrong; never echoes the token.
 */
export async function verifyLicense(
  token: unknown,
  keys: readonly TrustedKey[],
  now: Date,
): Promise<VerifiedLicense> {
  if (typeof token !== 'string' || token.trim() === '') throw invalid('a license token is required');
  const jws = token.trim();
  const bytes = Buffer.byteLength(jws);
  if (bytes > MAX_LICENSE_BYTES)
    throw invalid(`the token is ${bytes} bytes; a license is at most ${MAX_LICENSE_BYTES}`);
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(jws)) {
    throw invalid('not a compact JWS (three base64url parts separated by dots)');
  }
  let header: ReturnType<typeof decodeProtectedHeader>;
  try {
    header = decodeProtectedHeader(jws);
  } catch {
    throw invalid('the JWS header is not valid base64url JSON');
  }
  if (typeof header.alg !== 'string' || !ALGORITHMS.includes(header.alg)) {
    const alg = typeof header.alg === 'string' ? header.alg.slice(0, 20) : 'missing';
    throw invalid(
      `alg ${alg === 'none' ? '"none" (unsigned)' : alg} is refused; licenses are signed with EdDSA (Ed25519)`,
    );
  }
  if (keys.length === 0) {
    throw new DependencyError(
      'no license public keys are configured: set LICENSE_PUBLIC_KEYS to the issuer’s Ed25519 public keys',
      'LICENSE_KEYS_MISSING',
    );
  }
  const named = typeof header.kid === 'string' ? keys.filter((k) => k.kid === header.kid) : [];
  const candidates = named.length > 0 ? named : keys;
  for (const candidate of candidates) {
    let payload: Record<string, unknown>;
    try {
      ({ payload } = await jwtVerify(jws, candidate.key, {
        algorithms: ALGORITHMS,
        currentDate: now,
        clockTolerance: CLOCK_TOLERANCE_SECONDS,
        requiredClaims: REQUIRED_CLAIMS,
      }));
    } catch (error) {
      if (error instanceof errors.JWSSignatureVerificationFailed) continue;
      throw invalid(reasonOf(error));
    }
    const claims = claimsSchema.safeParse(payload);
    if (!claims.success) throw invalid(claims.error.issues.map((i) => i.message).join('; '));
    const c = claims.data;
    return {
      lid: c.lid,
      licensee: c.sub,
      maxUsers: c.max_users,
      features: [...new Set(c.features)].sort(),
      issuedAt: c.iat === undefined ? null : new Date(c.iat * 1000),
      notBefore: new Date(c.nbf * 1000),
      expiresAt: new Date(c.exp * 1000),
      renewalUrl: c.renewal_url ?? null,
      keyId: candidate.kid,
    };
  }
  throw invalid(
    named.length > 0
      ? `the signature does not match key ${String(header.kid).slice(0, 80)}`
      : 'the signature does not match any trusted key',
  );
}

function reasonOf(error: unknown): string {
  if (error instanceof errors.JWTExpired) {
    const exp = Number(error.payload.exp);
    return Number.isFinite(exp) ? `it expired at ${new Date(exp * 1000).toISOString()}` : 'it has expired';
  }
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf' && error.reason === 'check_failed') {
      const nbf = Number(error.payload.nbf);
      return `it is not valid before ${Number.isFinite(nbf) ? new Date(nbf * 1000).toISOString() : 'its nbf'}`;
    }
    if (error.reason === 'missing') return `the ${error.claim} claim is missing`;
    return `the ${error.claim} claim is invalid (${error.message})`;
  }
  if (error instanceof errors.JWTInvalid) return 'the payload is not a JSON object of claims';
  if (error instanceof errors.JOSEAlgNotAllowed)
    return 'its algorithm is refused; licenses are signed with EdDSA';
  if (error instanceof errors.JWSInvalid)
    return 'the JWS is malformed (its signature or payload does not decode)';
  if (error instanceof errors.JOSEError) return `it is not a valid JWS (${error.code})`;
  return 'it could not be verified';
}
