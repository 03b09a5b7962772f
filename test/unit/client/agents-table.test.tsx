import { MantineProvider } from '@mantine/core';
import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { AgentsTable_AgentFragment } from '../../../client/src/gql/graphql.ts';
import { AgentsTable } from '../../../client/src/workers/AgentsTable.tsx';

const agent = (name: string, patch: Partial<AgentsTable_AgentFragment> = {}): AgentsTable_AgentFragment => ({
  name,
  phase: 'Running',
  ready: true,
  node: 'node-a',
  version: '1.4.2',
  startedAt: '2026-11-28T12:00:00Z',
  ...patch,
});

const render = (agents: AgentsTable_AgentFragment[]) =>
  renderToStaticMarkup(
    <MantineProvider>
      <AgentsTable agents={agents} empty="No agents." testId="agents" />
    </MantineProvider>,
  );

describe('AgentsTable', () => {
  it('lists each agent with its state and counts the ready ones for the page to wait on', () => {
    const html = render([
      agent('agent-0'),
      agent('agent-1', { ready: false, phase: 'Pending', node: null, version: null, startedAt: null }),
    ]);
    expect(html).toContain('data-testid="agents" data-agents="2" data-ready="1"');
    expect(
      [...html.matchAll(/data-agent="([^"]+)" data-ready="([^"]+)"/g)].map((m) => `${m[1]}:${m[2]}`),
    ).toEqual(['agent-0:true', 'agent-1:false']);
    expect(html).toContain('Ready');
    expect(html).toContain('Pending');
    expect(html).toContain('not yet');
  });

  it('says so when there are none, rather than an empty table', () => {
    const html = render([]);
    expect(html).toContain('No agents.');
    expect(html).toContain('data-agents="0"');
    expect(html).not.toContain('<table');
  });
});
