import type { Logger } from '../log.ts';

/**
 * Work that runs on one replica at a time: the holder of the `justiam-control-plane` Lease starts
 * every leader task when it gains leadership and stops them (awaiting what is under way) when it
 * loses it (server/runtime.ts). Informers and periodic jobs are leader tasks.
 */
export type LeaderTask = { start(): void; stop(): Promise<void> };

/**
 * A leader task that runs `tick` at once and then `intervalMs` after each tick ends, so ticks never
 * overlap however long one takes. A failing tick is logged with the job's name and the next one
 * runs on schedule; `stop()` waits for the tick under way.
 */
export function periodicJob(
  name: string,
  intervalMs: number,
  tick: () => Promise<unknown>,
  logger: Logger,
): LeaderTask {
  let timer: NodeJS.Timeout | undefined;
  let running = false;
  let current: Promise<void> = Promise.resolve();
  const loop = () => {
    current = tick()
      .then(
        () => undefined,
        (error: unknown) => logger.error({ err: error, job: name }, `periodic job ${name} failed`),
      )
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
