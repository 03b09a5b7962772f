import {
  ActionIcon,
  Badge,
  Button,
  Tooltip,
  useComputedColorScheme,
  useMantineColorScheme,
} from '@mantine/core';
import { IconMoon, IconSun } from '../components/icons.tsx';
import { type LiveStatus, useLiveStatus } from '../graphql/live.ts';

const LIVE: Record<LiveStatus, { label: string; color: string; hint: string }> = {
  idle: { label: 'Idle', color: 'gray', hint: 'No live data on this page.' },
  connecting: { label: 'Connecting', color: 'yellow', hint: 'Opening the live connection to the API.' },
  connected: { label: 'Live', color: 'teal', hint: 'Changes appear as they happen, on every replica.' },
  reconnecting: {
    label: 'Reconnecting',
    color: 'orange',
    hint: 'The live connection dropped; retrying. What is shown is read again once it is back.',
  },
  disconnected: {
    label: 'Disconnected',
    color: 'red',
    hint: 'The live connection ended and will not come back by itself: reload the page.',
  },
};

/** Whether pages are receiving changes live (the subscription socket's state). */
export function LiveIndicator() {
  const status = useLiveStatus();
  const look = LIVE[status];
  // Nothing on this page is live: no pill claiming anything.
  if (status === 'idle') return null;
  if (status === 'disconnected')
    return (
      <Tooltip label={look.hint}>
        <Button
          variant="light"
          color="red"
          size="compact-md"
          radius="xl"
          onClick={() => window.location.reload()}
          data-testid="live-status"
          data-live={status}
        >
          Disconnected · Reload
        </Button>
      </Tooltip>
    );
  return (
    <Tooltip label={look.hint}>
      <Badge
        variant="dot"
        color={look.color}
        size="lg"
        radius="xl"
        tt="none"
        fw={500}
        data-testid="live-status"
        data-live={status}
      >
        {look.label}
      </Badge>
    </Tooltip>
  );
}

/** Light or dark, remembered by the browser; the system's preference until chosen. */
export function ColorSchemeToggle() {
  const { setColorScheme } = useMantineColorScheme();
  const computed = useComputedColorScheme('light');
  const next = computed === 'dark' ? 'light' : 'dark';
  return (
    <Tooltip label={`Switch to ${next} mode`}>
      <ActionIcon
        variant="default"
        size="lg"
        aria-label={`Switch to ${next} mode`}
        onClick={() => setColorScheme(next)}
      >
        {computed === 'dark' ? <IconSun /> : <IconMoon />}
      </ActionIcon>
    </Tooltip>
  );
}
