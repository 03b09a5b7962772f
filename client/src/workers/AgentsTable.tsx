import { Badge, Table, Text } from '@mantine/core';
import { TimeAgo } from '../components/TimeAgo.tsx';
import type { AgentsTable_AgentFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { agentLook } from './look.ts';

graphql(`
  fragment AgentsTable_Agent on AgentPod {
    name
    phase
    ready
    node
    version
    startedAt
  }
`);

type AgentsTableProps = {
  agents: readonly AgentsTable_AgentFragment[];
  /** Said instead of an empty table. */
  empty: string;
  testId: string;
};

/** A pool's agent pods as the cluster reports them: ready ones are connected and take tasks. */
export function AgentsTable({ agents, empty, testId }: AgentsTableProps) {
  if (agents.length === 0) {
    return (
      <Text fz="sm" c="dimmed" data-testid={testId} data-agents="0" data-ready="0">
        {empty}
      </Text>
    );
  }
  const ready = agents.filter((agent) => agent.ready).length;
  return (
    <Table.ScrollContainer minWidth={620} className="cp-cards">
      <Table verticalSpacing={6} data-testid={testId} data-agents={agents.length} data-ready={ready}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Agent</Table.Th>
            <Table.Th>State</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Node</Table.Th>
            <Table.Th>Started</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {agents.map((agent) => {
            const look = agentLook(agent);
            return (
              <Table.Tr key={agent.name} data-agent={agent.name} data-ready={agent.ready}>
                <Table.Td className="cp-mono" data-label="Agent">
                  {agent.name}
                </Table.Td>
                <Table.Td data-label="State">
                  <Badge color={look.color} variant="light">
                    {look.label}
                  </Badge>
                </Table.Td>
                <Table.Td className="cp-mono" data-label="Version">
                  {agent.version ?? '—'}
                </Table.Td>
                <Table.Td className="cp-mono" data-label="Node">
                  {agent.node ?? '—'}
                </Table.Td>
                <Table.Td fz="sm" data-label="Started">
                  <TimeAgo iso={agent.startedAt} fallback="not yet" />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
