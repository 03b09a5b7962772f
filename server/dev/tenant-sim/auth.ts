import { createHash, timingSafeEqual } from 'node:crypto';
import type { TenantResolution } from './resolver.ts';
import { type SecretState, secretState } from './store.ts';
import type { TenantDb } from './tables.ts';

/** The `secrets_state` row holding CP tokens set through `PUT /cp/v1/secrets`. */
export const CP_TOKEN_SECRET = 'cp_token';

/** SHA-256 of a token, hex: what the tenant database stores instead of the value. */
export function hashToken(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

/** The token of an `Authorization: Bearer …` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header ?? '');
  return match?.[1];
}

/**
 * Hashes of every CP token valid at `now`: the tenant's current one and its previous one until it
 * expires (from the resolver, i.e. the Secret), and those rotated in through the API (the database).
 */
export function acceptedTokenHashes(
  tenant: TenantResolution,
  stored: SecretState | undefined,
  now: Date,
): string[] {
  const hashes = [hashToken(tenant.cpToken)];
  const previous = tenant.cpTokenPrevious;
  if (previous && now < previous.expiresAt) hashes.push(hashToken(previous.value));
  if (stored) {
    hashes.push(stored.current_hash);
    if (stored.previous_hash && stored.previous_expires_at && now < stored.previous_expires_at)
      hashes.push(stored.previous_hash);
  }
  return hashes;
}

/**
 * Whether `token` is one of `hashes`. Hashing first gives equal-length digests, so the comparison
 * is constant-time whatever the token's length; every candidate is compared (no early exit).
 */
export function tokenMatches(token: string, hashes: string[]): boolean {
  const digest = createHash('sha256').update(token, 'utf8').digest();
  let found = false;
  for (const hash of hashes) {
    const candidate = Buffer.from(hash, 'hex');
    if (candidate.length === digest.length && timingSafeEqual(candidate, digest)) found = true;
  }
  return found;
}

/** Whether `token` is a valid CP token of this tenant right now. */
export async function isAuthorized(
  db: TenantDb,
  tenant: TenantResolution,
  token: string,
  now: Date,
): Promise<boolean> {
  const stored = await secretState(db, CP_TOKEN_SECRET);
  return tokenMatches(token, acceptedTokenHashes(tenant, stored, now));
}
