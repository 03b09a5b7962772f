import { Badge, Drawer, Group, Stack, Text, Timeline, Title } from '@mantine/core';
import { TimeAgo } from '../components/TimeAgo.tsx';
import { formatTime } from '../components/time.ts';
import { Facts } from '../tenants/detail/SecretFacts.tsx';
import type { FeedState, Pod } from './feed.ts';
import { COMPONENT_LOOK, phaseLook, readyLook } from './look.ts';

type PodDrawerProps = {
  state: FeedState;
  /** The pod shown; null when the drawer is closed. */
  name: string | null;
  onClose: () => void;
};

function findPod(state: FeedState, name: string): { pod: Pod; gone: boolean } | null {
  for (const status of Object.values(state.components)) {
    const pod = status.pods.find((p) => p.name === name);
    if (pod) return { pod, gone: false };
  }
  const gone = state.gone[name];
  return gone ? { pod: gone, gone: true } : null;
}

/** A pod's details and the state changes this page saw it go through, newest first. */
export function PodDrawer({ state, name, onClose }: PodDrawerProps) {
  const found = name ? findPod(state, name) : null;
  const history = name ? [...(state.history[name] ?? [])].reverse() : [];
  return (
    <Drawer
      opened={name !== null}
      onClose={onClose}
      position="right"
      size="md"
      title={
        <Text fw={600} className="cp-mono">
          {name}
        </Text>
      }
      closeButtonProps={{ 'aria-label': 'Close pod details' }}
    >
      {found && (
        <Stack gap="md" data-testid="pod-drawer" data-pod={found.pod.name} data-gone={found.gone}>
          <Group gap={6}>
            {found.gone ? (
              <Badge color="gray" variant="filled">
                Gone
              </Badge>
            ) : (
              <>
                <Badge color={phaseLook(found.pod.phase).color} variant="light">
                  {phaseLook(found.pod.phase).label}
                </Badge>
                <Badge color={readyLook(found.pod.ready).color} variant="light">
                  {readyLook(found.pod.ready).label}
                </Badge>
              </>
            )}
          </Group>
          <Facts
            rows={[
              ['Component', COMPONENT_LOOK[found.pod.component].title],
              ...(found.pod.tenant ? [['Tenant', found.pod.tenant] as const] : []),
              ...(found.pod.pool ? [['Pool', found.pod.pool] as const] : []),
              [
                'Version',
                <span key="v" className="cp-mono">
                  {found.pod.version ?? '—'}
                </span>,
              ],
              [
                'Node',
                <span key="n" className="cp-mono">
                  {found.pod.node ?? '—'}
                </span>,
              ],
              ['Restarts', String(found.pod.restarts)],
              [
                'Started',
                found.pod.startedAt ? (
                  <span key="s">
                    {formatTime(found.pod.startedAt)} (<TimeAgo iso={found.pod.startedAt} />)
                  </span>
                ) : (
                  'not yet'
                ),
              ],
              [
                'Last transition',
                found.pod.lastTransitionAt ? (
                  <span key="t">
                    {formatTime(found.pod.lastTransitionAt)} (<TimeAgo iso={found.pod.lastTransitionAt} />)
                  </span>
                ) : (
                  '—'
                ),
              ],
            ]}
          />
          <div>
            <Title order={3} fz="sm">
              State history
            </Title>
            <Text fz="xs" c="dimmed" mb="sm">
              The changes this page has seen since it opened. The cluster keeps no event log for pods here;
              the start and last transition times above come from the pod itself.
            </Text>
            {history.length === 0 ? (
              <Text fz="sm" c="dimmed">
                No change seen yet.
              </Text>
            ) : (
              <Timeline bulletSize={12} lineWidth={2} data-testid="pod-history" data-count={history.length}>
                {history.map((event, index) => (
                  <Timeline.Item
                    // biome-ignore lint/suspicious/noArrayIndexKey: the history only grows at its end
                    key={`${event.at}-${index}`}
                    color={event.kind === 'gone' ? 'gray' : event.ready ? 'teal' : 'yellow'}
                    title={<Text fz="sm">{event.text}</Text>}
                    data-kind={event.kind}
                  >
                    <Text fz="xs" c="dimmed">
                      {formatTime(event.at)}
                    </Text>
                  </Timeline.Item>
                ))}
              </Timeline>
            )}
          </div>
        </Stack>
      )}
      {name && !found && (
        <Text fz="sm" c="dimmed">
          This pod is not in the cluster any more.
        </Text>
      )}
    </Drawer>
  );
}
