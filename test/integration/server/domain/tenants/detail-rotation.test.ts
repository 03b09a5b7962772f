import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TenantRow } from '../../../../../server/db/schema.ts';
import { hashToken, tokenMatches } from '../../../../../server/dev/tenant-sim/auth.ts';
import type { FaultSpec } from '../../../../../server/dev/tenant-sim/faults.ts';
import { readTenantState } from '../../../../../server/dev/tenant-sim/fixtures.ts';
import { DependencyError } from '../../../../../server/domain/errors.ts';
import { readTenantSecret } from '../../../../../server/domain/tenants/cluster-secret.ts';
import { createSecretMaintenance } from '../../../../../server/domain/tenants/secrets/cleanup.ts';
import { secretRow } from '../../../../../server/domain/tenants/secrets/metadata.ts';
import {
  rotateCpToken,
  rotateTenantSecret,
} from '../../../../../server/domain/tenants/secrets/rotate-secret.ts';
import { createTenantApiClient } from '../../../../../server/tenant-api/client.ts';
import { eventually } from '../../../../support/kube.ts';
import { startTenantHarness, type TenantHarness } from '../../../../support/tenant-services.ts';

const HOUR = 3600 * 1000;

/** The tenant database's record of one rotatable secret (hashes and expiry, never values). */
async function storedSecret(databaseUrl: string, name: string) {
  const state = await readTenantState(databaseUrl);
  return state.secrets.find((s) => s.name === name);
}

/**
 * Whether a backend that knows only what it was told through the tenant API (plus the token it
 * was provisioned with) accepts `value` at `at`. Stricter than the simulator, which also reads the
 * current Secret: a control plane that passes this can never be locked out by a pod that started
 * before the rotation.
 */
async function backendAccepts(
  databaseUrl: string,
  name: string,
  value: string,
  provisioned: string,
  at: Date,
): Promise<boolean> {
  const row = await storedSecret(databaseUrl, name);
  if (!row) return value === provisioned;
  const hashes = [row.current_hash];
  if (row.previous_hash && row.previous_expires_at && at < row.previous_expires_at)
    hashes.push(row.previous_hash);
  return tokenMatches(value, hashes);
}

