import { ConflictError, NotFoundError, ValidationError } from '../server/domain/errors.ts';
import {
  activateLicense,
  clearLicense,
  readLicenseStatus,
  setLicenseAllocation,
} from '../server/domain/license/license.ts';
import { renewLicense } from '../server/domain/license/renewal.ts';
import {
  effectiveCap,
  type LicenseStatus,
  type LicenseTenantRow,
  listLicenseTenants,
} from '../server/domain/license/status.ts';
import { MAX_LICENSE_BYTES } from '../server/domain/license/token.ts';
import type { EventBus } from '../server/events/bus.ts';
import { coalescedFeed, type Tick } from '../server/events/coalesce.ts';
import { builder } from './builder.ts';
import { keysetConnection, keysetCursor } from './connection.ts';
import { mutationErrors } from './errors.ts';
import { loadOncePerEvent } from './event-load.ts';

/** Changes within this window reach license subscribers as one update. */
const COALESCE_MS = 250;

/** A status, and the event it was loaded for (subscriptions load nested lists once per event too). */
type LicenseView = LicenseStatus & { source?: Tick };

const LicenseState = builder.enumType('LicenseState', {
  description: 'Where the deployment stands with its license.',
  values: {
    FREE: {
      value: 'free',
      description: 'No license is active: every tenant has the free tier (freeTierMaxUsers).',
    },
    ACTIVE: { value: 'active', description: 'A license is in force and more than 30 days from expiry.' },
    EXPIRING: { value: 'expiring', description: 'A license is in force and expires within 30 days.' },
    EXPIRED: { value: 'expired', description: 'The license in force has expired; activate or renew one.' },
  } as const,
});

const LicenseSyncState = builder.enumType('LicenseSyncState', {
  description: "Whether a tenant's backend holds what the license says it should.",
  values: {
    PENDING: { value: 'pending', description: 'Being told (or about to be) of the latest change.' },
    SYNCED: {
      value: 'synced',
      description: 'Holds the current license and its user cap (or the free tier).',
    },
    FAILED: {
      value: 'failed',
      description: 'The last attempt failed; lastError says why and nextAttemptAt when it is retried.',
    },
  } as const,
});

const SyncCounts = builder.objectRef<LicenseStatus['sync']>('LicenseSyncCounts').implement({
  description: 'Active tenants by license sync state.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'Active tenants.' }),
    pending: t.exposeInt('pending', { description: 'Being told of the latest change.' }),
    synced: t.exposeInt('synced', { description: 'Holding what they should.' }),
    failed: t.exposeInt('failed', { description: 'Whose last attempt failed; retried with backoff.' }),
  }),
});

const Renewal = builder.objectRef<LicenseStatus['renewal']>('LicenseRenewal').implement({
  description: 'How renewing the license has gone; failures leave the license in force.',
  fields: (t) => ({
    failures: t.int({
      description: 'Failed attempts since the license was activated or last renewed.',
      resolve: (r) => r.renewal_attempts,
    }),
    lastError: t.string({
      nullable: true,
      description: 'Why the last attempt failed.',
      resolve: (r) => r.renewal_error,
    }),
    lastFailedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it last failed.',
      resolve: (r) => r.renewal_failed_at,
    }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description:
        'The earliest next automatic attempt: after a failure (backoff), or after a renewal (a quarter of the new license’s life, at least an hour).',
      resolve: (r) => r.renewal_next_at,
    }),
    renewedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When the license in force was put there by a renewal; null when it was activated.',
      resolve: (r) => r.renewed_at,
    }),
  }),
});

const LicenseTenant = builder.objectRef<LicenseLine>('LicenseTenant').implement({
  description:
    "A tenant's line of the license: its allocation, its users and whether its backend is in sync.",
  fields: (t) => ({
    slug: t.exposeString('slug', { description: "The tenant's slug." }),
    name: t.exposeString('name', { description: "The tenant's display name." }),
    userCap: t.int({
      nullable: true,
      description: 'Users allocated to this tenant; null: it shares what no allocation holds.',
      resolve: (r) => r.user_cap,
    }),
    effectiveCap: t.int({
      description:
        'Users this tenant may have now: its allocation, else what no allocation holds, else (free tier) freeTierMaxUsers.',
      resolve: (r) => r.cap,
    }),
    users: t.int({
      nullable: true,
      description: 'Users its backend last reported; null before the first poll.',
      resolve: (r) => r.users,
    }),
    syncState: t.field({
      type: LicenseSyncState,
      description: 'Whether its backend holds what it should.',
      resolve: (r) => r.sync_state,
    }),
    attempts: t.exposeInt('attempts', { description: 'Failed attempts since the last change.' }),
    lastError: t.string({
      nullable: true,
      description: 'Why the last attempt failed.',
      resolve: (r) => r.last_error,
    }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it is told next, while not synced.',
      resolve: (r) => r.next_attempt_at,
    }),
    syncedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was last told successfully.',
      resolve: (r) => r.synced_at,
    }),
  }),
});

