import type { LoginWorkerMode, TaskWorkerMode } from '../gql/graphql.ts';

type Look = { label: string; color: string };

/** Where tasks run, in a word. */
export const TASK_MODE_LOOK: Record<TaskWorkerMode, Look> = {
  INLINE: { label: 'Inline', color: 'gray' },
  AGENT: { label: 'Agent', color: 'violet' },
};

/** Where login scripts run, in a word. */
export const LOGIN_MODE_LOOK: Record<LoginWorkerMode, Look> = {
  INLINE: { label: 'Inline', color: 'gray' },
  SHARED: { label: 'Shared', color: 'blue' },
  DEDICATED: { label: 'Dedicated', color: 'violet' },
};

/** What each login worker mode means, under its choice. */
export const LOGIN_MODE_HINT: Record<LoginWorkerMode, string> = {
  INLINE: 'Login scripts run in the tenant’s backend process.',
  SHARED: 'Login scripts run in a shared login worker: the deployment’s, or the one at the URL given.',
  DEDICATED:
    'Login scripts run in a login worker of the tenant’s own (Deployment and Service login-worker-<slug>), made by the control plane.',
};

/** An agent pod's state: ready (connected), its phase otherwise. */
export function agentLook(agent: { phase: string; ready: boolean }): Look {
  if (agent.ready) return { label: 'Ready', color: 'teal' };
  switch (agent.phase) {
    case 'Pending':
      return { label: 'Pending', color: 'blue' };
    case 'Running':
      return { label: 'Not ready', color: 'yellow' };
    case 'Failed':
      return { label: 'Failed', color: 'red' };
    default:
      return { label: agent.phase, color: 'gray' };
  }
}
