import { randomBytes } from 'node:crypto';
import type { V1Deployment, V1Secret } from '@kubernetes/client-node';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ClusterClient } from '../../cluster/client.ts';
import { AGENT_HMAC_SECRET, INSTANCE_LABEL, SHARED_AGENT_POOL } from '../../cluster/labels.ts';
import { AGENT_KEY_ID_ANNOTATION, agentHmacSecret, sharedAgentPool } from '../../cluster/resources.ts';
import type { Db } from '../../db/database.ts';
import type { EventBus } from '../../events/bus.ts';
import { type LeaderTask, periodicJob } from '../../jobs/periodic.ts';
import type { Logger } from '../../log.ts';
import { SYSTEM_ACTOR } from '../actor.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { ConflictError } from '../errors.ts';
import { tagOf, workerImage } from '../infrastructure/versions.ts';
import { parseInput } from '../validate.ts';
import { type AgentPod, type AgentSources, agentPods } from './agents.ts';

/**
 * The shared agent pool: Deployment `agent-shared` and Secret `agent-shared-hmac`, the key agents
 * register with. The Secret holds the current key and its id (`HMAC_KEY`, `HMAC_KEY_ID`,
 * `HMAC_KEY_CREATED_AT`) and, for a grace period after a rotation, the previous one
 * (`HMAC_KEY_PREVIOUS`, `HMAC_KEY_PREVIOUS_ID`, `HMAC_KEY_PREVIOUS_EXPIRES_AT`).
 */

export type SharedPoolServices = {
  db: Db;
  bus: EventBus;
  cluster: ClusterClient;
  logger: Logger;
  now: () => Date;
  /** The image of new agents, and how long a rotated key stays valid. */
  settings: { agentImage: string; agentKeyGraceSeconds: number };
} & AgentSources;

export type SharedPoolStatus = {
  initialized: boolean;
  replicas: number;
  readyReplicas: number;
  image: string | null;
  version: string | null;
  keyId: string | null;
  keyCreatedAt: Date | null;
  previousKeyId: string | null;
  previousKeyExpiresAt: Date | null;
  /** Tenants in agent mode without a pool of their own: they run on this one. */
  tenants: string[];
  agents: AgentPod[];
};

type KeyState = {
  key: string;
  id: string;
  createdAt: string;
  previous?: { key: string; id: string; expiresAt: string };
};

const newKey = () => ({ key: randomBytes(32).toString('base64'), id: `k-${randomBytes(6).toString('hex')}` });

