import type { V1Secret } from '@kubernetes/client-node';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ClusterClient } from '../../cluster/client.ts';
import { managedLabels } from '../../cluster/labels.ts';
import type { Db, Executor } from '../../db/database.ts';
import type { EventBus } from '../../events/bus.ts';
import type { SmtpRelay, SmtpTls } from '../../tenant-api/types.ts';
import { record } from '../audit/record.ts';
import type { Call } from '../call.ts';
import { DependencyError } from '../errors.ts';
import { parseInput } from '../validate.ts';

/** The Secret holding the relay's password: the only place it is stored. */
export const SMTP_SECRET = 'cp-smtp';
const PASSWORD_KEY = 'SMTP_PASSWORD';
const KEY = 'smtp';

/** What the `settings` row holds: everything but the password, and whether one is set. */
type StoredSmtp = {
  host: string;
  port: number;
  username: string | null;
  from: string;
  tls: SmtpTls;
  passwordSet: boolean;
};

export type SmtpSettingsView = {
  /** Null while no relay was configured. */
  relay: StoredSmtp | null;
  /** The settings row's version: the generation tenants should hold. */
  generation: number;
  updatedAt: Date | null;
  updatedBy: string | null;
  sync: { total: number; pending: number; synced: number; failed: number };
};

const hostname = z
  .string()
  .trim()
  .min(1, 'must not be empty')
  .max(253, 'must be at most 253 characters')
  .regex(/^[A-Za-z0-9.:[\]-]+$/, 'must be a host name or IP address');

const inputSchema = z
  .object({
    host: hostname,
    port: z
      .number({ message: 'must be a number' })
      .int('must be a whole number')
      .min(1, 'must be between 1 and 65535')
      .max(65_535, 'must be between 1 and 65535'),
    username: z.string().max(320, 'must be at most 320 characters').nullable().optional(),
    password: z
      .string()
      .min(1, 'must not be empty (leave it out to keep the stored one)')
      .max(1024, 'must be at most 1024 characters')
      .optional(),
    from: z.email({ message: 'must be an email address' }).max(254),
    tls: z.enum(['starttls', 'tls', 'none'], { message: 'must be starttls, tls or none' }).optional(),
  })
  .strict();

export type SmtpSettingsInput = z.input<typeof inputSchema>;

/** The stored relay settings row (no password: that is in its Secret), if any. */
function readSmtpRow(db: Executor) {
  return db.selectFrom('settings').selectAll().where('key', '=', KEY).executeTakeFirst();
}

/** The relay settings (never the password), and how far tenants are with the current ones. */
export async function getSmtpSettings(db: Executor): Promise<SmtpSettingsView> {
  const row = await readSmtpRow(db);
  const counts = await sql<{ total: string; pending: string; synced: string; failed: string }>`
    select count(*) as total,
      count(*) filter (where s.state = 'pending') as pending,
      count(*) filter (where s.state = 'synced') as synced,
      count(*) filter (where s.state = 'failed') as failed
    from tenant_smtp s join tenants t on t.id = s.tenant_id where t.state = 'active'`.execute(db);
  const c = counts.rows[0]!;
  return {
    relay: row?.value ? (row.value as StoredSmtp) : null,
    generation: row?.version ?? 0,
    updatedAt: row?.updated_at ?? null,
    updatedBy: row?.updated_by ?? null,
    sync: {
      total: Number(c.total),
      pending: Number(c.pending),
      synced: Number(c.synced),
      failed: Number(c.failed),
    },
  };
}

/** Reads the relay's password from its Secret; null when none is stored. */
export async function readSmtpPassword(cluster: ClusterClient): Promise<string | null> {
  const secret = await cluster.read<V1Secret>('Secret', 'v1', SMTP_SECRET);
  const value = secret?.data?.[PASSWORD_KEY];
  return value ? Buffer.from(value, 'base64').toString('utf8') : null;
}

/** The relay as tenants and the mailer use it, password included; null while none is configured. */
export async function loadSmtpRelay(
  db: Executor,
  cluster: ClusterClient,
): Promise<(SmtpRelay & { generation: number }) | null> {
  // The settings row alone: how far the tenants are (a count over all of them) is not needed here.
  const row = await readSmtpRow(db);
  const relay = row?.value ? (row.value as StoredSmtp) : null;
  const generation = row?.version ?? 0;
  if (!relay) return null;
  const password = relay.passwordSet ? await readSmtpPassword(cluster) : null;
  return {
    host: relay.host,
    port: relay.port,
    username: relay.username,
    password,
    from: relay.from,
    tls: relay.tls,
    generation,
  };
}

