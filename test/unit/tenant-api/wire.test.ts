import { describe, expect, it } from 'vitest';
import type { ZodType } from 'zod';
import {
  migrationsReply,
  parseReply,
  scrub,
  secretsBody,
  statusReply,
  toMigrations,
  toStatus,
  workerConfigBody,
} from '../../../server/tenant-api/wire.ts';

describe('reply validation', () => {
  it('turns a valid status reply into camelCase', () => {
    const parsed = parseReply(
      statusReply,
      JSON.stringify({
        version: '1.4.0',
        status: 'ok',
        stats: { users: 3, groups: 2, apps: 1, active_users: 1 },
      }),
    );
    expect(parsed.ok && toStatus(parsed.value)).toEqual({
      version: '1.4.0',
      status: 'ok',
      stats: { users: 3, groups: 2, apps: 1, activeUsers: 1 },
    });
  });

  it('turns applied_at into a Date and keeps the pending order', () => {
    const parsed = parseReply(
      migrationsReply,
      JSON.stringify({
        applied: [{ id: '0001_init', applied_at: '2031-01-01T00:00:00+02:00' }],
        pending: ['b', 'a'],
      }),
    );
    expect(parsed.ok && toMigrations(parsed.value)).toEqual({
      applied: [{ id: '0001_init', appliedAt: new Date('2030-12-31T22:00:00Z') }],
      pending: ['b', 'a'],
    });
  });

  it.each([
    [statusReply, '', 'empty body'],
    [statusReply, '<html>', 'body is not JSON'],
    [
      statusReply,
      '{"version":"1","status":"ok","stats":{"users":1,"groups":1,"apps":1}}',
      'stats.active_users: ',
    ],
    [
      statusReply,
      '{"version":"1","status":"ok","stats":{"users":-1,"groups":1,"apps":1,"active_users":0}}',
      'stats.users: ',
    ],
    [
      migrationsReply,
      '{"applied":[{"id":"x","applied_at":"yesterday"}],"pending":[]}',
      'applied.0.applied_at: ',
    ],
    [migrationsReply, '[]', '(body): '],
  ])('names what is wrong in a broken reply', (schema, text, reason) => {
    const parsed = parseReply(schema as ZodType, text);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.reason).toContain(reason);
  });

  it('does not put the values of a broken reply in the reason', () => {
    const parsed = parseReply(statusReply, JSON.stringify({ version: 'leaked-value', status: 7, stats: {} }));
    expect(!parsed.ok && parsed.reason).not.toContain('leaked-value');
  });
});

describe('request bodies', () => {
  it('sends the worker configuration in snake_case', () => {
    expect(
      workerConfigBody({
        taskWorker: { mode: 'agent', concurrency: 4 },
        loginWorker: { mode: 'shared', url: 'http://lw', maxConcurrent: 5 },
        pool: 'gpu',
      }),
    ).toEqual({
      task_worker: { mode: 'agent', concurrency: 4 },
      login_worker: { mode: 'shared', url: 'http://lw', max_concurrent: 5 },
      pool: 'gpu',
    });
  });

  it('sends only the secrets being rotated', () => {
    expect(secretsBody({ cpToken: 'c', graceSeconds: 0 })).toEqual({ cp_token: 'c', grace_seconds: 0 });
    expect(secretsBody({})).toEqual({});
  });
});

describe('scrub', () => {
  it('replaces every occurrence of each secret of 4 characters or more', () => {
    expect(scrub('bad token abcd, again abcd; pw xyz', ['abcd', 'xyz'])).toBe(
      'bad token [redacted], again [redacted]; pw xyz',
    );
  });
});
