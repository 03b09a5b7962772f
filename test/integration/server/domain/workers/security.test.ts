import type { V1Secret } from '@kubernetes/client-node';
import { type GraphQLObjectType, getNamedType, isLeafType, isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schema } from '../../../../../schema/index.ts';
import { AGENT_HMAC_SECRET } from '../../../../../server/cluster/labels.ts';
import { workerRoutes } from '../../../../../server/http/rest/worker-routes.ts';
import { eventually } from '../../../../support/kube.ts';
import { gql, rest, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

/** Every field of `type`, nested objects included, `depth` levels down (arguments left out). */
function selectAll(type: GraphQLObjectType, depth = 3): string {
  const fields = Object.values(type.getFields())
    .filter((f) => f.args.every((a) => a.defaultValue !== undefined || !a.type.toString().endsWith('!')))
    .map((f) => {
      const named = getNamedType(f.type);
      if (isLeafType(named)) return f.name;
      if (isObjectType(named) && depth > 0) return `${f.name} { ${selectAll(named, depth - 1)} }`;
      return null;
    })
    .filter(Boolean);
  return fields.length > 0 ? fields.join(' ') : '__typename';
}
const typeOf = (name: string) => schema.getType(name) as GraphQLObjectType;

/**
 * What the worker and pool domain lets out and lets in: no secret value (the shared pool's HMAC
 * keys, a tenant's tokens) in any answer, audit entry or log line; a viewer changes nothing; hostile
 * input is refused with a 4xx and changes nothing.
 */
describe('workers and pools: secrets, roles and hostile input', () => {
  const server = useTestServer({
    RECONCILE_INTERVAL_MS: '200',
    STATUS_POLL_INTERVAL_MS: '3600000',
    KUBE_SIM_POD_DELAY_MS: '20',
  });
  const slug = uniqueSlug('wsec');
  const pool = `sec-${slug.slice(5)}`;
  afterAll(() => dropTenantDatabases([slug]));
  const cluster = () => server.services.cluster;

  /** Everything a reader could see of the domain, to show that a refused request changed none of it. */
  async function snapshot() {
    const count = async (table: 'audit_log' | 'tenant_operations' | 'agent_pools') =>
      Number(
        (
          await server.services.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const shared = (await rest(server, 'GET', '/shared-agent-pool')).body;
    return {
      workers: (await rest(server, 'GET', `/tenants/${slug}/worker-config`)).body,
      pools: (await rest(server, 'GET', '/pools')).body,
      shared: { ...shared, agents: undefined, ready_replicas: undefined },
      secret: (await cluster().read<V1Secret>('Secret', 'v1', AGENT_HMAC_SECRET))?.data,
      audit: await count('audit_log'),
      operations: await count('tenant_operations'),
      poolRows: await count('agent_pools'),
    };
  }

  /** Waits for the tenant's worker settings to be applied (no WORKERS operation under way). */
  const applied = () =>
    eventually(
      async () =>
        (await rest(server, 'GET', `/tenants/${slug}/worker-config`)).body.operation?.state === 'succeeded',
      10_000,
      'worker settings applied',
    );

  beforeAll(async () => {
    expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
    await eventually(
      async () => (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active',
      20_000,
      'active',
    );
    expect((await rest(server, 'POST', '/pools', { name: pool, labels: ['gpu'] })).status).toBe(201);
    expect((await rest(server, 'PUT', `/tenants/${slug}/pool`, { pool })).status).toBe(200);
    await applied();
    expect((await rest(server, 'PUT', `/tenants/${slug}/login-worker`, { mode: 'dedicated' })).status).toBe(
      200,
    );
    await applied();
    // Initialized, so that a scale or a rotation let through would show.
    expect((await rest(server, 'POST', '/shared-agent-pool/init')).status).toBe(200);
  }, 40_000);

  it('no secret value in GraphQL or REST answers, audit entries or log lines after init and rotate', async () => {
    // A second init answers the pool as it is (its key included, were it leaking).
    const init = await rest(server, 'POST', '/shared-agent-pool/init');
    expect(init.status).toBe(200);
    const rotate = await rest(server, 'POST', '/shared-agent-pool/rotate-key');
    expect(rotate.status).toBe(200);
    expect(rotate.body.previous_key_id).toBe(init.body.key_id);

    const hmac = (await cluster().read<V1Secret>('Secret', 'v1', AGENT_HMAC_SECRET))!.data!;
    const tenantSecret = (await cluster().read<V1Secret>('Secret', 'v1', `tenant-${slug}`))!.data!;
    const decode = (v: string) => Buffer.from(v, 'base64').toString('utf8');
    const secrets: [string, string][] = [
      ['HMAC_KEY', hmac.HMAC_KEY!],
      ['HMAC_KEY_PREVIOUS', hmac.HMAC_KEY_PREVIOUS!],
      ...[
        'CP_TOKEN',
        'LOGIN_WORKER_TOKEN',
        'PROXY_TOKEN',
        'JWT_SECRET',
        'BOOTSTRAP_TOKEN',
        'ADMIN_INITIAL_PASSWORD',
      ].map((k): [string, string] => [k, tenantSecret[k]!]),
    ];
    // Each as the Secret stores it (base64) and as it is used (decoded), named, never shown.
    const needles = secrets.flatMap(([name, v]) => [
      { name: `${name} (base64)`, value: v },
      { name, value: decode(v) },
    ]);
    // Both keys really exist, and no needle is short enough to turn up by chance.
    expect(decode(hmac.HMAC_KEY!)).toHaveLength(44);
    expect(decode(hmac.HMAC_KEY_PREVIOUS!)).toHaveLength(44);
    expect(needles.filter((n) => n.value.length < 16).map((n) => n.name)).toEqual([]);
    const leaks = (what: string, text: string) =>
      expect(
        needles.filter((n) => text.includes(n.value)).map((n) => n.name),
        what,
      ).toEqual([]);

    const answers = await gql(
      server,
      `query {
        sharedAgentPool { ${selectAll(typeOf('SharedAgentPool'))} }
        agentPools(first: 500) { edges { node { ${selectAll(typeOf('AgentPool'))} } } }
        agentPool(name: "${pool}") { ${selectAll(typeOf('AgentPool'))} }
        tenant(slug: "${slug}") { workerConfig { ${selectAll(typeOf('TenantWorkerConfig'))} } }
      }`,
    );
    expect(answers.body.errors).toBeUndefined();
    // The answers are not empty: the pool with its tenant, and the shared pool with its key ids.
    expect(answers.body.data).toMatchObject({
      sharedAgentPool: { initialized: true, keyId: rotate.body.key_id, previousKeyId: init.body.key_id },
      agentPool: { name: pool, tenants: [slug] },
      tenant: { workerConfig: { pool: { name: pool }, loginWorker: { mode: 'DEDICATED' } } },
    });
    leaks('GraphQL answers', JSON.stringify(answers.body));
    leaks('REST init and rotate', JSON.stringify([init.body, rotate.body]));
    for (const path of ['/shared-agent-pool', '/pools', `/pools/${pool}`, `/tenants/${slug}/worker-config`]) {
      leaks(path, JSON.stringify((await rest(server, 'GET', path)).body));
    }

    const audit = (await rest(server, 'GET', '/audit?first=500')).body;
    const actions = audit.entries.map((e: { action: string }) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining([
        'pool.shared.initialized',
        'pool.shared.key_rotated',
        'tenant.workers.updated',
      ]),
    );
    leaks('audit entries', JSON.stringify(audit));

    // The agents and the login worker read their secrets from the Secrets, never a copy.
    for (const name of ['agent-shared', `login-worker-${slug}`]) {
      leaks(name, JSON.stringify(await cluster().read('Deployment', 'apps/v1', name)));
    }

    expect(server.logs.some((l) => l.includes('/shared-agent-pool/rotate-key'))).toBe(true);
    leaks('log lines', server.logs.join('\n'));
  });

  const writeRoutes = workerRoutes.filter((r) => r.method !== 'GET');
  /** A body each write route would take from an admin. */
  const validBodies: Record<string, unknown> = {
    'PUT /tenants/:slug/worker-mode': { mode: 'agent' },
    'PUT /tenants/:slug/concurrency': { limit: 99 },
    'PUT /tenants/:slug/login-worker': { mode: 'inline' },
    'PUT /tenants/:slug/pool': { pool: null },
    'POST /pools': { name: 'viewer-made', labels: [] },
    'PUT /pools/:pool': { labels: ['changed'] },
    'DELETE /pools/:pool': undefined,
    'POST /shared-agent-pool/init': undefined,
    'POST /shared-agent-pool/scale': { replicas: 7 },
    'POST /shared-agent-pool/rotate-key': undefined,
  };

  it('the table of write routes is the one this test knows', () => {
    expect(writeRoutes.map((r) => `${r.method} ${r.path}`).sort()).toEqual(Object.keys(validBodies).sort());
  });

  it('a viewer gets 403 from every worker, pool and shared-pool write, REST and GraphQL, and nothing changes', async () => {
    const before = await snapshot();
    for (const r of writeRoutes) {
      const key = `${r.method} ${r.path}`;
      const path = r.path.replace(':slug', slug).replace(':pool', pool);
      const res = await rest(server, r.method, path, validBodies[key], server.viewerHeaders);
      expect(res.status, key).toBe(403);
      expect(res.body.error.code, key).toBe('FORBIDDEN');
    }
    const mutations = [
      `setTenantWorkerMode(slug: "${slug}", mode: INLINE) { __typename }`,
      `setTenantConcurrency(slug: "${slug}", limit: 99) { __typename }`,
      `setTenantLoginWorker(slug: "${slug}", input: { mode: INLINE }) { __typename }`,
      `setTenantPool(slug: "${slug}", pool: null) { __typename }`,
      'createAgentPool(input: { name: "viewer-made" }) { __typename }',
      `updateAgentPool(name: "${pool}", labels: ["changed"]) { __typename }`,
      `deleteAgentPool(name: "${pool}") { __typename }`,
      'createSharedAgentPool { __typename }',
      'scaleSharedAgentPool(replicas: 7) { __typename }',
      'rotateSharedAgentPoolKey { __typename }',
    ];
    for (const m of mutations) {
      const { status, body } = await gql(server, `mutation { ${m} }`, undefined, server.viewerHeaders);
      expect(status, m).toBe(403);
      expect(body.errors?.[0]?.extensions?.code, m).toBe('FORBIDDEN');
    }
    expect(await snapshot()).toEqual(before);
  });

  it('hostile input (NUL, 10 kB strings, look-alike names, arrays for strings) is refused with a 4xx and changes nothing', async () => {
    const long = 'a'.repeat(10_000);
    // Cyrillic е and с, a zero-width space, fullwidth letters: names that look like the pool's.
    const lookAlike = pool.replace('e', '\u0435').replace('c', '\u0441');
    const hidden = `${pool}\u200b`;
    const fullwidth = 'ｇｐｕ';
    const tenant = (p: string) => `/tenants/${slug}/${p}`;
    const cases: [string, string, unknown][] = [
      ['POST', '/pools', { name: `gpu\u0000x` }],
      ['POST', '/pools', { name: long }],
      ['POST', '/pools', { name: lookAlike }],
      ['POST', '/pools', { name: hidden }],
      ['POST', '/pools', { name: fullwidth }],
      ['POST', '/pools', { name: [pool] }],
      ['POST', '/pools', { name: { $ne: '' } }],
      ['POST', '/pools', { name: 'fine-name', labels: 'gpu' }],
      ['POST', '/pools', { name: 'fine-name', labels: [['gpu']] }],
      ['POST', '/pools', { name: 'fine-name', labels: ['gpu\u0000'] }],
      ['POST', '/pools', { name: 'fine-name', labels: [long] }],
      ['POST', '/pools', { name: 'fine-name', labels: Array.from({ length: 10_000 }, (_, i) => `l${i}`) }],
      ['POST', '/pools', { name: 'fine-name', labels: ['g\u0440u'] }],
      ['POST', '/pools', { name: 'fine-name', owner: 'me' }],
      ['POST', '/pools', '{"name": "fine-name", "name": ["dup"]}'],
      ['PUT', `/pools/${pool}`, { labels: 'gpu' }],
      ['PUT', `/pools/${pool}`, { labels: [long] }],
      ['PUT', `/pools/${pool}`, { labels: ['\u0261pu'] }],
      ['PUT', `/pools/${pool}`, { labels: [null] }],
      ['PUT', '/pools/%00', { labels: [] }],
      ['PUT', `/pools/${encodeURIComponent(lookAlike)}`, { labels: [] }],
      ['PUT', `/pools/${long}`, { labels: [] }],
      ['DELETE', `/pools/${encodeURIComponent(lookAlike)}`, undefined],
      ['DELETE', `/pools/${encodeURIComponent(hidden)}`, undefined],
      ['DELETE', `/pools/${pool}%00`, undefined],
      ['PUT', tenant('pool'), { pool: lookAlike }],
      ['PUT', tenant('pool'), { pool: hidden }],
      ['PUT', tenant('pool'), { pool: [pool] }],
      ['PUT', tenant('pool'), { pool: long }],
      ['PUT', tenant('pool'), { pool: `${pool}\u0000` }],
      ['PUT', tenant('pool'), { pool: '' }],
      ['PUT', tenant('worker-mode'), { mode: ['agent'] }],
      ['PUT', tenant('worker-mode'), { mode: '\u0430gent' }],
      ['PUT', tenant('worker-mode'), { mode: 'INLINE' }],
      ['PUT', tenant('concurrency'), { limit: '50' }],
      ['PUT', tenant('concurrency'), { limit: [50] }],
      ['PUT', tenant('concurrency'), { limit: 1e21 }],
      ['PUT', tenant('concurrency'), '{"limit": 1e400}'],
      ['PUT', tenant('login-worker'), { mode: 'shared', url: `http://login.example/${long}` }],
      ['PUT', tenant('login-worker'), { mode: 'shared', url: 'http://login.example/\u0000' }],
      ['PUT', tenant('login-worker'), { mode: 'shared', url: ['http://login.example'] }],
      ['PUT', tenant('login-worker'), { mode: 'shared', url: 'javascript:alert(1)' }],
      ['PUT', tenant('login-worker'), { mode: 'shared', url: 'http://user:pw@login.example' }],
      ['PUT', tenant('login-worker'), { mode: ['dedicated'] }],
      ['PUT', tenant('login-worker'), { mode: 'shared', max_concurrent: '5' }],
      ['PUT', `/tenants/${slug.replace('e', '\u0435')}/concurrency`, { limit: 50 }],
      ['PUT', `/tenants/${long}/concurrency`, { limit: 50 }],
      ['POST', '/shared-agent-pool/scale', { replicas: '3' }],
      ['POST', '/shared-agent-pool/scale', { replicas: [3] }],
      ['POST', '/shared-agent-pool/scale', { replicas: 1e6 }],
    ];
    const before = await snapshot();
    for (const [method, path, body] of cases) {
      const what = `${method} ${path.slice(0, 60)} ${(typeof body === 'string' ? body : (JSON.stringify(body) ?? '')).slice(0, 80)}`;
      const res = await rest(server, method, path, body);
      expect(res.status, what).toBeGreaterThanOrEqual(400);
      expect(res.status, what).toBeLessThan(500);
      expect(typeof res.body.error?.code, what).toBe('string');
    }

    // The same through GraphQL, where the domain's own checks are all that stand in the way.
    const mutations: [string, Record<string, unknown>][] = [
      ['createAgentPool(input: { name: $s }) { __typename }', { s: lookAlike }],
      ['createAgentPool(input: { name: $s }) { __typename }', { s: long }],
      ['createAgentPool(input: { name: "fine-name", labels: [$s] }) { __typename }', { s: hidden }],
      [`updateAgentPool(name: "${pool}", labels: [$s]) { __typename }`, { s: long }],
      ['updateAgentPool(name: $s, labels: []) { __typename }', { s: lookAlike }],
      ['deleteAgentPool(name: $s) { __typename }', { s: hidden }],
      [`setTenantPool(slug: "${slug}", pool: $s) { __typename }`, { s: lookAlike }],
      [`setTenantPool(slug: "${slug}", pool: $s) { __typename }`, { s: long }],
      [`setTenantLoginWorker(slug: "${slug}", input: { mode: SHARED, url: $s }) { __typename }`, { s: long }],
      ['setTenantConcurrency(slug: $s, limit: 50) { __typename }', { s: long }],
    ];
    for (const [field, variables] of mutations) {
      const { status, body } = await gql(server, `mutation ($s: String!) { ${field} }`, variables);
      const what = `${field} ${JSON.stringify(variables).slice(0, 60)}`;
      expect(status, what).toBeLessThan(500);
      expect(body.errors, what).toBeUndefined();
      const result = Object.values(body.data ?? {})[0] as { __typename: string };
      expect(result.__typename, what).toMatch(/^(ValidationError|NotFoundError)$/);
    }
    expect(await snapshot()).toEqual(before);
  });
});
