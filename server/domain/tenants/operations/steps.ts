import { REGISTRY_CONFIGMAP, registryKey, tenantSecretName } from '../../../cluster/labels.ts';
import { TENANT_SECRET_KEYS, tenantSecret } from '../../../cluster/resources.ts';
import type { OperationKind, TenantRow } from '../../../db/schema.ts';
import { scramVerifierAsync } from '../../../db/scram.ts';
import { provisionTenantLicense } from '../../license/sync.ts';
import { provisionTenantSmtp } from '../../settings/smtp-sync.ts';
import { removeDedicatedLoginWorker, WORKER_STEPS } from '../../workers/steps.ts';
import { passwordOf, readTenantSecret } from '../cluster-secret.ts';
import { writeRegistryEntry } from '../registry.ts';
import { generateTenantSecrets } from '../secrets/generate.ts';
import type { TenantServices } from '../services.ts';

/**
 * What the steps of one attempt hand on to each other: the tenant's Secret as the `secret` step
 * stores it (a promise, set as that step begins, so a step running beside it waits for the Secret
 * to be stored), or as a later step first read it, so each step does not read it from the cluster
 * again; and the SCRAM verifier of a database password, which the `secret` step starts making
 * (4096 rounds of PBKDF2 on libuv's pool) while the Secret is written. A new attempt (after a
 * crash, a failure, a restart) starts empty and reads the Secret.
 */
export type StepContext = {
  secret?: Promise<Record<string, string> | undefined>;
  verifier?: { password: string; made: Promise<string | undefined> };
};

export type Step = {
  name: string;
  run: (services: TenantServices, tenant: TenantRow, context: StepContext) => Promise<void>;
  /**
   * The name of an earlier step this one needs nothing from: it then starts when that step starts
   * and runs beside it, and the runner waits for it where it stands in the plan.
   */
  alongside?: string;
};

/**
 * The tenant's Secret values: those this attempt stores or already holds (waiting for the `secret`
 * step of this attempt to store them, when it is under way), else read from the cluster, once.
 */
function secretOf(
  { cluster }: Pick<TenantServices, 'cluster'>,
  tenant: TenantRow,
  context: StepContext,
): Promise<Record<string, string> | undefined> {
  context.secret ??= readTenantSecret(cluster, tenant.slug);
  return context.secret;
}

/**
 * A step found that what an earlier step made is gone (a Secret deleted by hand, say): the runner
 * runs `producer` and every step after it again, instead of failing the same way forever.
 */
export class MissingInput extends Error {
  override name = 'MissingInput';
  constructor(
    readonly producer: string,
    message: string,
  ) {
    super(message);
  }
}

/**
 * Creating a tenant. `record` is the request itself (the tenant row); every later step is
 * idempotent, so after a crash the reconciler runs the first unfinished one again.
 *
 * The Secret comes before the role on purpose: the role's password is generated into the Secret
 * first and read back from it, so it is never held only in memory (a crash between creating the
 * role and storing its password would otherwise lose it) and never stored in our own database.
 * The database itself holds no password: it is made while the Secret is written.
 */
export const CREATE_STEPS: readonly Step[] = [
  { name: 'record', run: async () => {} },
  {
    name: 'secret',
    async run(services, tenant, context) {
      // Set before anything is awaited: the database step, beside this one, waits on it.
      context.secret = storeSecret(services, tenant, context);
      await context.secret;
    },
  },
  {
    // The database needs nothing from the Secret: it is made (owned by the administrator for now,
    // PUBLIC's access revoked at once) while the Secret is written, beside the `secret` step. The
    // role is made only once the Secret holds its password, and is then given the database.
    name: 'database',
    alongside: 'secret',
    async run(services, tenant, context) {
      const made = services.databases.makeDatabase(tenant.slug);
      // Handled from the start: it may fail while the Secret or the role is still awaited (the
      // failure is the step's, through `ensure`, not an unhandled rejection).
      made.catch(() => {});
      try {
        const secret = await secretOf(services, tenant, context);
        if (!secret?.DATABASE_URL) {
          throw new MissingInput(
            'secret',
            `Secret ${tenantSecretName(tenant.slug)} is missing or has no DATABASE_URL`,
          );
        }
        const password = passwordOf(secret.DATABASE_URL);
        const verifier = context.verifier?.password === password ? await context.verifier.made : undefined;
        await services.databases.ensure(tenant.slug, password, verifier, made);
      } finally {
        // Never left running past the step, whatever ended it.
        await made.catch(() => {});
      }
    },
  },
  {
    // Public config only (no secret values, nothing the database step makes): written while the
    // database is created, so its Kubernetes write is not one more wait of its own.
    name: 'registry',
    alongside: 'database',
    run: (services, tenant) => writeRegistryEntry(services, tenant),
  },
  {
    name: 'handoff',
    async run(services, tenant, context) {
      const secret = await secretOf(services, tenant, context);
      if (!secret?.CP_TOKEN || !secret.ADMIN_INITIAL_PASSWORD) {
        throw new MissingInput(
          'secret',
          `Secret ${tenantSecretName(tenant.slug)} is missing or lacks CP_TOKEN or ADMIN_INITIAL_PASSWORD`,
        );
      }
      // Fails while the backend is not answering yet; the operation retries with backoff.
      await services.backends
        .forTenant(tenant.slug, secret.CP_TOKEN)
        .setAdminPassword(secret.ADMIN_INITIAL_PASSWORD);
    },
  },
  {
    // The deployment's license (with this tenant's share), or nothing in the free tier.
    name: 'license',
    async run(services, tenant, context) {
      await provisionTenantLicense(services, () => cpApi(services, tenant, context), tenant);
    },
  },
  {
    // The deployment's SMTP relay, or nothing while none is configured. Its own line and its own
    // backend call: beside the license's.
    name: 'smtp',
    alongside: 'license',
    async run(services, tenant, context) {
      await provisionTenantSmtp(services, () => cpApi(services, tenant, context), tenant);
    },
  },
];

