import { poolPath, tenantPath } from '../router/routes.ts';

/** An audit actor as the API gives it: the names resolved now, the label written with the entry. */
export type ActorNames = {
  kind: string;
  id?: string | null;
  label: string;
  name?: string | null;
  email?: string | null;
  tokenName?: string | null;
};

export type TargetNames = { kind: string; id: string; name?: string | null };

/** Who or what, in two lines: the name people know, then what tells it apart. */
export type Described = {
  primary: string;
  secondary: string | null;
  /** An app path showing it, where there is one. */
  to?: string;
};

/** "Alice Doe" with "alice@example.com"; a token by its name and its operator; "System" for the control plane. */
export function describeActor(actor: ActorNames): Described {
  const person = actor.name ?? actor.email ?? null;
  switch (actor.kind) {
    case 'operator':
      return {
        primary: person ?? actor.label,
        secondary: actor.name && actor.email ? actor.email : null,
      };
    case 'token':
      return {
        primary: actor.tokenName ?? actor.label,
        secondary: `API token of ${person ?? ownerInLabel(actor.label)}`,
      };
    case 'system':
      return { primary: 'System', secondary: actor.label === 'system' ? null : actor.label };
    case 'anonymous':
      return { primary: 'Anonymous', secondary: 'not signed in' };
    default:
      return { primary: actor.label, secondary: actor.kind };
  }
}

/** A token actor's label is `owner (token name)`: the owner, for entries whose operator is gone. */
function ownerInLabel(label: string): string {
  return label.replace(/ \(token .+\)$/, '');
}

const SHARED_POOL = 'agent-shared';

const SETTINGS_NAMES: Readonly<Record<string, string>> = {
  alerts: 'Alert settings',
  smtp: 'SMTP relay',
};

const WORKER_NAMES: Readonly<Record<string, string>> = {
  'login-worker': 'Login worker',
  agent: 'Agents',
};

/** "Acme Corporation" with its slug, a token or operator by name, settings and workers in words. */
export function describeTarget(target: TargetNames): Described {
  switch (target.kind) {
    case 'tenant':
      return target.name
        ? { primary: target.name, secondary: target.id, to: tenantPath(target.id) }
        : { primary: target.id, secondary: 'tenant', to: tenantPath(target.id) };
    case 'token':
      return { primary: target.name ?? target.id, secondary: 'API token' };
    case 'operator':
      return { primary: target.name ?? target.id, secondary: 'operator' };
    case 'pool':
      // The shared pool (Deployment agent-shared) is shown on the pools page itself.
      return target.id === SHARED_POOL
        ? { primary: 'Shared agent pool', secondary: target.id, to: '/pools' }
        : { primary: target.id, secondary: 'agent pool', to: poolPath(target.id) };
    case 'settings':
      return { primary: SETTINGS_NAMES[target.id] ?? target.id, secondary: 'settings' };
    case 'license':
      return { primary: 'License', secondary: target.id };
    case 'workers':
      return { primary: WORKER_NAMES[target.id] ?? target.id, secondary: 'workers' };
    default:
      return { primary: target.id, secondary: target.kind };
  }
}
