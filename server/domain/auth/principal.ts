import type { OperatorRow, Role } from '../../db/schema.ts';
import type { Actor } from '../actor.ts';
import { operatorLabel } from './operators.ts';

/** An authenticated caller: an operator, through a browser session or one of their API tokens. */
export type Principal = {
  operator: Pick<OperatorRow, 'id' | 'email' | 'name' | 'subject' | 'role'>;
  role: Role;
  via:
    | { kind: 'session'; id: string; expiresAt: Date }
    | { kind: 'token'; id: string; name: string; expiresAt: Date };
};

/** The audit actor for a principal: the operator, and through which token when it was one. */
export function actorOf(principal: Principal): Actor {
  const label = operatorLabel(principal.operator);
  return principal.via.kind === 'token'
    ? {
        kind: 'token',
        id: principal.operator.id,
        label: `${label} (token ${principal.via.name})`,
        tokenId: principal.via.id,
      }
    : { kind: 'operator', id: principal.operator.id, label };
}

/** What a caller without credentials is told, on every door. */
export const AUTHENTICATION_REQUIRED = 'authentication required: sign in at /auth/login or send an API token';
/** What a viewer is told when they try what only an admin may do, on every door. */
export const ADMIN_REQUIRED = 'this needs the admin role; you are signed in as a viewer';
