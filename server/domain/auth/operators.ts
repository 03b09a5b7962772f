import type { Executor } from '../../db/database.ts';
import type { OperatorRow, Role } from '../../db/schema.ts';

export type OperatorIdentity = {
  issuer: string;
  subject: string;
  email: string | null;
  name: string | null;
  role: Role;
};

/**
 * Creates the operator on first login and refreshes email, name and role on every later one (the
 * identity provider stays the source of truth for roles). A deleted operator is not revived.
 */
export async function upsertOperator(db: Executor, who: OperatorIdentity, now: Date): Promise<OperatorRow> {
  return db
    .insertInto('operators')
    .values({ ...who, last_login_at: now })
    .onConflict((oc) =>
      oc
        .columns(['issuer', 'subject'])
        .doUpdateSet({ email: who.email, name: who.name, role: who.role, last_login_at: now }),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** A readable label for audit entries and the UI: email, else name, else subject. */
export function operatorLabel(op: Pick<OperatorRow, 'email' | 'name' | 'subject'>): string {
  return op.email ?? op.name ?? op.subject;
}

/**
 * Maps ID-token claims to a role: admin when the configured claim (a string or a list) holds one
 * of the admin values, else the default role.
 */
export function roleFromClaims(
  claims: Record<string, unknown>,
  options: { claim: string; adminValues: string[]; defaultRole: Role },
): Role {
  const raw = claims[options.claim];
  const values = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? raw.split(/[\s,]+/) : [];
  return values.some((v) => options.adminValues.includes(v)) ? 'admin' : options.defaultRole;
}
