import { describe, expect, it } from 'vitest';
import { agentLook } from '../../../client/src/workers/look.ts';
import {
  agentsSummary,
  CONCURRENCY_RANGE,
  loginUrlProblem,
  loginWorkerDraft,
  loginWorkerInput,
  NO_POOL,
  parseWholeNumber,
  poolArgument,
  poolLabelsProblem,
  poolNameProblem,
  poolOptions,
  REPLICAS_RANGE,
  sameLoginWorker,
  taskModeHint,
} from '../../../client/src/workers/rules.ts';
import { concurrencySchema, loginWorkerSchema } from '../../../server/domain/workers/config.ts';
import { poolLabelsSchema, poolNameSchema } from '../../../server/domain/workers/pools.ts';

/** The API's message for a value, or null when it takes it. */
const apiSays = (
  schema: { safeParse(v: unknown): { success: boolean; error?: { issues: { message: string }[] } } },
  value: unknown,
) => {
  const result = schema.safeParse(value);
  return result.success ? null : result.error!.issues[0]!.message;
};

describe('pool names, as the API checks them', () => {
  const names = [
    'gpu',
    'a',
    '0',
    'gpu-eu-1',
    'a'.repeat(63),
    '',
    'GPU',
    '-gpu',
    'gpu-',
    'gpu_eu',
    'gpu eu',
    'a'.repeat(64),
    'é',
  ];

  it('takes exactly what the API takes, and refuses the rest in its words', () => {
    for (const name of names) expect(poolNameProblem(name), name).toBe(apiSays(poolNameSchema, name));
  });

  it('takes DNS-1123 labels and refuses upper case, edges with "-" and more than 63 characters', () => {
    expect(poolNameProblem('gpu-eu-1')).toBeNull();
    expect(poolNameProblem('GPU pool')).toMatch(/^must be a DNS-1123 label/);
    expect(poolNameProblem('a'.repeat(64))).not.toBeNull();
  });
});

describe('pool labels', () => {
  it('agrees with the API on which lists it takes', () => {
    const lists = [
      [],
      ['gpu', 'compute'],
      ['GPU'],
      ['gpu', 'gpu'],
      Array.from({ length: 21 }, (_, i) => `l${i}`),
    ];
    for (const labels of lists)
      expect(poolLabelsProblem(labels) === null, labels.join(',')).toBe(
        apiSays(poolLabelsSchema, labels) === null,
      );
  });

  it('names the label that is wrong, and says when there are too many or repeats', () => {
    expect(poolLabelsProblem(['gpu', 'Big GPU'])).toBe(
      '"Big GPU": each label must be 1–63 lower-case letters, digits and "-"',
    );
    expect(poolLabelsProblem(Array.from({ length: 21 }, (_, i) => `l${i}`))).toBe('at most 20 labels');
    expect(poolLabelsProblem(['gpu', 'gpu'])).toBe('labels must not repeat');
  });
});

describe('parseWholeNumber', () => {
  it('reads what a number field gives: a number, or text while typing', () => {
    expect(parseWholeNumber(25, CONCURRENCY_RANGE)).toEqual({ value: 25, problem: null });
    expect(parseWholeNumber(' 7 ', CONCURRENCY_RANGE)).toEqual({ value: 7, problem: null });
    expect(parseWholeNumber(0, REPLICAS_RANGE)).toEqual({ value: 0, problem: null });
  });

  it('refuses empty, fractional and out-of-range values as the API words it', () => {
    expect(parseWholeNumber('', CONCURRENCY_RANGE).problem).toBe('must be a whole number');
    expect(parseWholeNumber(2.5, CONCURRENCY_RANGE).problem).toBe('must be a whole number');
    expect(parseWholeNumber(0, CONCURRENCY_RANGE).problem).toBe('must be between 1 and 1000');
    expect(parseWholeNumber(1001, CONCURRENCY_RANGE).problem).toBe('must be between 1 and 1000');
    expect(parseWholeNumber(101, REPLICAS_RANGE).problem).toBe('must be between 0 and 100');
  });

  it('agrees with the API on the concurrency limits', () => {
    for (const n of [0, 1, 10, 1000, 1001, 1.5])
      expect(parseWholeNumber(n, CONCURRENCY_RANGE).problem, String(n)).toBe(apiSays(concurrencySchema, n));
  });
});

