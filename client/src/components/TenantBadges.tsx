import { Badge, Group, Loader, Text, Tooltip } from '@mantine/core';
import { STATE_LOOK, statusLook, tenantBadgeLook } from '../tenants/labels.ts';
import type { TenantStateName } from '../tenants/live-list.ts';

/** A tenant's lifecycle state; states that are still changing show a spinner. */
export function StateBadge({ state }: { state: TenantStateName }) {
  const look = STATE_LOOK[state];
  const busy = state === 'PROVISIONING' || state === 'DELETING';
  return (
    <Badge
      color={look.color}
      leftSection={busy ? <Loader size={10} color={look.color} type="oval" /> : undefined}
      data-state={state}
    >
      {look.label}
    </Badge>
  );
}

/** What the status poller last saw of the tenant backend: a coloured dot and a word. */
export function StatusIndicator({ status, error }: { status: string; error?: string | null }) {
  const look = statusLook(status);
  const body = (
    <Group gap={6} wrap="nowrap" data-status={status}>
      <span className="cp-status-dot" style={{ background: `var(--mantine-color-${look.color}-6)` }} />
      <Text fz="sm" span>
        {look.label}
      </Text>
    </Group>
  );
  return error ? (
    <Tooltip label={error} multiline maw={360}>
      {body}
    </Tooltip>
  ) : (
    body
  );
}

/**
 * A tenant's state and health in one badge: "Active · Unreachable". Health is shown only for an
 * active tenant (a provisioning, deleting or deleted one has no backend to judge), and a tenant not
 * yet polled says so rather than looking healthy. The poller's error is its tooltip.
 */
export function TenantBadge({
  state,
  status,
  error,
}: {
  state: TenantStateName;
  status: string;
  error?: string | null;
}) {
  const look = tenantBadgeLook(state, status);
  const busy = state === 'PROVISIONING' || state === 'DELETING';
  const badge = (
    <Badge
      color={look.color}
      leftSection={busy ? <Loader size={10} color={look.color} type="oval" /> : undefined}
      data-state={state}
      data-status={look.health ? status : undefined}
      data-testid="tenant-badge"
    >
      {look.label}
    </Badge>
  );
  return error && look.health ? (
    <Tooltip label={error} multiline maw={360}>
      {badge}
    </Tooltip>
  ) : (
    badge
  );
}
