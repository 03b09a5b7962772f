import type { Revocation } from '../domain/auth/principal-cache.ts';
/**
 * Every event the control plane publishes. Events carry ids and a change type, never whole objects
 * or secret values: subscribers re-fetch what they show, so an event stays small (PostgreSQL NOTIFY
 * payloads are capped at 8000 bytes) and can never leak what the reader may not see.
 */
export type Topics = {
  'audit.recorded': { id: string; action: string };
  'settings.changed': { section: 'alerts' | 'smtp' };
  /** The license in force, an allocation or the renewal's progress changed. */
  'license.changed': { change: 'activated' | 'cleared' | 'allocation' | 'renewal' };
  /** An agent pool was created, changed or deleted, or a tenant's assignment changed. */
  'pool.changed': { name: string; change: 'created' | 'updated' | 'deleted' | 'assignment' };
  /** The shared agent pool was initialized, scaled, or its key rotated or its previous key removed. */
  'shared-agent-pool.changed': { change: 'initialized' | 'scaled' | 'key_rotated' | 'previous_key_removed' };
  /** A tenant's backend was told of the license, or telling it failed (it is retried). */
  'license.sync': { tenantId: string; slug: string; state: 'synced' | 'failed' };
  /** A watched pod or deployment changed; `RESYNC` when a re-list changed many at once. */
  'cluster.changed': {
    resource: 'pods' | 'deployments';
    type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'RESYNC';
    name: string | null;
    app: string | null;
    tenant: string | null;
  };
  /**
   * A tenant was created, changed state, its polled status changed, one of its secrets was
   * rotated, revealed or cleaned up (`secrets`), or its database migrations were applied.
   */
  'tenant.updated': {
    id: string;
    slug: string;
    change: 'created' | 'state' | 'status' | 'secrets' | 'migrations' | 'drift' | 'workers' | 'backups';
  };
  /** A step of a tenant operation started, finished or failed, or the operation ended. */
  'tenant.operation': {
    operationId: string;
    tenantId: string;
    slug: string;
    kind: 'create' | 'delete' | 'repair' | 'workers';
    state: 'running' | 'succeeded' | 'failed' | 'cancelled';
    step: string | null;
  };
  /** A worker upgrade was requested, progressed, ended or was rolled back. */
  'worker-upgrade.changed': {
    id: string;
    component: 'login-worker' | 'agent';
    state: 'running' | 'succeeded' | 'stuck' | 'failed' | 'rolled_back';
  };
  /** The leader read the tenants' database server again (figures in table database_server_status). */
  'infrastructure.database': { refreshedAt: string };
  /** A tenant backup was requested, made progress, ended, was verified or deleted. */
  'tenant.backup': {
    backupId: string;
    tenantId: string;
    slug: string;
    change: 'created' | 'progress' | 'finished' | 'verification' | 'deleted';
  };
  /**
   * A session ended, a token was revoked, an operator changed (sent by database triggers), or a
   * table of them was emptied (`all`): caches drop them and connections using them close.
   */
  'auth.revoked': Revocation;
  /** An alert opened, resolved or was mailed, or a daily report was sent. */
  'alert.changed': { id: string; change: 'opened' | 'resolved' | 'sent' | 'report' };
  /** Leadership moved: the replica that now runs informers and periodic jobs. */
  'leader.changed': { identity: string | null };
};

export type Topic = keyof Topics;

/** The argument shape yoga's `createPubSub` expects: one payload per topic. */
export type PubSubArgs = { [K in Topic]: [Topics[K]] };
