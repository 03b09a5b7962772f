import { MantineProvider } from '@mantine/core';
import type { ReactNode } from 'react';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { OperationSteps } from '../../../client/src/components/OperationSteps.tsx';
import type { OperationSteps_OperationFragment } from '../../../client/src/gql/graphql.ts';

const at = (s: number) => new Date(Date.UTC(2026, 10, 28, 12, 0, s)).toISOString();

const operation = (
  patch: Partial<OperationSteps_OperationFragment> = {},
): OperationSteps_OperationFragment => ({
  id: 'op-1',
  kind: 'CREATE',
  state: 'RUNNING',
  currentStep: 'database',
  attempts: 0,
  lastError: null,
  nextAttemptAt: null,
  requestedBy: 'alice',
  createdAt: at(0),
  finishedAt: null,
  steps: [
    { name: 'record', state: 'DONE', startedAt: at(0), finishedAt: at(0), error: null },
    { name: 'secret', state: 'DONE', startedAt: at(0), finishedAt: at(1), error: null },
    { name: 'database', state: 'PENDING', startedAt: null, finishedAt: null, error: null },
    { name: 'registry', state: 'PENDING', startedAt: null, finishedAt: null, error: null },
    { name: 'handoff', state: 'PENDING', startedAt: null, finishedAt: null, error: null },
  ],
  ...patch,
});

const render = (
  op: OperationSteps_OperationFragment,
  props: { collapsible?: boolean; problemAction?: ReactNode } = {},
) =>
  renderToStaticMarkup(
    <MantineProvider>
      <OperationSteps operation={op} {...props} />
    </MantineProvider>,
  );

const finished = (state: 'SUCCEEDED' | 'CANCELLED') =>
  operation({
    state,
    finishedAt: at(2),
    steps: operation().steps.map((s) => ({
      ...s,
      state: 'DONE' as const,
      startedAt: at(0),
      finishedAt: at(2),
    })),
  });

describe('OperationSteps', () => {
  it('shows every step in order with its state, the first unfinished one in progress', () => {
    const html = render(operation());
    const steps = [...html.matchAll(/data-step="([^"]+)" data-step-state="([^"]+)"/g)].map(
      (m) => `${m[1]}:${m[2]}`,
    );
    expect(steps).toEqual([
      'record:DONE',
      'secret:DONE',
      'database:PENDING',
      'registry:PENDING',
      'handoff:PENDING',
    ]);
    expect(html).toContain('2 of 5 steps');
    expect(html).toContain('PostgreSQL database and role');
    expect(html).toContain('In progress…');
    expect(html).toContain('Done in 1.0 s');
  });

  it('shows a step running beside the current one in progress too, and the steps after them waiting', () => {
    const running = { state: 'RUNNING' as const, startedAt: at(1), finishedAt: null, error: null };
    const html = render(
      operation({
        steps: operation().steps.map((s) =>
          s.name === 'database' || s.name === 'registry' ? { ...s, ...running } : s,
        ),
      }),
    );
    expect(html.match(/In progress…/g)).toHaveLength(2);
    expect(html.match(/Waiting/g)).toHaveLength(1);
  });

  it("shows a failed attempt in the API's words and that it will be retried", () => {
    const html = render(
      operation({ attempts: 2, lastError: 'backend not answering', nextAttemptAt: at(30) }),
    );
    expect(html).toContain('Attempt 2 failed: backend not answering. Retrying at');
  });

  it('marks a finished operation as succeeded, with no retry notice', () => {
    const done = operation({
      state: 'SUCCEEDED',
      lastError: 'an earlier attempt failed',
      steps: operation().steps.map((s) => ({
        ...s,
        state: 'DONE' as const,
        startedAt: at(0),
        finishedAt: at(2),
      })),
    });
    const html = render(done);
    expect(html).toContain('data-operation-state="SUCCEEDED"');
    expect(html).toContain('5 of 5 steps');
    expect(html).not.toContain('an earlier attempt failed');
  });

  it('on the tenant page, a finished operation is one summary line that opens to its steps', () => {
    for (const state of ['SUCCEEDED', 'CANCELLED'] as const) {
      const html = render(finished(state), { collapsible: true });
      expect(html).toContain('data-collapsed="true"');
      expect(html).toMatch(/aria-expanded="false"[^>]*>.*Show steps/);
      // The steps are there to open, hidden until then.
      expect(html).toMatch(/style="[^"]*display:\s*none/);
    }
    expect(render(finished('SUCCEEDED'), { collapsible: true })).toContain('5 of 5 steps in 2.0 s');
  });

  it('keeps a running or failed operation open, collapsible or not, and a finished one where it is not asked', () => {
    for (const op of [operation(), operation({ state: 'FAILED', lastError: 'boom' })]) {
      const html = render(op, { collapsible: true });
      expect(html).not.toContain('data-collapsed');
      expect(html).not.toContain('Show steps');
    }
    expect(render(finished('SUCCEEDED'))).not.toContain('Show steps');
  });

  it('puts the action for a failed attempt beside its explanation', () => {
    const failing = operation({ attempts: 3, lastError: 'handoff: refused' });
    const html = render(failing, { problemAction: <button type="button">Retry now</button> });
    expect(html).toMatch(/data-testid="operation-problem".*Attempt 3 failed: handoff: refused.*Retry now/s);
    expect(render(operation(), { problemAction: <button type="button">Retry now</button> })).not.toContain(
      'Retry now',
    );
  });
});
