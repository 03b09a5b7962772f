import { afterAll, describe, expect, it } from 'vitest';
import { eventually } from '../../../../support/kube.ts';
import { gql, rest, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

const CHECK = `query($slug: String!) { slugAvailability(slug: $slug) { slug status reason } }`;

/**
 * slugAvailability says what createTenant would: the same form rules and reserved names, then
 * whether a tenant that is not deleted holds the slug; a deleted tenant's slug is free again.
 */
describe('slugAvailability', () => {
  const server = useTestServer({ STATUS_POLL_INTERVAL_MS: '3600000', RECONCILE_INTERVAL_MS: '100' });
  const slugs: string[] = [];
  afterAll(() => dropTenantDatabases(slugs));

  const check = async (slug: string, headers = server.headers) => {
    const { body } = await gql<{ slugAvailability: { slug: string; status: string; reason: string | null } }>(
      server,
      CHECK,
      { slug },
      headers,
    );
    expect(body.errors).toBeUndefined();
    return body.data!.slugAvailability;
  };

  it.each([
    ['ab', 'INVALID', 'must be at least 3 characters'],
    ['a'.repeat(41), 'INVALID', 'must be at most 40 characters'],
    [
      'Acme',
      'INVALID',
      'must be lowercase letters, digits and hyphens, starting and ending with a letter or digit',
    ],
    ['acme--corp', 'INVALID', 'must not contain two hyphens in a row'],
    ['admin', 'RESERVED', '"admin" is reserved'],
    ['kube-system', 'RESERVED', '"kube-system" is reserved'],
  ])('%s is %s: "%s", in the words createTenant uses', async (slug, status, reason) => {
    expect(await check(slug)).toEqual({ slug, status, reason });
    // The create refuses it with the same words, and nothing is made.
    const created = await rest(server, 'POST', '/tenants', { slug, name: 'Checked' });
    expect(created.status).toBe(400);
    // As JSON: the quotes of a reserved name come escaped.
    expect(JSON.stringify(created.body)).toContain(JSON.stringify(reason).slice(1, -1));
  });

  it('a slug nobody holds is available; taken once created, by whom; free again once deleted', async () => {
    const slug = uniqueSlug('avail');
    slugs.push(slug);
    expect(await check(slug)).toEqual({ slug, status: 'AVAILABLE', reason: null });

    expect((await rest(server, 'POST', '/tenants', { slug, name: 'Availability Corp' })).status).toBe(201);
    expect(await check(slug)).toMatchObject({
      status: 'TAKEN',
      reason: expect.stringMatching(/^is taken by "Availability Corp" \((provisioning|active)\)$/),
    });
    // A viewer may ask too: it tells nothing the tenant list does not.
    expect((await check(slug, server.viewerHeaders)).status).toBe('TAKEN');

    await eventually(
      async () =>
        (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active' ? true : undefined,
      20_000,
      `${slug} active`,
    );
    expect((await rest(server, 'DELETE', `/tenants/${slug}`, { confirm: slug })).status).toBe(202);
    const whileDeleting = await check(slug);
    if (whileDeleting.status === 'TAKEN')
      expect(whileDeleting.reason).toMatch(/being deleted; it is free again once the deletion ends$/);
    await eventually(
      async () => ((await check(slug)).status === 'AVAILABLE' ? true : undefined),
      20_000,
      `${slug} free again`,
    );
  }, 60_000);

  it('needs a signed-in operator', async () => {
    const { status, body } = await gql(server, CHECK, { slug: 'acme' }, {});
    expect(status).toBe(401);
    expect(body.errors?.[0]?.extensions?.code).toBe('UNAUTHENTICATED');
  });
});
