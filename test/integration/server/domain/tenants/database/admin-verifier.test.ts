import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readTenantSecret } from '../../../../../../server/domain/tenants/cluster-secret.ts';
import { createTestDatabase, type TestDatabase } from '../../../../../support/db.ts';
import { eventually } from '../../../../../support/kube.ts';
import { type RecordedStatement, recordStatements } from '../../../../../support/pg-statements.ts';
import { rest, startTestServer, type TestServer } from '../../../../../support/server.ts';
import { dropTenantDatabases, roleVerifies, uniqueSlug } from '../../../../../support/tenants.ts';

/** The application_name of the tenant database admin's pool (server/domain/tenants/database/admin.ts). */
const PROVISIONER = 'justiam-cp-provisioner';

/**
 * The claim in admin.ts and scram.ts: only a SCRAM verifier of a tenant role's password crosses the
 * wire, so the password never reaches the database server, its logs or pg_stat_statements. Sending
 * the password itself would pass every functional test (the server hashes it into an equally good
 * verifier), so this records what the driver actually sends.
 */
describe('tenant database admin: the role password never reaches PostgreSQL', () => {
  let database: TestDatabase;
  let server: TestServer;
  const slugs: string[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database.url, { STATUS_POLL_INTERVAL_MS: '3600000' });
  });
  afterAll(async () => {
    await server?.stop();
    await dropTenantDatabases(slugs);
    await database?.drop();
  });

  const mentioning = (statements: RecordedStatement[], secret: string) =>
    statements.filter((s) =>
      [s.text, ...s.values.map((v) => (typeof v === 'string' ? v : (JSON.stringify(v) ?? '')))].some(
        (part) => part.includes(secret) || part.includes(encodeURIComponent(secret)),
      ),
    );

  it('provisioning and a password change send the server a verifier, never the password, in SQL or parameters', async () => {
    const slug = uniqueSlug('scram');
    slugs.push(slug);
    const recorder = recordStatements();
    let first: string;
    let second: string;
    let url: string;
    try {
      expect((await rest(server, 'POST', '/tenants', { slug, name: slug })).status).toBe(201);
      await eventually(
        async () => (await rest(server, 'GET', `/tenants/${slug}`)).body.state === 'active',
        10_000,
        'tenant active',
      );
      url = (await readTenantSecret(server.services.cluster, slug))!.DATABASE_URL!;
      first = decodeURIComponent(new URL(url).password);
      // A new password for an existing role: the ALTER ROLE path, as a password rotation takes it.
      second = randomBytes(24).toString('base64url');
      await server.services.tenants.databases.ensure(slug, second);
    } finally {
      recorder.stop();
    }

    // The recorder saw the provisioner's statements (both paths), so an absence below means something.
    const provisioner = recorder.statements.filter((s) => s.applicationName === PROVISIONER);
    const roleStatements = provisioner.filter((s) => /\b(CREATE|ALTER) ROLE\b/.test(s.text));
    expect(roleStatements.map((s) => /\b(CREATE|ALTER) ROLE\b/.exec(s.text)![0])).toEqual(
      expect.arrayContaining(['CREATE ROLE', 'ALTER ROLE']),
    );

    for (const password of [first, second]) {
      expect(password.length).toBeGreaterThanOrEqual(16);
      expect(mentioning(recorder.statements, password)).toEqual([]);
    }
    // What went instead: verifiers, quoted into every role statement.
    for (const statement of roleStatements) expect(statement.text).toMatch(/PASSWORD 'SCRAM-SHA-256\$4096:/);
    // And the verifiers do their job: the role now takes the new password, not the old one.
    expect(await roleVerifies(slug, second)).toBe(true);
    expect(await roleVerifies(slug, first)).toBe(false);
  });
});
