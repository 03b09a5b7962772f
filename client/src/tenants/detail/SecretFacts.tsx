import { Badge, Stack, Table, Text } from '@mantine/core';
import type { ReactNode } from 'react';
import { TimeAgo } from '../../components/TimeAgo.tsx';
import { useNow } from '../../components/use-now.ts';
import type { SecretFacts_SecretFragment } from '../../gql/graphql.ts';
import { secretStatus } from './secret-status.ts';

const STATUS_COLORS = { pending: 'orange', grace: 'blue', current: 'teal' } as const;

/** Current, in a grace period (until when), or pending (and why). */
export function SecretStatusBadge({ secret }: { secret: SecretFacts_SecretFragment }) {
  const now = useNow();
  const status = secretStatus(secret, Math.max(now, Date.now() - 1000));
  return (
    <Stack gap={2} align="flex-start">
      <Badge color={STATUS_COLORS[status.kind]} variant="light" data-secret-status={status.kind}>
        {status.label}
      </Badge>
      {status.detail && (
        <Text fz="xs" c="dimmed" maw={360}>
          {status.detail}
        </Text>
      )}
    </Stack>
  );
}

/** "3 min ago by alice", or "at provisioning" for a value never rotated. */
export function LastRotation({ secret }: { secret: SecretFacts_SecretFragment }) {
  if (!secret.rotatedAt)
    return (
      <Text span fz="sm" c="dimmed">
        at provisioning
      </Text>
    );
  return (
    <Text span fz="sm">
      <TimeAgo iso={secret.rotatedAt} />
      {secret.rotatedBy ? ` by ${secret.rotatedBy}` : ''}
    </Text>
  );
}

/** Label-value rows of one card. */
export function Facts({ rows }: { rows: readonly (readonly [string, ReactNode])[] }) {
  return (
    <Table verticalSpacing={8} withRowBorders={false} layout="fixed">
      <Table.Tbody>
        {rows.map(([label, value]) => (
          <Table.Tr key={label}>
            <Table.Th w="34%" fw={500} c="dimmed" fz="sm" pl={0}>
              {label}
            </Table.Th>
            <Table.Td fz="sm">{value}</Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** The facts every secret has: version, last rotation, status and, while one runs, the grace period. */
export function secretRows(secret: SecretFacts_SecretFragment): (readonly [string, ReactNode])[] {
  return [
    [
      'Version',
      <span
        key="v"
        data-testid={`secret-version-${secret.secret}`}
        style={{ fontVariantNumeric: 'tabular-nums' }}
      >
        {secret.version}
      </span>,
    ],
    ['Last rotation', <LastRotation key="r" secret={secret} />],
    ['Status', <SecretStatusBadge key="s" secret={secret} />],
  ];
}
