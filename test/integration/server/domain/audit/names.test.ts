import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { SYSTEM_ACTOR } from '../../../../../server/domain/actor.ts';
import { record } from '../../../../../server/domain/audit/record.ts';
import { upsertOperator } from '../../../../../server/domain/auth/operators.ts';
import { createApiToken } from '../../../../../server/domain/auth/tokens.ts';
import { CookieJar, loginThroughDevIssuer } from '../../../../support/browser-flow.ts';
import { eventually } from '../../../../support/kube.ts';
import { recordStatements } from '../../../../support/pg-statements.ts';
import { gql, rest, useTestServer } from '../../../../support/server.ts';
import { dropTenantDatabases, uniqueSlug } from '../../../../support/tenants.ts';

type Entry = {
  action: string;
  requestId: string | null;
  actor: {
    kind: string;
    id: string | null;
    label: string;
    name: string | null;
    email: string | null;
    tokenName: string | null;
  };
  target: { kind: string; id: string; name: string | null } | null;
};

const ENTRY = `action requestId actor { kind id label name email tokenName } target { kind id name }`;
const LOG = `query($first: Int, $filter: AuditFilter) {
  auditLog(first: $first, filter: $filter) { edges { node { ${ENTRY} } } }
}`;
const ACTORS = `query($search: String, $first: Int) { auditActors(search: $search, first: $first) { kind id label name email } }`;

