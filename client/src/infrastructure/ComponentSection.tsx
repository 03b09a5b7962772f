import { Badge, Card, Group, Stack, Table, Text, Title, UnstyledButton } from '@mantine/core';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { type ComponentState, groupPods, type Pod, podDrifts } from './feed.ts';
import { COMPONENT_LOOK, phaseLook, readyLook } from './look.ts';

// A badge ellipsizes rather than widen its column: its cell keeps room for "Not ready".
const BADGE_CELL = 110;

type ComponentSectionProps = {
  status: ComponentState;
  onPod: (name: string) => void;
};

/** One component: its versions (drift flagged), then its pods in groups, live. */
export function ComponentSection({ status, onPod }: ComponentSectionProps) {
  const look = COMPONENT_LOOK[status.component];
  const ready = status.pods.filter((p) => p.ready).length;
  const headingId = `infra-${status.component.toLowerCase()}`;
  return (
    <Card
      component="section"
      aria-labelledby={headingId}
      data-testid="infra-component"
      data-component={status.component}
      data-pods={status.pods.length}
      data-ready={ready}
      data-drift={status.versionDrift}
    >
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" wrap="wrap" gap="xs">
          <div>
            <Title order={2} fz="md" id={headingId}>
              {look.title}
            </Title>
            <Text fz="sm" c="dimmed">
              {look.hint}
            </Text>
          </div>
          <Text fz="sm" data-testid="infra-ready">
            {status.pods.length === 0 ? 'no pods' : `${ready} of ${status.pods.length} ready`}
          </Text>
        </Group>
        <Versions status={status} />
        {status.pods.length === 0 ? (
          <Text fz="sm" c="dimmed">
            No pods of this component in the cluster.
          </Text>
        ) : (
          groupPods(status.pods).map((group) => (
            <Stack key={group.key} gap={4} data-testid="infra-group" data-group={group.key}>
              {group.label && (
                <Text fz="sm" fw={600}>
                  {group.label}
                </Text>
              )}
              <PodTable status={status} pods={group.pods} onPod={onPod} />
            </Stack>
          ))
        )}
      </Stack>
    </Card>
  );
}

function Versions({ status }: { status: ComponentState }) {
  return (
    <Group gap={6} wrap="wrap" data-testid="infra-versions" data-versions={status.versions.join(',')}>
      <Text fz="sm" c="dimmed">
        {status.versions.length === 1 ? 'Version' : 'Versions'}
      </Text>
      {status.versions.length === 0 && (
        <Text fz="sm" c="dimmed">
          —
        </Text>
      )}
      {status.versions.map((version) => (
        <Badge
          key={version}
          variant="outline"
          color={status.versionDrift ? 'orange' : 'gray'}
          tt="none"
          className="cp-mono"
        >
          {version}
        </Badge>
      ))}
      {status.requestedVersion && (
        <Text fz="sm" c="dimmed" data-testid="infra-requested">
          requested <span className="cp-mono">{status.requestedVersion}</span>
        </Text>
      )}
      {status.versionDrift && (
        <Badge color="orange" variant="filled" data-testid="infra-drift">
          Drift
        </Badge>
      )}
      {status.versionDrift && (
        <Text fz="sm" c="orange" role="note">
          {status.versions.length > 1
            ? 'Its pods run different versions.'
            : `Its pods do not run the version requested (${status.requestedVersion}).`}
        </Text>
      )}
    </Group>
  );
}

function PodTable({
  status,
  pods,
  onPod,
}: {
  status: ComponentState;
  pods: readonly Pod[];
  onPod: (name: string) => void;
}) {
  return (
    <Table.ScrollContainer minWidth={900} className="cp-cards">
      <Table verticalSpacing={6} highlightOnHover miw={900} style={{ whiteSpace: 'nowrap' }}>
        <Table.Thead>
          <Table.Tr>
            <Table.Th>Pod</Table.Th>
            <Table.Th>Phase</Table.Th>
            <Table.Th>Ready</Table.Th>
            <Table.Th>Restarts</Table.Th>
            <Table.Th>Version</Table.Th>
            <Table.Th>Node</Table.Th>
            <Table.Th>Started</Table.Th>
            <Table.Th>Last change</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {pods.map((pod) => {
            const phase = phaseLook(pod.phase);
            const ready = readyLook(pod.ready);
            const drifts = podDrifts(status, pod);
            return (
              <Table.Tr
                key={pod.name}
                data-pod={pod.name}
                data-phase={pod.phase}
                data-ready={pod.ready}
                data-version={pod.version ?? ''}
                data-drift={drifts}
              >
                <Table.Td data-label="Pod">
                  <UnstyledButton
                    className="cp-mono"
                    fz="sm"
                    td="underline"
                    onClick={() => onPod(pod.name)}
                    aria-label={`${pod.name}: details and state history`}
                  >
                    {pod.name}
                  </UnstyledButton>
                </Table.Td>
                <Table.Td miw={BADGE_CELL} data-label="Phase">
                  <Badge color={phase.color} variant="light">
                    {phase.label}
                  </Badge>
                </Table.Td>
                <Table.Td miw={BADGE_CELL} data-label="Ready">
                  <Badge color={ready.color} variant="light">
                    {ready.label}
                  </Badge>
                </Table.Td>
                <Table.Td fz="sm" c={pod.restarts > 0 ? 'orange' : undefined} data-label="Restarts">
                  {pod.restarts}
                </Table.Td>
                <Table.Td data-label="Version">
                  {drifts ? (
                    <Badge color="orange" variant="light" tt="none" className="cp-mono" title="Drifts">
                      {pod.version}
                    </Badge>
                  ) : (
                    <Text span fz="sm" className="cp-mono">
                      {pod.version ?? '—'}
                    </Text>
                  )}
                </Table.Td>
                <Table.Td fz="sm" className="cp-mono" data-label="Node">
                  {pod.node ?? '—'}
                </Table.Td>
                <Table.Td fz="sm" data-label="Started">
                  <TimeAgo iso={pod.startedAt} fallback="not yet" />
                </Table.Td>
                <Table.Td fz="sm" data-label="Last change">
                  <TimeAgo iso={pod.lastTransitionAt} />
                </Table.Td>
              </Table.Tr>
            );
          })}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
