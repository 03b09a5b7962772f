import { Text, Tooltip } from '@mantine/core';
import { formatRelative, formatTime } from './time.ts';
import { useNow } from './use-now.ts';

/** "5 min ago", with the exact time on hover; a dash when there is no time. */
export function TimeAgo({ iso, fallback = '—' }: { iso: string | null | undefined; fallback?: string }) {
  const now = useNow();
  if (!iso) {
    return (
      <Text span c="dimmed" fz="inherit">
        {fallback}
      </Text>
    );
  }
  return (
    <Tooltip label={formatTime(iso)}>
      <time dateTime={iso} className="cp-nowrap">
        {formatRelative(iso, Math.max(now, Date.now() - 1000))}
      </time>
    </Tooltip>
  );
}