/** Writes the password into Secret `cp-smtp`; errors carry the status only, never the value. */
async function storePassword(cluster: ClusterClient, password: string): Promise<void> {
  try {
    await cluster.ensure<V1Secret>({
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: SMTP_SECRET, namespace: cluster.namespace, labels: managedLabels({}) },
      type: 'Opaque',
      data: { [PASSWORD_KEY]: Buffer.from(password, 'utf8').toString('base64') },
    });
  } catch {
    throw new DependencyError(
      `the SMTP password could not be stored in Secret ${SMTP_SECRET}; nothing changed`,
      'SECRET_UPDATE_FAILED',
    );
  }
}

/**
 * Sets the relay every tenant sends through. The password goes to Secret `cp-smtp` (never to the
 * database, the log or the audit entry); left out, the stored one is kept. The change is audited
 * with the names of the changed fields, and every tenant is marked to be told (`kick` starts it).
 */
export async function updateSmtpSettings(
  services: { db: Db; bus: EventBus; cluster: ClusterClient; now: () => Date; kickSmtp: () => void },
  call: Call,
  input: SmtpSettingsInput,
): Promise<SmtpSettingsView> {
  const { db, bus, cluster, now } = services;
  const parsed = parseInput(inputSchema, input, 'SMTP settings');
  const current = await getSmtpSettings(db);
  if (parsed.password !== undefined) await storePassword(cluster, parsed.password);
  const next: StoredSmtp = {
    host: parsed.host,
    port: parsed.port,
    username: parsed.username ?? null,
    from: parsed.from,
    tls: parsed.tls ?? 'starttls',
    passwordSet: parsed.password !== undefined || (current.relay?.passwordSet ?? false),
  };
  const before: Partial<StoredSmtp> = current.relay ?? {};
  const changed: string[] = (['host', 'port', 'username', 'from', 'tls'] as const).filter(
    (k) => next[k] !== before[k],
  );
  if (parsed.password !== undefined) changed.push('password');
  if (changed.length === 0) return current;
  const at = now();
  await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('settings')
      .values({
        key: KEY,
        value: JSON.stringify(next),
        version: 1,
        updated_at: at,
        updated_by: call.actor.label,
      })
      .onConflict((oc) =>
        oc.column('key').doUpdateSet({
          value: JSON.stringify(next),
          version: sql`settings.version + 1`,
          updated_at: at,
          updated_by: call.actor.label,
        }),
      )
      .returning('version')
      .executeTakeFirstOrThrow();
    await markAllPending(trx, row.version, at);
    await record(trx, bus, call, 'settings.smtp.updated', { kind: 'settings', id: KEY }, { changed });
    await bus.publishIn(trx, 'settings.changed', { section: 'smtp' });
  });
  services.kickSmtp();
  return getSmtpSettings(db);
}

/** Every tenant not deleted should hold generation `generation` now. */
async function markAllPending(trx: Executor, generation: number, at: Date) {
  await sql`
    insert into tenant_smtp (tenant_id, target_generation, state, attempts, next_attempt_at, updated_at)
    select id, ${generation}, 'pending', 0, ${at}, ${at} from tenants where state in ('provisioning', 'active')
    on conflict (tenant_id) do update set target_generation = excluded.target_generation, state = 'pending',
      attempts = 0, last_error = null, next_attempt_at = excluded.next_attempt_at, updated_at = excluded.updated_at`.execute(
    trx,
  );
}

/**
 * Removes the relay: every tenant backend is told it has none (`DELETE /cp/v1/smtp`), and the
 * password's Secret is deleted. Audited as `settings.smtp.cleared`. Clearing nothing changes nothing.
 */
export async function clearSmtpSettings(
  services: { db: Db; bus: EventBus; cluster: ClusterClient; now: () => Date; kickSmtp: () => void },
  call: Call,
): Promise<SmtpSettingsView> {
  const { db, bus, cluster, now } = services;
  const at = now();
  const cleared = await db.transaction().execute(async (trx) => {
    const row = await trx
      .updateTable('settings')
      .set({
        value: 'null',
        version: sql`settings.version + 1`,
        updated_at: at,
        updated_by: call.actor.label,
      })
      .where('key', '=', KEY)
      .where(sql<boolean>`value <> 'null'::jsonb`)
      .returning('version')
      .executeTakeFirst();
    if (!row) return false;
    await markAllPending(trx, row.version, at);
    await record(trx, bus, call, 'settings.smtp.cleared', { kind: 'settings', id: KEY }, {});
    await bus.publishIn(trx, 'settings.changed', { section: 'smtp' });
    return true;
  });
  if (cleared) {
    await cluster.delete('Secret', 'v1', SMTP_SECRET).catch(() => {
      throw new DependencyError(
        `the relay is cleared, but Secret ${SMTP_SECRET} could not be deleted; clear again to retry`,
        'SECRET_UPDATE_FAILED',
      );
    });
    services.kickSmtp();
  }
  return getSmtpSettings(db);
}
