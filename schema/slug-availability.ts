import { type SlugAvailability, slugAvailability } from '../server/domain/tenants/slug-availability.ts';
import { SLUG_MAX, SLUG_MIN } from '../server/domain/tenants/slug-rules.ts';
import { builder } from './builder.ts';

const SlugAvailabilityStatus = builder.enumType('SlugAvailabilityStatus', {
  description: 'Whether a new tenant could take a slug now.',
  values: {
    AVAILABLE: { value: 'available', description: 'createTenant would accept it now.' },
    TAKEN: {
      value: 'taken',
      description: 'A tenant that is not deleted has it (one being deleted frees it when it is gone).',
    },
    RESERVED: {
      value: 'reserved',
      description: 'A name kept for the system (admin, api, kube-…); no tenant may take it.',
    },
    INVALID: {
      value: 'invalid',
      description: `Not a slug: ${SLUG_MIN}–${SLUG_MAX} lowercase letters, digits and hyphens, no two hyphens in a row.`,
    },
  } as const,
});

const SlugAvailabilityRef = builder.objectRef<SlugAvailability>('SlugAvailability').implement({
  description: 'What createTenant would say about a slug at the moment it was asked.',
  fields: (t) => ({
    slug: t.exposeString('slug', { description: 'The slug asked about, as given.' }),
    status: t.field({
      type: SlugAvailabilityStatus,
      description: 'Available, or why not.',
      resolve: (a) => a.status,
    }),
    reason: t.exposeString('reason', {
      nullable: true,
      description:
        'Why it cannot be taken, in the words createTenant would use ("must not contain two hyphens in a row", "is taken by …"); null when available.',
    }),
  }),
});

builder.queryField('slugAvailability', (t) =>
  t.field({
    type: SlugAvailabilityRef,
    description:
      "Whether a new tenant could take this slug now, checked with createTenant's own rules (form, reserved names) and against the tenants that are not deleted; for forms that check as the slug is typed. Only advice: a create a moment later may still find it taken (TENANT_EXISTS). Any signed-in operator.",
    args: { slug: t.arg.string({ required: true, description: 'The slug to check.' }) },
    resolve: (_, { slug }, ctx) => slugAvailability(ctx.services.db, slug),
  }),
);
