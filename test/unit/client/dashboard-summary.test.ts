import { describe, expect, it } from 'vitest';
import { alertTitle } from '../../../client/src/dashboard/summary.ts';
import type { DashboardAlertKind } from '../../../client/src/gql/graphql.ts';

const alert = (kind: DashboardAlertKind, patch: { operationKind?: string; attempts?: number } = {}) => ({
  kind,
  slug: 'acme',
  operationKind: patch.operationKind ?? null,
  attempts: patch.attempts ?? null,
});

describe('alertTitle', () => {
  it.each([
    [alert('OPERATION_FAILED', { operationKind: 'create' }), 'Provisioning of acme failed'],
    [alert('OPERATION_FAILED', { operationKind: 'delete' }), 'Deletion of acme failed'],
    [
      alert('OPERATION_RETRYING', { operationKind: 'create', attempts: 1 }),
      'Provisioning of acme is retrying (1 failed attempt)',
    ],
    [
      alert('OPERATION_RETRYING', { operationKind: 'delete', attempts: 3 }),
      'Deletion of acme is retrying (3 failed attempts)',
    ],
    [alert('UNREACHABLE'), 'acme is unreachable'],
    [alert('DEGRADED'), 'acme is degraded'],
  ])('says what happened to which tenant: %o', (given, title) => {
    expect(alertTitle(given)).toBe(title);
  });
});
