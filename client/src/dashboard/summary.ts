import type { Dashboard_FiguresFragment } from '../gql/graphql.ts';

export type DashboardAlert = Dashboard_FiguresFragment['alerts'][number];

const OPERATION_WORDS: Record<string, string> = { create: 'Provisioning', delete: 'Deletion' };

/** The headline of an alert, in words: what happened to which tenant. */
export function alertTitle(
  alert: Pick<DashboardAlert, 'kind' | 'slug' | 'operationKind' | 'attempts'>,
): string {
  const operation = OPERATION_WORDS[alert.operationKind ?? ''] ?? 'An operation';
  switch (alert.kind) {
    case 'OPERATION_FAILED':
      return `${operation} of ${alert.slug} failed`;
    case 'OPERATION_RETRYING': {
      const n = alert.attempts ?? 0;
      return `${operation} of ${alert.slug} is retrying (${n} failed ${n === 1 ? 'attempt' : 'attempts'})`;
    }
    case 'UNREACHABLE':
      return `${alert.slug} is unreachable`;
    case 'DEGRADED':
      return `${alert.slug} is degraded`;
    case 'DRIFT':
      return `${alert.slug} lacks part of what it was provisioned with`;
    case 'BACKUP_VERIFICATION_FAILED':
      return `A backup of ${alert.slug} failed verification`;
  }
}
