import { describe, expect, it } from 'vitest';
import { CREATE_STEPS, DELETE_STEPS } from '../../../../../server/domain/tenants/operations/steps.ts';
import { crashAfterStep, killedBySigkill, useCrashHarness } from '../../../../support/crash-harness.ts';
import { eventually } from '../../../../support/kube.ts';
import { operatorToken } from '../../../../support/server.ts';
import { roleHoldsSecretPassword, tenantFootprint, uniqueSlug } from '../../../../support/tenants.ts';

/**
 * Kills the server (SIGKILL, via CP_FAULT_AFTER_STEP) right after each step of create and of
 * delete, restarts it, and checks that the reconciler converges with nothing left half-done.
 * The cluster simulator runs in the test, outside the server, so it survives the crash like a
 * real cluster would.
 */
describe('crash at every step', () => {
  const slugs: string[] = [];
  const harness = useCrashHarness({
    dataDirPrefix: 'cp-crash-',
    outside: 'cluster',
    slugs,
    env: {
      // A killed leader's lease must lapse before the restarted server leads: keep it short here.
      LEADER_LEASE_SECONDS: '2',
    },
  });
  const server = (fault?: string) => harness.start(crashAfterStep(fault));

  let token: string | undefined;
  const call = async (url: string, method: string, path: string, body?: unknown) => {
    // The first server has migrated the database by now: an admin token can be made.
    token ??= await operatorToken(harness.database.url, 'admin@test.local', 'admin');
    return fetch(`${url}${path}`, {
      method,
      headers: {
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        authorization: `Bearer ${token}`,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  };

  const stateOf = async (url: string, slug: string) => {
    const res = await call(url, 'GET', `/tenants/${slug}`);
    return res.status === 404 ? 'GONE' : ((await res.json()) as { state: string }).state;
  };

  it.each(CREATE_STEPS.map((s) => s.name))(
    'create: a crash right after "%s" converges to an active tenant',
    async (step) => {
      const slug = uniqueSlug(`c-${step}`);
      slugs.push(slug);
      const doomed = await server(`create:${step}`);
      // The process may die before it answers: that is the point.
      await call(doomed.url, 'POST', '/tenants', { slug, name: slug }).catch(() => undefined);
      expect(killedBySigkill(await doomed.exited)).toBe(true);

      const recovered = await server();
      try {
        await eventually(
          async () => (await stateOf(recovered.url, slug)) === 'active',
          20_000,
          `${slug} active`,
        );
        expect(await tenantFootprint(harness.client, slug)).toEqual({
          database: true,
          role: true,
          secret: true,
          registryKey: true,
        });
        // The Secret the first run stored is kept, and the role takes its password, not a new one.
        expect(await roleHoldsSecretPassword(harness.client, slug)).toBe(true);
      } finally {
        await harness.stop(recovered);
      }
    },
    // Two or three server starts each, beside the rest of the suite.
    60_000,
  );

  it.each(DELETE_STEPS.map((s) => s.name))(
    'delete: a crash right after "%s" converges to a tenant fully gone',
    async (step) => {
      const slug = uniqueSlug(`d-${step}`);
      slugs.push(slug);
      const setup = await server();
      await call(setup.url, 'POST', '/tenants', { slug, name: slug });
      await eventually(async () => (await stateOf(setup.url, slug)) === 'active', 20_000, `${slug} active`);
      await harness.stop(setup);

      const doomed = await server(`delete:${step}`);
      await call(doomed.url, 'DELETE', `/tenants/${slug}`, { confirm: slug }).catch(() => undefined);
      expect(killedBySigkill(await doomed.exited)).toBe(true);

      const recovered = await server();
      try {
        await eventually(async () => (await stateOf(recovered.url, slug)) === 'GONE', 20_000, `${slug} gone`);
        expect(await tenantFootprint(harness.client, slug)).toEqual({
          database: false,
          role: false,
          secret: false,
          registryKey: false,
        });
      } finally {
        await harness.stop(recovered);
      }
    },
    // Two or three server starts each, beside the rest of the suite.
    60_000,
  );
});