describe('secret rotation handshakes (tenant simulator, cluster simulator, driven clock)', () => {
  let h: TenantHarness;

  beforeAll(async () => {
    // Short timeouts: the "answer lost" case needs the backend to outlive the client's patience.
    h = await startTenantHarness({ graceSeconds: 3600, timeoutMs: 400 });
  });
  afterAll(async () => {
    await h?.stop();
  });

  const secretOf = async (tenant: TenantRow) => (await readTenantSecret(h.services.cluster, tenant.slug))!;
  const maintenance = () => createSecretMaintenance(h.services, { intervalMs: 60_000 });
  const auditOf = (slug: string) =>
    h.services.db
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', slug)
      .where('action', 'like', 'tenant.secret.%')
      .orderBy('id')
      .execute();

  it('after a JWT rotation the Secret holds the new and the previous value; the backend accepts both during the grace period and only the new one after it, when maintenance removes the previous one', async () => {
    const tenant = await h.createActiveTenant('jwt');
    const provisioned = await secretOf(tenant);
    // The simulator learns a secret's first value from the first rotation (it has no record of the
    // provisioned one), so the grace period is checked on the second.
    await rotateTenantSecret(h.services, h.ctx, tenant.slug, 'jwt');
    h.clock.advance(60_000);
    const before = await secretOf(tenant);
    expect(before.JWT_SECRET).not.toBe(provisioned.JWT_SECRET);
    const rotatedAt = h.clock.now();

    const row = await rotateTenantSecret(h.services, h.ctx, tenant.slug, 'jwt');

    const after = await secretOf(tenant);
    const graceEnd = new Date(rotatedAt.getTime() + HOUR);
    expect(after.JWT_SECRET).not.toBe(before.JWT_SECRET);
    expect(Buffer.from(after.JWT_SECRET!, 'base64url')).toHaveLength(32);
    expect(after.JWT_SECRET_PREVIOUS).toBe(before.JWT_SECRET);
    expect(after.JWT_SECRET_PREVIOUS_EXPIRES_AT).toBe(graceEnd.toISOString());
    expect(after.JWT_SECRET_PENDING).toBeUndefined();
    // Nothing else in the Secret moved.
    for (const key of ['CP_TOKEN', 'PROXY_TOKEN', 'LOGIN_WORKER_TOKEN', 'DATABASE_URL'])
      expect(after[key]).toBe(before[key]);
    expect(row).toMatchObject({ name: 'jwt', version: 3, rotated_by: 'tester', pending_since: null });
    expect(row.previous_expires_at).toEqual(graceEnd);

    // The backend was told: it keeps both, the previous one until the same instant.
    const stored = await storedSecret(before.DATABASE_URL!, 'jwt_secret');
    expect(stored).toMatchObject({
      current_hash: hashToken(after.JWT_SECRET!),
      previous_hash: hashToken(before.JWT_SECRET!),
    });
    expect(stored!.previous_expires_at).toEqual(graceEnd);
    const accepts = (value: string, at: Date) =>
      backendAccepts(before.DATABASE_URL!, 'jwt_secret', value, provisioned.JWT_SECRET!, at);
    const during = new Date(rotatedAt.getTime() + HOUR / 2);
    const afterGrace = new Date(graceEnd.getTime() + 1000);
    expect(await accepts(after.JWT_SECRET!, during)).toBe(true);
    expect(await accepts(before.JWT_SECRET!, during)).toBe(true);
    expect(await accepts(after.JWT_SECRET!, afterGrace)).toBe(true);
    expect(await accepts(before.JWT_SECRET!, afterGrace)).toBe(false);

    // Maintenance leaves the previous value alone while the grace period runs …
    h.clock.advance(HOUR / 2);
    expect((await maintenance().runOnce()).removed).toBe(0);
    expect((await secretOf(tenant)).JWT_SECRET_PREVIOUS).toBe(before.JWT_SECRET);
    // … and removes it (and its expiry) once it is over.
    h.clock.advance(HOUR / 2 + 1000);
    const round = await maintenance().runOnce();
    expect(round.removed).toBeGreaterThanOrEqual(1);
    const cleaned = await secretOf(tenant);
    expect(cleaned.JWT_SECRET).toBe(after.JWT_SECRET);
    expect(cleaned.JWT_SECRET_PREVIOUS).toBeUndefined();
    expect(cleaned.JWT_SECRET_PREVIOUS_EXPIRES_AT).toBeUndefined();
    expect((await secretRow(h.services.db, tenant.id, 'jwt'))?.previous_expires_at).toBeNull();

    const audit = await auditOf(tenant.slug);
    expect(audit.map((a) => a.action)).toEqual([
      'tenant.secret.rotated',
      'tenant.secret.rotated',
      'tenant.secret.previous_removed',
    ]);
    expect(audit[1]!.details).toMatchObject({
      secret: 'jwt',
      version: 3,
      graceUntil: graceEnd.toISOString(),
    });
    const text = JSON.stringify(audit) + h.logs.join('\n');
    for (const value of [provisioned.JWT_SECRET!, before.JWT_SECRET!, after.JWT_SECRET!])
      expect(text).not.toContain(value);
  });

  it('rotates the login-worker and proxy tokens the same way, each on its own', async () => {
    const tenant = await h.createActiveTenant('lwt');
    const before = await secretOf(tenant);
    await rotateTenantSecret(h.services, h.ctx, tenant.slug, 'login-worker-token');
    await rotateTenantSecret(h.services, h.ctx, tenant.slug, 'proxy-token');
    const after = await secretOf(tenant);
    expect(after.LOGIN_WORKER_TOKEN).toMatch(/^lwt_/);
    expect(after.PROXY_TOKEN).toMatch(/^pxt_/);
    expect(after.LOGIN_WORKER_TOKEN_PREVIOUS).toBe(before.LOGIN_WORKER_TOKEN);
    expect(after.PROXY_TOKEN_PREVIOUS).toBe(before.PROXY_TOKEN);
    expect(after.JWT_SECRET).toBe(before.JWT_SECRET);
    const state = await readTenantState(before.DATABASE_URL!);
    expect(state.secrets.map((s) => s.name)).toEqual(['login_worker_token', 'proxy_token']);
  });

  it('refuses an unknown secret name with a typed error and changes nothing', async () => {
    const tenant = await h.createActiveTenant('bad');
    const before = await secretOf(tenant);
    await expect(rotateTenantSecret(h.services, h.ctx, tenant.slug, 'database-url')).rejects.toMatchObject({
      name: 'ValidationError',
      code: 'VALIDATION_FAILED',
    });
    expect(await secretOf(tenant)).toEqual(before);
    expect(await auditOf(tenant.slug)).toEqual([]);
  });

  it('serializes rotations of one secret: a second one while the first runs is refused, and the first completes', async () => {
    const tenant = await h.createActiveTenant('lock');
    // Hold the first rotation inside the backend call for longer than the lock wait (3 s), within the client timeout.
    h.sim.faults.set(tenant.slug, { delayMs: 3300, endpoints: ['PUT /cp/v1/secrets'], times: 1 });
    // The same services (and locks), with a client patient enough to wait for that backend.
    const slow = {
      ...h.services,
      backends: createTenantApiClient({
        baseUrlTemplate: h.sim.baseUrlTemplate,
        timeoutMs: 5000,
        retries: 0,
      }),
    };
    try {
      const first = rotateTenantSecret(slow, h.ctx, tenant.slug, 'jwt');
      await eventually(
        async () => (await secretOf(tenant)).JWT_SECRET_PENDING,
        2000,
        'the first rotation to stage',
      );
      await expect(rotateTenantSecret(slow, h.ctx, tenant.slug, 'jwt')).rejects.toMatchObject({
        code: 'ROTATION_IN_PROGRESS',
      });
      await expect(first).resolves.toMatchObject({ version: 2 });
    } finally {
      h.sim.faults.clear(tenant.slug);
    }
  });

  it('after a CP token rotation the backend accepts the previous token only during the grace period', async () => {
    const tenant = await h.createActiveTenant('cpt');
    const before = await secretOf(tenant);
    const rotatedAt = h.clock.now();
    const row = await rotateCpToken(h.services, h.ctx, tenant.slug);
    const after = await secretOf(tenant);
    expect(row.version).toBe(2);
    expect(after.CP_TOKEN).toMatch(/^cpt_tenant_/);
    expect(after.CP_TOKEN).not.toBe(before.CP_TOKEN);
    expect(after.CP_TOKEN_PREVIOUS).toBe(before.CP_TOKEN);
    expect(after.CP_TOKEN_PREVIOUS_EXPIRES_AT).toBe(new Date(rotatedAt.getTime() + HOUR).toISOString());

    const status = (token: string) => h.services.backends.forTenant(tenant.slug, token).status();
    await expect(status(after.CP_TOKEN!)).resolves.toMatchObject({ status: 'ok' });
    await expect(status(before.CP_TOKEN!)).resolves.toMatchObject({ status: 'ok' });
    h.clock.advance(HOUR + 1000);
    await maintenance().runOnce();
    expect((await secretOf(tenant)).CP_TOKEN_PREVIOUS).toBeUndefined();
    await expect(status(after.CP_TOKEN!)).resolves.toMatchObject({ status: 'ok' });
    await expect(status(before.CP_TOKEN!)).rejects.toMatchObject({ status: 401 });
  });

  type Point = {
    name: string;
    /** Makes the failure happen; undone before the control plane is checked. */
    arrange(tenant: TenantRow): void;
    code: string;
    /** Whether the new token stays staged to be finished later (the backend may have it). */
    pending: boolean;
    /** Whether the backend ends up with the new token before the failure is reported. */
    backendTookIt: boolean;
    /**
     * The request reached the backend but its answer never came back: the simulator cannot lose
     * an answer after serving it, so the test delivers the staged token itself, as that request would have.
     */
    answerLost?: boolean;
  };

  const fault = (spec: FaultSpec) => (tenant: TenantRow) => h.sim.faults.set(tenant.slug, spec);
  const points: Point[] = [
    {
      name: 'stage: the Secret cannot be written',
      arrange: () => h.failClusterPatch(1),
      code: 'SECRET_UPDATE_FAILED',
      pending: false,
      backendTookIt: false,
    },
    {
      name: 'tenant: the backend answers 503',
      arrange: fault({ status: 503, endpoints: ['PUT /cp/v1/secrets'] }),
      code: 'TENANT_BACKEND_UNAVAILABLE',
      pending: true,
      backendTookIt: false,
    },
    {
      name: 'tenant: the backend refuses the request (400)',
      arrange: fault({ status: 400, endpoints: ['PUT /cp/v1/secrets'] }),
      code: 'TENANT_BACKEND_REFUSED',
      pending: false,
      backendTookIt: false,
    },
    {
      name: 'tenant: the connection drops without an answer',
      arrange: fault({ down: true, endpoints: ['PUT /cp/v1/secrets'] }),
      code: 'TENANT_BACKEND_UNAVAILABLE',
      pending: true,
      backendTookIt: false,
    },
    {
      name: 'tenant: the backend takes the token but its answer is lost',
      arrange: fault({ down: true, endpoints: ['PUT /cp/v1/secrets'] }),
      code: 'TENANT_BACKEND_UNAVAILABLE',
      pending: true,
      backendTookIt: true,
      answerLost: true,
    },
    {
      name: 'verify: a call with the new token fails',
      arrange: fault({ status: 503, endpoints: ['GET /cp/v1/status'] }),
      code: 'TENANT_BACKEND_UNAVAILABLE',
      pending: true,
      backendTookIt: true,
    },
    {
      name: 'switch: the Secret cannot be updated after the backend took the token',
      arrange: () => h.failClusterPatch(2),
      code: 'SECRET_UPDATE_FAILED',
      pending: true,
      backendTookIt: true,
    },
  ];

  it.each(points)(
    'CP token rotation failing at $name: the old token keeps working, the control plane reaches the tenant throughout and after the grace period',
    async (point) => {
      const tenant = await h.createActiveTenant('hs');
      const before = await secretOf(tenant);
      const provisioned = before.CP_TOKEN!;
      const dbUrl = before.DATABASE_URL!;

      point.arrange(tenant);
      const error = await rotateCpToken(h.services, h.ctx, tenant.slug).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(DependencyError);
      expect((error as DependencyError).code).toBe(point.code);
      h.sim.faults.clear(tenant.slug);

      const failed = await secretOf(tenant);
      const staged = failed.CP_TOKEN_PENDING;
      if (point.answerLost)
        await h.services.backends
          .forTenant(tenant.slug, provisioned)
          .putSecrets({ cpToken: staged!, graceSeconds: 3600 });
      // The control plane still uses the old token …
      expect(failed.CP_TOKEN).toBe(provisioned);
      expect(failed.CP_TOKEN_PREVIOUS).toBeUndefined();
      expect(Boolean(staged)).toBe(point.pending);
      expect(Boolean((await secretRow(h.services.db, tenant.id, 'cp-token'))?.pending_since)).toBe(
        point.pending,
      );
      if (point.backendTookIt)
        await eventually(
          async () => (await storedSecret(dbUrl, 'cp_token'))?.current_hash === hashToken(staged!),
          5000,
          'the backend to hold the staged token',
        );
      else
        expect((await storedSecret(dbUrl, 'cp_token'))?.current_hash ?? hashToken(provisioned)).toBe(
          hashToken(provisioned),
        );
      // … which the backend accepts now, and the message names the stage without any token in it.
      expect(await backendAccepts(dbUrl, 'cp_token', failed.CP_TOKEN!, provisioned, h.clock.now())).toBe(
        true,
      );
      await expect(
        h.services.backends.forTenant(tenant.slug, failed.CP_TOKEN!).migrations(),
      ).resolves.toBeTruthy();
      for (const value of [provisioned, staged].filter(Boolean) as string[])
        expect((error as Error).message).not.toContain(value);

      // The leader's maintenance finishes a staged rotation once its retry is due.
      h.clock.advance(5000);
      const round = await maintenance().runOnce();
      const done = await secretOf(tenant);
      expect(done.CP_TOKEN_PENDING).toBeUndefined();
      if (point.pending) {
        expect(round.finished).toBeGreaterThanOrEqual(1);
        expect(done.CP_TOKEN).toBe(staged);
        expect(done.CP_TOKEN_PREVIOUS).toBe(provisioned);
      } else {
        expect(done.CP_TOKEN).toBe(provisioned);
      }

      // Past the grace period the token the control plane holds is the one the backend accepts.
      h.clock.advance(HOUR + 5000);
      await maintenance().runOnce();
      const later = await secretOf(tenant);
      expect(await backendAccepts(dbUrl, 'cp_token', later.CP_TOKEN!, provisioned, h.clock.now())).toBe(true);
      await expect(
        h.services.backends.forTenant(tenant.slug, later.CP_TOKEN!).status(),
      ).resolves.toMatchObject({
        status: 'ok',
      });
      if (point.pending)
        expect(await backendAccepts(dbUrl, 'cp_token', provisioned, provisioned, h.clock.now())).toBe(false);

      const audit = await auditOf(tenant.slug);
      expect(audit[0]).toMatchObject({
        action: 'tenant.secret.rotation_failed',
        actor_label: 'tester',
        details: { secret: 'cp-token', code: point.code, pending: point.pending },
      });
      if (point.pending)
        expect(audit.at(-2)).toMatchObject({
          action: 'tenant.secret.rotated',
          actor_kind: 'system',
          details: { secret: 'cp-token', version: 2, background: true },
        });
      const text = JSON.stringify(audit) + h.logs.join('\n');
      for (const value of [provisioned, staged, later.CP_TOKEN].filter(Boolean) as string[])
        expect(text).not.toContain(value);
    },
  );

  it('a crash between noting a rotation and staging it leaves nothing for maintenance to finish but the note', async () => {
    const tenant = await h.createActiveTenant('crash');
    const before = await secretOf(tenant);
    await h.services.db
      .insertInto('tenant_secrets')
      .values({
        tenant_id: tenant.id,
        name: 'jwt',
        pending_since: h.clock.now(),
        pending_next_at: h.clock.now(),
      })
      .execute();
    await maintenance().runOnce();
    expect(await secretOf(tenant)).toEqual(before);
    expect(await secretRow(h.services.db, tenant.id, 'jwt')).toMatchObject({
      pending_since: null,
      version: 1,
    });
  });
});
