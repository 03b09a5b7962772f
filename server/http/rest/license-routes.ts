import { z } from 'zod';
import { userCapSchema } from '../../domain/license/license.ts';
import { MAX_LICENSE_BYTES } from '../../domain/license/token.ts';
import { mutation } from './documents.ts';
import { route } from './route.ts';

/** REST routes of license management (spec: "License management"). */

const LICENSE = `state licenseId licensee maxUsers features issuedAt validFrom expiresAt daysLeft renewalUrlSet keyId
  activatedAt activatedBy freeTierMaxUsers usersInUse allocated unallocated updatedAt
  sync { total pending synced failed }
  renewal { failures lastError lastFailedAt nextAttemptAt renewedAt }`;
const LINE = `slug name userCap effectiveCap users syncState attempts lastError nextAttemptAt syncedAt`;

/** The status with its per-tenant lines as `tenants` and their page info beside. */
function withTenants(value: unknown) {
  const { tenants, ...status } = value as { tenants: { edges: { node: unknown }[]; pageInfo: unknown } };
  return { ...status, tenants: tenants.edges.map((e) => e.node), tenantsPageInfo: tenants.pageInfo };
}

export const licenseRoutes = [
  route({
    method: 'GET',
    path: '/license',
    summary:
      'License status: limits, expiry, usage, allocations and per-tenant sync state (the free tier’s limits when none is active)',
    tag: 'license',
    query: z
      .object({
        first: z.coerce.number().int().min(1).max(500).optional(),
        after: z.string().max(500).optional(),
      })
      .strict(),
    document: `query Rest_License($first: Int, $after: String) {
      license { ${LICENSE} tenants(first: $first, after: $after) { edges { node { ${LINE} } } pageInfo { hasNextPage endCursor } } }
    }`,
    field: 'license',
    variables: ({ query }) => ({ first: query.first ?? 100, after: query.after }),
    respond: withTenants,
  }),
  route({
    method: 'POST',
    path: '/license',
    summary: 'Activate a license and fan it out to every tenant',
    tag: 'license',
    body: z
      .object({
        license: z
          .string({ message: 'is required: the license token (compact JWS)' })
          .min(1, 'must not be empty')
          .max(
            MAX_LICENSE_BYTES,
            `is longer than ${MAX_LICENSE_BYTES} characters; a license is at most ${MAX_LICENSE_BYTES} bytes`,
          ),
      })
      .strict(),
    document: mutation(
      'Rest_ActivateLicense',
      'activateLicense',
      LICENSE,
      '$license: String!',
      'license: $license',
    ),
    field: 'activateLicense',
    variables: ({ body }) => ({ license: body.license }),
  }),
  route({
    method: 'DELETE',
    path: '/license',
    summary: 'Clear the license: every tenant returns to the free tier',
    tag: 'license',
    document: mutation('Rest_ClearLicense', 'clearLicense', LICENSE, '', '', false),
    field: 'clearLicense',
    variables: () => ({}),
  }),
  route({
    method: 'POST',
    path: '/license/renew',
    summary: 'Fetch a replacement from the license’s renewal URL now and activate it',
    tag: 'license',
    document: mutation('Rest_RenewLicense', 'renewLicense', LICENSE, '', '', false),
    field: 'renewLicense',
    variables: () => ({}),
  }),
  route({
    method: 'PUT',
    path: '/tenants/:slug/license-allocation',
    summary: 'Allocate users of the license to a tenant ({"user_cap": N}; null removes the allocation)',
    tag: 'license',
    body: z.object({ user_cap: userCapSchema }).strict(),
    document: mutation(
      'Rest_SetLicenseAllocation',
      'setLicenseAllocation',
      LICENSE,
      '$slug: String!, $userCap: Int',
      'slug: $slug, userCap: $userCap',
    ),
    field: 'setLicenseAllocation',
    variables: ({ params, body }) => ({ slug: params.slug, userCap: body.user_cap }),
  }),
];