function decode(secret: V1Secret | undefined): Record<string, string> {
  return Object.fromEntries(
    Object.entries(secret?.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8')]),
  );
}

async function readKeys(cluster: ClusterClient): Promise<KeyState | undefined> {
  const data = decode(await cluster.read<V1Secret>('Secret', 'v1', AGENT_HMAC_SECRET));
  if (!data.HMAC_KEY || !data.HMAC_KEY_ID) return undefined;
  return {
    key: data.HMAC_KEY,
    id: data.HMAC_KEY_ID,
    createdAt: data.HMAC_KEY_CREATED_AT ?? '',
    ...(data.HMAC_KEY_PREVIOUS && data.HMAC_KEY_PREVIOUS_ID && data.HMAC_KEY_PREVIOUS_EXPIRES_AT
      ? {
          previous: {
            key: data.HMAC_KEY_PREVIOUS,
            id: data.HMAC_KEY_PREVIOUS_ID,
            expiresAt: data.HMAC_KEY_PREVIOUS_EXPIRES_AT,
          },
        }
      : {}),
  };
}

const b64 = (v: string) => Buffer.from(v, 'utf8').toString('base64');

/** Tenants in agent mode with no pool: they use the shared one. */
async function sharedPoolTenants(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('tenant_worker_configs as c')
    .innerJoin('tenants as t', 't.id', 'c.tenant_id')
    .select('t.slug')
    .where('c.task_mode', '=', 'agent')
    .where('c.pool_id', 'is', null)
    .where('t.state', '<>', 'deleted')
    .orderBy('t.slug')
    .execute();
  return rows.map((r) => r.slug);
}

/** What `GET /shared-agent-pool` shows. */
export async function sharedPoolStatus(services: SharedPoolServices): Promise<SharedPoolStatus> {
  const [deployment, keys, tenants] = await Promise.all([
    services.cluster.read<V1Deployment>('Deployment', 'apps/v1', SHARED_AGENT_POOL),
    readKeys(services.cluster),
    sharedPoolTenants(services.db),
  ]);
  const image = deployment?.spec?.template?.spec?.containers?.[0]?.image ?? null;
  const tag = tagOf(image);
  return {
    initialized: Boolean(deployment && keys),
    replicas: deployment?.spec?.replicas ?? 0,
    readyReplicas: deployment?.status?.readyReplicas ?? 0,
    image,
    version: tag,
    keyId: keys?.id ?? null,
    keyCreatedAt: keys?.createdAt ? new Date(keys.createdAt) : null,
    previousKeyId: keys?.previous?.id ?? null,
    previousKeyExpiresAt: keys?.previous ? new Date(keys.previous.expiresAt) : null,
    tenants,
    agents: deployment ? await agentPods(services, { [INSTANCE_LABEL]: SHARED_AGENT_POOL }) : [],
  };
}

/**
 * Creates the shared agent pool: the HMAC Secret (a random 256-bit key with an id), then the
 * Deployment reading it (2 replicas). Idempotent: what exists is kept, and a second call answers
 * the pool as it is.
 */
export async function initSharedPool(services: SharedPoolServices, call: Call): Promise<SharedPoolStatus> {
  const { cluster } = services;
  let madeKey = false;
  if (!(await readKeys(cluster))) {
    const fresh = newKey();
    const secret = agentHmacSecret(cluster.namespace, fresh.key);
    secret.data = {
      ...secret.data,
      HMAC_KEY_ID: b64(fresh.id),
      HMAC_KEY_CREATED_AT: b64(services.now().toISOString()),
    };
    // Created only if missing: of two replicas initializing at once, the first one's key stays.
    madeKey = await cluster.createIfMissing(secret);
  }
  const keys = await readKeys(cluster);
  if (!keys)
    throw new ConflictError(
      `Secret ${AGENT_HMAC_SECRET} exists without a key: delete it and initialize again`,
      'SHARED_POOL_BROKEN',
    );
  const replicas = 2;
  // At the version last requested by an upgrade; an existing pool keeps its scale and image.
  const image = await workerImage(services.db, 'agent', services.settings.agentImage);
  const madeDeployment = await cluster.createIfMissing(
    sharedAgentPool(cluster.namespace, image, replicas, keys.id),
  );
  if (madeKey || madeDeployment) {
    await services.db.transaction().execute(async (trx) => {
      await record(
        trx,
        services.bus,
        call,
        'pool.shared.initialized',
        { kind: 'pool', id: SHARED_AGENT_POOL },
        { keyId: keys.id, replicas, image },
      );
      await services.bus.publishIn(trx, 'shared-agent-pool.changed', { change: 'initialized' });
    });
  }
  return sharedPoolStatus(services);
}

/**
 * Runs `fn` holding the shared pool's key lock (a PostgreSQL advisory lock for the length of a
 * transaction): rotations and the removal of an expired previous key never interleave, on one
 * replica or several.
 */
async function withKeyLock<T>(services: SharedPoolServices, fn: () => Promise<T>): Promise<T> {
  return services.db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('justiam-cp:shared-agent-pool-key'))`.execute(trx);
    return fn();
  });
}

async function requireInitialized(services: SharedPoolServices): Promise<V1Deployment> {
  const deployment = await services.cluster.read<V1Deployment>('Deployment', 'apps/v1', SHARED_AGENT_POOL);
  if (!deployment || !(await readKeys(services.cluster))) {
    throw new ConflictError(
      'the shared agent pool is not initialized: POST /shared-agent-pool/init (createSharedAgentPool) first',
      'SHARED_POOL_NOT_INITIALIZED',
    );
  }
  return deployment;
}

/** Scales the shared agent pool to 0–100 agents. */
export async function scaleSharedPool(
  services: SharedPoolServices,
  call: Call,
  replicas: number,
): Promise<SharedPoolStatus> {
  const valid = parseInput(
    z.object({
      replicas: z
        .number({ message: 'must be a whole number' })
        .int('must be a whole number')
        .min(0, 'must be between 0 and 100')
        .max(100, 'must be between 0 and 100'),
    }),
    { replicas },
    'scale',
  );
  const deployment = await requireInitialized(services);
  const previous = deployment.spec?.replicas ?? null;
  if (previous !== valid.replicas) {
    await services.cluster.scaleDeployment(SHARED_AGENT_POOL, valid.replicas);
    await services.db.transaction().execute(async (trx) => {
      await record(
        trx,
        services.bus,
        call,
        'pool.shared.scaled',
        { kind: 'pool', id: SHARED_AGENT_POOL },
        { replicas: valid.replicas, previous },
      );
      await services.bus.publishIn(trx, 'shared-agent-pool.changed', { change: 'scaled' });
    });
  }
  return sharedPoolStatus(services);
}

/**
 * Rotates the registration key: the new key becomes current and the old one stays valid for the
 * grace period (both in the Secret with their ids, the old one's expiry beside it); the Deployment
 * rolls so agents start with the new key. The leader removes the old key once its grace ends.
 */
export async function rotateSharedPoolKey(
  services: SharedPoolServices,
  call: Call,
): Promise<SharedPoolStatus> {
  await requireInitialized(services);
  const rotated = await withKeyLock(services, async () => {
    // Read under the lock: a rotation just before this one is the one this one follows.
    const current = (await readKeys(services.cluster))!;
    const fresh = newKey();
    const now = services.now();
    const expiresAt = new Date(now.getTime() + services.settings.agentKeyGraceSeconds * 1000).toISOString();
    await services.cluster.mergePatch(
      'Secret',
      'v1',
      AGENT_HMAC_SECRET,
      {
        data: {
          HMAC_KEY: b64(fresh.key),
          HMAC_KEY_ID: b64(fresh.id),
          HMAC_KEY_CREATED_AT: b64(now.toISOString()),
          HMAC_KEY_PREVIOUS: b64(current.key),
          HMAC_KEY_PREVIOUS_ID: b64(current.id),
          HMAC_KEY_PREVIOUS_EXPIRES_AT: b64(expiresAt),
        },
      },
      { secretValues: true },
    );
    await rollAgents(services.cluster, fresh.id);
    return { keyId: fresh.id, previousKeyId: current.id, previousExpiresAt: expiresAt };
  });
  await services.db.transaction().execute(async (trx) => {
    await record(
      trx,
      services.bus,
      call,
      'pool.shared.key_rotated',
      { kind: 'pool', id: SHARED_AGENT_POOL },
      rotated,
    );
    await services.bus.publishIn(trx, 'shared-agent-pool.changed', { change: 'key_rotated' });
  });
  return sharedPoolStatus(services);
}

/** Sets the key id on the pod template: a changed template rolls the agents onto the new key. */
async function rollAgents(cluster: ClusterClient, keyId: string) {
  await cluster.mergePatch('Deployment', 'apps/v1', SHARED_AGENT_POOL, {
    spec: { template: { metadata: { annotations: { [AGENT_KEY_ID_ANNOTATION]: keyId } } } },
  });
}

/**
 * The leader's upkeep of the shared pool's key: rolls agents still started with an older key (a
 * rotation interrupted between Secret and Deployment), and removes the previous key once its
 * grace period is over.
 */
export function createSharedPoolMaintenance(
  services: SharedPoolServices,
  options: { intervalMs: number },
): LeaderTask & { runOnce(): Promise<{ rolled: boolean; removed: boolean }> } {
  async function runOnce() {
    const result = { rolled: false, removed: false };
    const removed = await withKeyLock(services, async () => {
      // Read under the lock: a rotation in progress has finished before this looks.
      const keys = await readKeys(services.cluster);
      const deployment = await services.cluster.read<V1Deployment>(
        'Deployment',
        'apps/v1',
        SHARED_AGENT_POOL,
      );
      if (!keys || !deployment) return undefined;
      if (deployment.spec?.template?.metadata?.annotations?.[AGENT_KEY_ID_ANNOTATION] !== keys.id) {
        await rollAgents(services.cluster, keys.id);
        result.rolled = true;
      }
      if (!keys.previous || Date.parse(keys.previous.expiresAt) > services.now().getTime()) return undefined;
      await services.cluster.mergePatch(
        'Secret',
        'v1',
        AGENT_HMAC_SECRET,
        { data: { HMAC_KEY_PREVIOUS: null, HMAC_KEY_PREVIOUS_ID: null, HMAC_KEY_PREVIOUS_EXPIRES_AT: null } },
        { secretValues: true },
      );
      return keys.previous.id;
    });
    if (removed) {
      await services.db.transaction().execute(async (trx) => {
        await record(
          trx,
          services.bus,
          { actor: SYSTEM_ACTOR },
          'pool.shared.previous_key_removed',
          { kind: 'pool', id: SHARED_AGENT_POOL },
          { keyId: removed },
        );
        await services.bus.publishIn(trx, 'shared-agent-pool.changed', { change: 'previous_key_removed' });
      });
      services.logger.info(
        { keyId: removed },
        'shared agent pool: previous key removed after its grace period',
      );
      result.removed = true;
    }
    return result;
  }
  const task = periodicJob('shared-agent-pool', options.intervalMs, runOnce, services.logger);
  return { ...task, runOnce };
}