type LicenseLine = LicenseTenantRow & { cap: number };

const licenseTenantCursor = keysetCursor<LicenseLine, string>(
  'license tenant list',
  (row) => row.slug,
  (value) => (typeof value === 'string' ? value : undefined),
);

const License = builder.objectRef<LicenseView>('License').implement({
  description:
    "The deployment's license (or the free tier), its use and its fan-out to tenants. Follow licenseChanged for updates.",
  fields: (t) => ({
    state: t.field({
      type: LicenseState,
      description: 'Free, active, expiring or expired.',
      resolve: (s) => s.state,
    }),
    licenseId: t.string({
      nullable: true,
      description: 'The license id (lid); null in the free tier.',
      resolve: (s) => s.license?.lid ?? null,
    }),
    licensee: t.string({
      nullable: true,
      description: 'Whom it is issued to (sub).',
      resolve: (s) => s.license?.licensee ?? null,
    }),
    maxUsers: t.int({
      nullable: true,
      description: 'Users the license allows over all tenants; null in the free tier (see freeTierMaxUsers).',
      resolve: (s) => s.license?.max_users ?? null,
    }),
    features: t.stringList({
      description: 'Features it enables; empty in the free tier.',
      resolve: (s) => s.license?.features ?? [],
    }),
    issuedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was issued (iat), if it says.',
      resolve: (s) => s.license?.issued_at ?? null,
    }),
    validFrom: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Valid from (nbf).',
      resolve: (s) => s.license?.not_before ?? null,
    }),
    expiresAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Expiry (exp).',
      resolve: (s) => s.license?.expires_at ?? null,
    }),
    daysLeft: t.int({
      nullable: true,
      description: 'Whole days until expiry, negative once expired.',
      resolve: (s) => s.daysLeft,
    }),
    renewalUrlSet: t.boolean({
      description: 'Whether the license names a renewal URL (renewLicense and automatic renewal need one).',
      resolve: (s) => Boolean(s.license?.renewal_url),
    }),
    keyId: t.string({
      nullable: true,
      description: 'The trusted key its signature matched.',
      resolve: (s) => s.license?.key_id ?? null,
    }),
    activatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was put in force.',
      resolve: (s) => s.license?.activated_at ?? null,
    }),
    activatedBy: t.string({
      nullable: true,
      description: 'Who put it in force (AuditActor.label); "control plane" for automatic renewals.',
      resolve: (s) => s.license?.activated_by ?? null,
    }),
    freeTierMaxUsers: t.exposeInt('freeTierMaxUsers', {
      description: 'Users each tenant may have while no license is active.',
    }),
    usersInUse: t.exposeInt('usersInUse', {
      description: 'Users over all active tenants, as their backends last reported.',
    }),
    allocated: t.exposeInt('allocated', { description: 'Users held by per-tenant allocations.' }),
    unallocated: t.int({
      nullable: true,
      description: 'Users no allocation holds, shared by the unallocated tenants; null in the free tier.',
      resolve: (s) => (s.license ? Math.max(0, s.license.max_users - s.allocated) : null),
    }),
    sync: t.field({ type: SyncCounts, description: 'Active tenants by sync state.', resolve: (s) => s.sync }),
    renewal: t.field({ type: Renewal, description: 'How renewing has gone.', resolve: (s) => s.renewal }),
    updatedAt: t.field({
      type: 'DateTime',
      description: 'The last change of license or allocations.',
      resolve: (s) => s.updatedAt,
    }),
    tenants: t.connection(
      {
        type: LicenseTenant,
        description: 'Every tenant not deleted with its allocation and sync state, by slug.',
        resolve: (status, args, ctx) =>
          keysetConnection(args, licenseTenantCursor, async ({ after, before, limit, inverted }) => {
            const rows = await listLicenseTenants(ctx.services.db, {
              afterSlug: after,
              beforeSlug: before,
              limit,
              descending: inverted,
            });
            return rows.map((row) => ({ ...row, cap: effectiveCap(status, row.user_cap) }));
          }),
      },
      { description: 'A page of license lines, by slug.' },
      { description: 'A license line and its cursor.' },
    ),
  }),
});

