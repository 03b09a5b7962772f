import { dueOperations } from './repository.ts';
import type { OperationRunner } from './runner.ts';
import type { TenantServices } from './services.ts';

export type PeriodicTask = { start(): void; stop(): Promise<void> };

/**
 * Resumes unfinished tenant operations: at start (so whatever a crash interrupted continues) and
 * then every `intervalMs`, picking operations whose retry time has come. Runs on the leader.
 */
export function createReconciler(
  services: TenantServices,
  runner: OperationRunner,
  intervalMs: number,
): PeriodicTask {
  return periodic(
    intervalMs,
    async () => {
      const due = await dueOperations(services.db, 200);
      for (const op of due) void runner.run(op.id);
    },
    services,
  );
}

/** Runs `tick` now and then every `intervalMs` after the previous tick ends, until stopped. */
export function periodic(
  intervalMs: number,
  tick: () => Promise<void>,
  services: Pick<TenantServices, 'logger'>,
): PeriodicTask {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let current: Promise<void> = Promise.resolve();
  const loop = () => {
    current = tick()
      .catch((error: unknown) => services.logger.error({ err: error }, 'periodic task failed'))
      .finally(() => {
        if (running) timer = setTimeout(loop, intervalMs);
      });
  };
  return {
    start() {
      if (running) return;
      running = true;
      loop();
    },
    async stop() {
      running = false;
      clearTimeout(timer);
      await current;
    },
  };
}
