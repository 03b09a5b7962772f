import { useQuery } from 'urql';
import { graphql } from '../gql/index.ts';

const Operator_Me = graphql(`
  query Operator_Me {
    me {
      id
      name
      email
      role
      authenticatedBy
    }
  }
`);

/** Who is using the UI, as far as the API has said. */
export type Operator =
  | { kind: 'loading' }
  | { kind: 'anonymous' }
  | { kind: 'signed-in'; name: string; email: string | null; role: 'admin' | 'viewer' };

/** What an operator may do from the UI; each action button asks before it shows itself. */
export type Permission =
  | 'tenant.create'
  | 'tenant.delete'
  | 'tenant.repair'
  | 'tenant.secrets'
  | 'settings.update'
  | 'license.manage'
  | 'tenant.workers'
  | 'tenant.backups'
  | 'pool.manage'
  | 'audit.export'
  | 'token.manage'
  | 'infrastructure.upgrade';

const VIEWER_MAY: ReadonlySet<Permission> = new Set(['audit.export']);

/**
 * Whether `operator` may take `action`. A viewer gets only read-only actions; nothing shows until
 * the API has said who this is, so a viewer never sees a button flash up. Without operator sign-in
 * (an API without `me`) every action is offered. The API still has the last word.
 */
export function can(operator: Operator, action: Permission): boolean {
  if (operator.kind === 'loading') return false;
  if (operator.kind === 'anonymous') return true;
  if (operator.role === 'viewer') return VIEWER_MAY.has(action);
  return true;
}

/** The signed-in operator (the API's `me`), read once and kept in the cache. */
export function useOperator(): Operator {
  const [result] = useQuery({ query: Operator_Me });
  const me = result.data?.me;
  if (me) {
    return {
      kind: 'signed-in',
      name: me.name ?? me.email ?? me.id,
      email: me.email ?? null,
      role: me.role === 'ADMIN' ? 'admin' : 'viewer',
    };
  }
  return result.error ? { kind: 'anonymous' } : { kind: 'loading' };
}

/** Shorthand for components: may the current operator take `action`? */
export function useCan(action: Permission): boolean {
  return can(useOperator(), action);
}