builder.queryField('license', (t) =>
  t.field({
    type: License,
    description: 'The license status; in the free tier its limits, never null. Any signed-in operator.',
    resolve: (_, __, ctx) => readLicenseStatus(ctx.services),
  }),
);

builder.mutationField('activateLicense', (t) =>
  t.field({
    type: License,
    description: `Verifies a license (EdDSA signature by a trusted key, nbf/exp, required claims, at most ${MAX_LICENSE_BYTES} bytes), puts it in force and tells every tenant; progress in License.sync and licenseChanged. A refused license changes nothing. Admin role. Audited (license.activated, with the license id, never the token).`,
    args: { license: t.arg.string({ required: true, description: 'The license token (compact JWS).' }) },
    errors: mutationErrors([ValidationError, ConflictError], 'The license status after activation.'),
    resolve: (_, { license }, ctx) => activateLicense(ctx.services, ctx, license),
  }),
);

builder.mutationField('clearLicense', (t) =>
  t.field({
    type: License,
    description:
      'Clears the license: every tenant returns to the free tier, told and retried like an activation. Nothing changes when none is active. Admin role. Audited (license.cleared).',
    errors: mutationErrors([], 'The license status after clearing.'),
    resolve: (_, __, ctx) => clearLicense(ctx.services, ctx),
  }),
);

builder.mutationField('setLicenseAllocation', (t) =>
  t.field({
    type: License,
    description:
      "Sets a tenant's share of the license's users, or with userCap: null removes it. Allocations together never exceed maxUsers (ConflictError LICENSE_OVER_ALLOCATED says by how much); unallocated tenants share the rest. Needs an active license (NO_LICENSE). Admin role. Audited (license.allocation.set).",
    args: {
      slug: t.arg.string({ required: true, description: "The tenant's slug." }),
      userCap: t.arg.int({
        description: 'Users for this tenant, at least 1; null or left out removes the allocation.',
      }),
    },
    errors: mutationErrors(
      [ValidationError, NotFoundError, ConflictError],
      'The license status after the change.',
    ),
    resolve: (_, { slug, userCap }, ctx) =>
      setLicenseAllocation(ctx.services, ctx, { slug, userCap: userCap ?? null }),
  }),
);

builder.mutationField('renewLicense', (t) =>
  t.field({
    type: License,
    description:
      "Fetches a replacement from the license's renewal URL now, verifies it as an activation (same licensee, later expiry) and activates it. A failure (DependencyError LICENSE_RENEWAL_FAILED) is recorded in License.renewal and the current license stays; a license replaced while the issuer answered is kept (ConflictError LICENSE_CHANGED). Admin role. Audited (license.activated or license.renewal_failed).",
    errors: mutationErrors([ConflictError], 'The license status after renewal.'),
    resolve: (_, __, ctx) => renewLicense(ctx.services, ctx),
  }),
);

const feeds = new WeakMap<EventBus, ReturnType<typeof coalescedFeed>>();

builder.subscriptionField('licenseChanged', (t) =>
  t.field({
    type: License,
    description: `The license status again whenever the license, an allocation, a tenant's sync state or the tenants change, on any replica (changes within ${COALESCE_MS} ms come as one update). Any signed-in operator.`,
    subscribe: (_, __, ctx) => {
      const { bus } = ctx.services;
      let feed = feeds.get(bus);
      if (!feed) {
        feed = coalescedFeed(bus, ['license.changed', 'license.sync', 'tenant.updated'], COALESCE_MS);
        feeds.set(bus, feed);
      }
      return feed.subscribe();
    },
    resolve: async (tick, _, ctx) => ({
      ...(await loadOncePerEvent(tick, () => readLicenseStatus(ctx.services))),
      source: tick,
    }),
  }),
);
