import type { InfrastructureComponent, WorkerComponent, WorkerUpgradeState } from '../gql/graphql.ts';

type Look = { label: string; color: string };

/** Each component's section title and what it is. */
export const COMPONENT_LOOK: Record<InfrastructureComponent, { title: string; hint: string }> = {
  BACKEND: { title: 'Backend', hint: 'JustIAM backend pods, one set per tenant.' },
  LOGIN_WORKER: { title: 'Login workers', hint: 'The shared login worker and each tenant’s dedicated one.' },
  AGENT: { title: 'Agents', hint: 'Task agents of the shared agent pool and of each agent pool.' },
  CONTROL_PLANE: { title: 'Control plane', hint: 'This control plane’s own pods.' },
};

/** The components an upgrade moves, in words. */
export const WORKER_COMPONENT_LABEL: Record<WorkerComponent, string> = {
  LOGIN_WORKER: 'Login workers',
  AGENT: 'Agents',
};

/** A pod's phase as a badge. */
export function phaseLook(phase: string): Look {
  switch (phase) {
    case 'Running':
      return { label: 'Running', color: 'teal' };
    case 'Pending':
      return { label: 'Pending', color: 'blue' };
    case 'Succeeded':
      return { label: 'Succeeded', color: 'gray' };
    case 'Failed':
      return { label: 'Failed', color: 'red' };
    default:
      return { label: phase || 'Unknown', color: 'gray' };
  }
}

/** A pod's readiness as a badge. */
export function readyLook(ready: boolean): Look {
  return ready ? { label: 'Ready', color: 'teal' } : { label: 'Not ready', color: 'yellow' };
}

export const UPGRADE_STATE_LOOK: Record<WorkerUpgradeState, Look> = {
  RUNNING: { label: 'Running', color: 'blue' },
  SUCCEEDED: { label: 'Succeeded', color: 'teal' },
  STUCK: { label: 'Stuck', color: 'orange' },
  FAILED: { label: 'Failed', color: 'red' },
  ROLLED_BACK: { label: 'Rolled back', color: 'gray' },
};

/** An image tag, as the API accepts it (the same rule as the server's). */
export const IMAGE_TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

/** Why a typed version cannot be sent, or null when it can. */
export function versionProblem(version: string): string | null {
  if (version === '') return 'Required';
  if (version.length > 128) return 'At most 128 characters';
  if (!IMAGE_TAG.test(version))
    return 'Must be an image tag: letters, digits, _ . - (not starting with . or -), such as 1.4.2';
  return null;
}

/** 1536 → "1.5 KiB"; bytes in binary units with one decimal. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${Math.round(value)} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** How long since `iso`: "3 d 4 h", "5 h 2 min", "12 min", "40 s". */
export function formatUptime(iso: string, now: number): string {
  const seconds = Math.max(0, Math.floor((now - new Date(iso).getTime()) / 1000));
  if (!Number.isFinite(seconds)) return '';
  const days = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min`;
  return `${seconds} s`;
}