/**
 * Ensures the tenant's Secret and returns its values: a new one with fresh values, or the one there
 * already with what it lacks filled in (values a previous attempt stored are kept, so a retry never
 * changes them).
 */
async function storeSecret(
  { cluster, databases }: TenantServices,
  tenant: TenantRow,
  context: StepContext,
): Promise<Record<string, string>> {
  const fresh = generateTenantSecrets();
  const complete = (existing: Record<string, string>) => {
    const values: Record<string, string> = { ...existing };
    // Keep what a previous attempt stored; fill in only what is missing.
    const password = existing.DATABASE_URL ? passwordOf(existing.DATABASE_URL) : fresh.DB_PASSWORD;
    values.DATABASE_URL ??= databases.urlFor(tenant.slug, password);
    for (const key of TENANT_SECRET_KEYS) {
      if (key !== 'DATABASE_URL') values[key] ??= fresh[key];
    }
    return values;
  };
  // Usually there is none yet: one request creates it. One there already keeps its values.
  const created = complete({});
  // For the new Secret's password (undefined if it failed: the database step then makes its own).
  context.verifier = {
    password: fresh.DB_PASSWORD,
    made: scramVerifierAsync(fresh.DB_PASSWORD).catch(() => undefined),
  };
  if (await cluster.createIfMissing(tenantSecret(cluster.namespace, tenant.slug, created))) {
    return created;
  }
  const values = complete((await readTenantSecret(cluster, tenant.slug)) ?? {});
  await cluster.ensure(tenantSecret(cluster.namespace, tenant.slug, values));
  return values;
}

async function cpApi(services: TenantServices, tenant: TenantRow, context: StepContext) {
  const secret = await secretOf(services, tenant, context);
  if (!secret?.CP_TOKEN) {
    throw new MissingInput('secret', `Secret ${tenantSecretName(tenant.slug)} is missing or lacks CP_TOKEN`);
  }
  return services.backends.forTenant(tenant.slug, secret.CP_TOKEN);
}

/** Deleting a tenant: stop routing to it first, then remove what it runs on, then its data. */
export const DELETE_STEPS: readonly Step[] = [
  {
    name: 'registry',
    async run({ cluster }, tenant) {
      await cluster.patchConfigMapKey(REGISTRY_CONFIGMAP, registryKey(tenant.slug), null);
    },
  },
  {
    name: 'login-worker',
    async run(services, tenant) {
      await removeDedicatedLoginWorker(services, tenant.slug);
    },
  },
  {
    name: 'database',
    async run({ databases }, tenant) {
      await databases.drop(tenant.slug);
    },
  },
  {
    name: 'secret',
    async run({ cluster }, tenant) {
      await cluster.delete('Secret', 'v1', tenantSecretName(tenant.slug));
    },
  },
];

/**
 * Repairing an active tenant: its Secret (missing values filled in, present ones kept; a lost
 * Secret gets new values, so its backend must restart to read them), its role and database (the
 * role's password aligned with the Secret), and its registry entry. No handoff: the tenant's admin
 * may have changed the admin password since.
 */
export const REPAIR_STEPS: readonly Step[] = CREATE_STEPS.filter((s) =>
  ['secret', 'database', 'registry'].includes(s.name),
);

export const STEPS: Record<OperationKind, readonly Step[]> = {
  create: CREATE_STEPS,
  delete: DELETE_STEPS,
  repair: REPAIR_STEPS,
  workers: WORKER_STEPS,
};