describe('the login worker form', () => {
  const current = { mode: 'SHARED' as const, url: 'http://lw.example:8090', maxConcurrent: 5 };

  it('starts from the login worker in force, its URL only when it is a shared one', () => {
    expect(loginWorkerDraft(current)).toEqual({
      mode: 'SHARED',
      url: 'http://lw.example:8090',
      maxConcurrent: 5,
    });
    expect(
      loginWorkerDraft({ mode: 'DEDICATED', url: 'http://login-worker-acme.ns.svc:8090', maxConcurrent: 3 })
        .url,
    ).toBe('');
  });

  it('sends a URL only in shared mode, and an empty one as null (the deployment’s own)', () => {
    expect(loginWorkerInput({ mode: 'SHARED', url: ' http://lw:8090 ', maxConcurrent: 4 })).toEqual({
      input: { mode: 'SHARED', url: 'http://lw:8090', maxConcurrent: 4 },
      errors: null,
    });
    expect(loginWorkerInput({ mode: 'SHARED', url: '', maxConcurrent: 4 }).input?.url).toBeNull();
    expect(
      loginWorkerInput({ mode: 'DEDICATED', url: 'http://typed-before:1', maxConcurrent: '9' }).input,
    ).toEqual({
      mode: 'DEDICATED',
      url: null,
      maxConcurrent: 9,
    });
  });

  it('puts problems on their fields and sends nothing', () => {
    expect(loginWorkerInput({ mode: 'SHARED', url: 'ftp://lw', maxConcurrent: 0 })).toEqual({
      input: null,
      errors: { url: 'must be an http(s) URL', maxConcurrent: 'must be between 1 and 1000' },
    });
  });

  it('sends only inputs the API takes', () => {
    for (const draft of [
      { mode: 'SHARED' as const, url: 'http://lw:8090', maxConcurrent: 5 },
      { mode: 'INLINE' as const, url: 'http://ignored', maxConcurrent: 1000 },
      { mode: 'DEDICATED' as const, url: '', maxConcurrent: 1 },
    ]) {
      const { input } = loginWorkerInput(draft);
      expect(input).not.toBeNull();
      expect(apiSays(loginWorkerSchema, { ...input, mode: input!.mode.toLowerCase() })).toBeNull();
    }
  });

  it('checks URLs as the API does: http(s), no credentials, not too long', () => {
    expect(loginUrlProblem('https://lw.example/run')).toBeNull();
    expect(loginUrlProblem('lw.example')).toBe('must be an http(s) URL');
    expect(loginUrlProblem('http://user:pw@lw.example')).toBe('must not hold credentials');
    expect(loginUrlProblem(`http://lw.example/${'a'.repeat(2048)}`)).toBe('must be at most 2048 characters');
  });

  it('sees no change in a URL typed for a mode that takes none', () => {
    const inline = { mode: 'INLINE' as const, url: '', maxConcurrent: 5 };
    expect(sameLoginWorker(inline, { ...inline, url: 'http://typed' })).toBe(true);
    expect(sameLoginWorker(inline, { ...inline, maxConcurrent: '5' })).toBe(true);
    expect(sameLoginWorker(inline, { ...inline, mode: 'DEDICATED' })).toBe(false);
    const shared = loginWorkerDraft(current);
    expect(sameLoginWorker(shared, { ...shared, url: 'http://other' })).toBe(false);
  });
});

describe('the pool select', () => {
  const pools = [
    { name: 'gpu', labels: ['gpu', 'a100'] },
    { name: 'spot', labels: [] },
  ];

  it('offers none first, then each pool with what it is for', () => {
    expect(poolOptions(pools, null)).toEqual([
      { value: NO_POOL, label: 'None' },
      { value: 'gpu', label: 'gpu (gpu, a100)' },
      { value: 'spot', label: 'spot' },
    ]);
  });

  it('keeps the assigned pool on offer when the list does not hold it', () => {
    expect(poolOptions(pools, 'zz-far-down').at(-1)).toEqual({ value: 'zz-far-down', label: 'zz-far-down' });
    expect(poolOptions(pools, 'gpu')).toHaveLength(3);
  });

  it('sends none as null, which unassigns; no pool can be named like it', () => {
    expect(poolArgument(NO_POOL)).toBeNull();
    expect(poolArgument('gpu')).toBe('gpu');
    expect(poolNameProblem(NO_POOL)).not.toBeNull();
  });
});

describe('taskModeHint', () => {
  it('says where tasks run: the backend, the pool, or the shared pool', () => {
    expect(taskModeHint('INLINE', 'gpu')).toBe('Tasks run in the tenant’s backend process.');
    expect(taskModeHint('AGENT', 'gpu')).toBe('Tasks run on the agents of pool gpu.');
    expect(taskModeHint('AGENT', null, true)).toBe('Tasks run on the shared agent pool.');
  });

  it('warns that agent mode needs a pool when there is none at all', () => {
    expect(taskModeHint('AGENT', null, false)).toMatch(/^Agent mode needs a pool/);
    expect(taskModeHint('AGENT', 'gpu', false)).toBe('Tasks run on the agents of pool gpu.');
  });
});

describe('agents', () => {
  it('counts ready agents of all', () => {
    expect(agentsSummary([])).toEqual({ ready: 0, total: 0, text: 'none' });
    expect(agentsSummary([{ ready: true }, { ready: false }, { ready: true }])).toEqual({
      ready: 2,
      total: 3,
      text: '2 of 3 ready',
    });
  });

  it('shows a ready agent as ready whatever its phase, else its phase', () => {
    expect(agentLook({ phase: 'Running', ready: true }).label).toBe('Ready');
    expect(agentLook({ phase: 'Running', ready: false }).label).toBe('Not ready');
    expect(agentLook({ phase: 'Pending', ready: false }).label).toBe('Pending');
    expect(agentLook({ phase: 'Weird', ready: false })).toEqual({ label: 'Weird', color: 'gray' });
  });
});