describe('the audit log names people and things, and finds actors by name', () => {
  const server = useTestServer({ RECONCILE_INTERVAL_MS: '100', STATUS_POLL_INTERVAL_MS: '3600000' });
  const slug = uniqueSlug('names');

  const log = async (filter: Record<string, unknown> = {}, first = 100): Promise<Entry[]> => {
    const { body } = await gql<{ auditLog: { edges: { node: Entry }[] } }>(server, LOG, { first, filter });
    expect(body.errors).toBeUndefined();
    return body.data!.auditLog.edges.map((e) => e.node);
  };
  const actors = async (search: string | null, first?: number) =>
    gql<{
      auditActors: { kind: string; id: string; label: string; name: string | null; email: string | null }[];
    }>(server, ACTORS, { search, first });

  /** An admin operator with an API token of their own, as the CLI makes them. */
  const operatorWithToken = async (who: { subject: string; name: string | null; email: string | null }) => {
    const { db, bus } = server.services;
    const operator = await upsertOperator(db, { issuer: 'local', role: 'admin', ...who }, new Date());
    const { token, row } = await createApiToken(
      { db, bus, now: () => new Date() },
      { actor: SYSTEM_ACTOR },
      operator.id,
      { name: `${who.subject} deploy bot`, expiresInDays: 5 },
    );
    return { operator, token, tokenRow: row, headers: { authorization: `Bearer ${token}` } };
  };

  it('shows the name and e-mail of operators, the name of tokens and of what was acted on, in one query per page', async () => {
    const alice = await operatorWithToken({
      subject: 'alice',
      name: 'Alice Doe',
      email: 'alice@example.com',
    });
    const bob = await operatorWithToken({ subject: 'bob', name: null, email: 'bob@example.org' });
    // Alice through her token; Bob through his, with a request id of his own choosing.
    const pool = await gql(
      server,
      `mutation { createAgentPool(input: { name: "names-gpu", labels: [] }) { __typename } }`,
      {},
      alice.headers,
    );
    expect(pool.body.data).toEqual({ createAgentPool: { __typename: 'MutationCreateAgentPoolSuccess' } });
    const settings = await rest(
      server,
      'PUT',
      '/settings/alerts',
      { daily_reports: true },
      {
        ...bob.headers,
        'x-request-id': 'bob-request-1',
      },
    );
    expect(settings.status).toBe(200);
    // An entry written before tokens were recorded by id: the token is named in its label only.
    await server.services.db
      .insertInto('audit_log')
      .values({
        actor_kind: 'token',
        actor_id: alice.operator.id,
        actor_label: 'alice@example.com (token legacy ci)',
        action: 'token.revoked',
        target_kind: 'token',
        target_id: alice.tokenRow.id,
        details: JSON.stringify({ name: alice.tokenRow.name, prefix: alice.tokenRow.prefix }),
      })
      .execute();
    // Many entries of many operators on one page: their names must still come in one query.
    const many = await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        upsertOperator(
          server.services.db,
          {
            issuer: 'local',
            subject: `many-${i}`,
            name: `Many ${i}`,
            email: `many-${i}@example.net`,
            role: 'viewer',
          },
          new Date(),
        ),
      ),
    );
    await server.services.db.transaction().execute(async (trx) => {
      for (const [i, op] of many.entries()) {
        await record(
          trx,
          server.services.bus,
          { actor: { kind: 'operator', id: op.id, label: op.email! } },
          'auth.login',
          { kind: 'operator', id: many[(i + 1) % many.length]!.id },
          { issuer: 'local', role: 'viewer' },
        );
      }
    });

    const recorder = recordStatements();
    let entries: Entry[];
    try {
      entries = await log();
    } finally {
      recorder.stop();
    }
    const nameQueries = recorder.statements.filter((s) => s.text.includes(`'operator:' ||`));
    expect(nameQueries).toHaveLength(1);
    expect(recorder.statements.filter((s) => /from "?operators"?/i.test(s.text)).length).toBeLessThanOrEqual(
      // The name query and the token check of the request itself, however many operators the page shows.
      2,
    );

    const poolEntry = entries.find((e) => e.action === 'pool.created')!;
    expect(poolEntry.actor).toEqual({
      kind: 'token',
      id: alice.operator.id,
      label: 'alice@example.com (token alice deploy bot)',
      name: 'Alice Doe',
      email: 'alice@example.com',
      tokenName: 'alice deploy bot',
    });
    expect(poolEntry.target).toEqual({ kind: 'pool', id: 'names-gpu', name: null });

    const bobEntry = entries.find((e) => e.action === 'settings.alerts.updated')!;
    expect(bobEntry.actor).toMatchObject({ kind: 'token', name: null, email: 'bob@example.org' });
    expect(bobEntry.requestId).toBe('bob-request-1');

    const legacy = entries.find((e) => e.action === 'token.revoked')!;
    expect(legacy.actor.tokenName).toBe('legacy ci');
    expect(legacy.target).toEqual({ kind: 'token', id: alice.tokenRow.id, name: 'alice deploy bot' });

    const logins = entries.filter((e) => e.action === 'auth.login');
    expect(logins).toHaveLength(many.length);
    for (const login of logins) {
      const i = many.findIndex((op) => op.id === login.actor.id);
      expect(login.actor).toMatchObject({ name: `Many ${i}`, email: `many-${i}@example.net` });
      expect(login.target?.name).toBe(`Many ${(i + 1) % many.length}`);
    }
  });

  it("names a tenant target by the tenant's name, records the request id of entries a request writes and none for the control plane's own", async () => {
    const created = await gql(
      server,
      `mutation($input: CreateTenantInput!) { createTenant(input: $input) { __typename } }`,
      { input: { slug, name: 'Names Corporation' } },
      { ...server.headers, 'x-request-id': 'create-names-1' },
    );
    expect(created.body.data).toEqual({ createTenant: { __typename: 'MutationCreateTenantSuccess' } });
    const forTenant = () => log({ targetKind: 'tenant', targetId: slug });
    await eventually(
      async () => (await forTenant()).some((e) => e.action === 'tenant.create.completed'),
      30_000,
      'the tenant provisioned',
    );
    const entries = await forTenant();
    const requested = entries.find((e) => e.action === 'tenant.create.requested')!;
    expect(requested.requestId).toBe('create-names-1');
    expect(requested.target).toEqual({ kind: 'tenant', id: slug, name: 'Names Corporation' });
    expect(requested.actor).toMatchObject({
      kind: 'token',
      email: 'admin@test.local',
      tokenName: 'test admin',
    });
    const completed = entries.find((e) => e.action === 'tenant.create.completed')!;
    expect(completed.requestId).toBeNull();
    expect(completed.actor).toMatchObject({ kind: 'system', id: 'control-plane', name: null, email: null });

    // REST speaks the same names, snake_case.
    const viaRest = await rest(server, 'GET', `/audit?target_kind=tenant&target_id=${slug}`);
    const restRequested = viaRest.body.entries.find(
      (e: { action: string }) => e.action === 'tenant.create.requested',
    );
    expect(restRequested).toMatchObject({
      request_id: 'create-names-1',
      actor: { kind: 'token', email: 'admin@test.local', token_name: 'test admin' },
      target: { kind: 'tenant', id: slug, name: 'Names Corporation' },
    });
    await dropTenantDatabases([slug]);
  });

  it('records the request id of sign-ins, sign-outs and failed sign-ins, as the request log has it', async () => {
    const jar = new CookieJar();
    const { callbackUrl } = await loginThroughDevIssuer(jar, server.url, 'names-carol');
    expect(callbackUrl).toBeDefined();
    const out = await jar.fetch(`${server.url}/auth/logout`, {
      method: 'POST',
      headers: { 'x-graphql-yoga-csrf': '1', 'x-request-id': 'logout-carol' },
    });
    expect(out.status).toBe(200);
    const failed = await fetch(`${server.url}/auth/callback?error=access_denied`, {
      headers: { 'x-request-id': 'failed-sign-in' },
    });
    expect(failed.status).toBe(400);

    const entries = await log({ action: 'auth.*' });
    const login = entries.find(
      (e) => e.action === 'auth.login' && e.actor.email === 'names-carol@justiam.local',
    )!;
    const logged = server.logs
      .map((line) => JSON.parse(line) as { msg?: string; path?: string; requestId?: string })
      .filter((line) => line.msg === 'request' && line.path === '/auth/callback')
      .map((line) => line.requestId);
    expect(login.requestId).toBeTruthy();
    expect(logged).toContain(login.requestId);
    expect(
      entries.find((e) => e.action === 'auth.logout' && e.actor.email === 'names-carol@justiam.local'),
    ).toMatchObject({
      requestId: 'logout-carol',
    });
    expect(entries.find((e) => e.action === 'auth.login_failed')).toMatchObject({
      requestId: 'failed-sign-in',
      actor: { kind: 'anonymous', name: null, email: null, tokenName: null },
    });
  });

  it('finds actors by the start of any word of their name or e-mail, or their id; those who acted last first', async () => {
    const search = async (text: string, first = 50) => {
      const { body } = await actors(text, first);
      expect(body.errors).toBeUndefined();
      return body.data!.auditActors.map((a) => a.name ?? a.email ?? a.label);
    };
    expect(await search('ali')).toEqual(['Alice Doe']);
    expect(await search('DOE')).toEqual(['Alice Doe']);
    expect(await search('alice@exa')).toEqual(['Alice Doe']);
    expect(await search('doe ali')).toEqual(['Alice Doe']);
    expect(await search('bob')).toEqual(['bob@example.org']);
    // Alice's last entry (the one naming her token in its label) is newer than Bob's; the many
    // operators acted after both.
    const both = await search('example');
    expect(both).toEqual(expect.arrayContaining(['bob@example.org', 'Alice Doe', 'Many 0']));
    expect(both.indexOf('Alice Doe')).toBeLessThan(both.indexOf('bob@example.org'));
    expect(both.indexOf('Many 0')).toBeLessThan(both.indexOf('Alice Doe'));
    expect(await search('lice')).toEqual([]);
    expect(await search('nobody')).toEqual([]);
    // Carol signed in and out; an operator who never acted is not offered.
    await upsertOperator(
      server.services.db,
      { issuer: 'local', subject: 'idle', name: 'Idle Ian', email: 'ian@example.com', role: 'viewer' },
      new Date(),
    );
    expect(await search('ian')).toEqual([]);
    expect(await search('system')).toEqual(['control plane']);

    const { body } = await actors('alice');
    const alice = body.data!.auditActors[0]!;
    expect(alice).toMatchObject({ kind: 'operator', label: 'alice@example.com', email: 'alice@example.com' });
    expect((await actors(alice.id)).body.data!.auditActors.map((a) => a.id)).toEqual([alice.id]);
    // The id it gives is what the filter takes: every entry of Alice's, through her token too.
    const hers = await log({ actorId: alice.id });
    expect(hers.length).toBeGreaterThan(0);
    expect(hers.every((e) => e.actor.name === 'Alice Doe')).toBe(true);

    const all = await actors(null, 3);
    expect(all.body.data!.auditActors).toHaveLength(3);
    expect((await actors('', 51)).body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect((await actors('x'.repeat(201))).body.errors?.[0]?.extensions?.code).toBe('VALIDATION_FAILED');
    expect(await search('%')).toEqual([]);

    const viaRest = await rest(server, 'GET', '/audit/actors?search=ali');
    expect(viaRest.status).toBe(200);
    expect(viaRest.body).toEqual({
      actors: [
        {
          kind: 'operator',
          id: alice.id,
          label: 'alice@example.com',
          name: 'Alice Doe',
          email: 'alice@example.com',
          token_name: null,
        },
      ],
    });
    expect((await rest(server, 'GET', '/audit/actors?first=51')).status).toBe(400);
  });

  it('finds operators through the operators_search index and their last entries through the actor index', async () => {
    const recorder = recordStatements();
    try {
      expect((await actors('alice doe')).body.errors).toBeUndefined();
    } finally {
      recorder.stop();
    }
    const query = recorder.statements.find(
      (s) => s.text.includes('cross join lateral') && s.text.includes('operators o'),
    );
    expect(query).toBeDefined();
    const plan = await server.services.db.connection().execute(async (conn) => {
      await sql`set enable_seqscan = off`.execute(conn);
      try {
        const { rows } = await sql<{ 'QUERY PLAN': string }>`explain ${sql.raw(
          query!.text.replace(/\$(\d+)/g, (_, n: string) => literal(query!.values[Number(n) - 1])),
        )}`.execute(conn);
        return rows.map((r) => r['QUERY PLAN']).join('\n');
      } finally {
        await sql`reset enable_seqscan`.execute(conn);
      }
    });
    expect(plan).toMatch(/operators_search/);
    expect(plan).toMatch(/audit_log_actor_idx/);
  });
});

/** A parameter as an SQL literal, to EXPLAIN a recorded statement as it ran. */
function literal(value: unknown): string {
  if (typeof value === 'number') return String(value);
  return `'${String(value).replace(/'/g, "''")}'`;
}
