import { type LeaderTask, periodicJob } from '../../../jobs/periodic.ts';
import { dueOperations } from '../repository.ts';
import type { TenantServices } from '../services.ts';
import type { OperationRunner } from './runner.ts';

/**
 * Resumes unfinished tenant operations: at start (so whatever a crash interrupted continues) and
 * then every `intervalMs`, picking operations whose retry time has come. Runs on the leader.
 */
export function createReconciler(
  services: TenantServices,
  runner: OperationRunner,
  intervalMs: number,
): LeaderTask {
  return periodicJob(
    'tenant-operations',
    intervalMs,
    async () => {
      const due = await dueOperations(services.db, 200);
      for (const op of due) void runner.run(op.id, op.tenant_id);
    },
    services.logger,
  );
}
