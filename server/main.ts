import { constants } from 'node:os';
import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import type { ControlPlane } from './runtime.ts';

let config: ReturnType<typeof loadConfig>;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`configuration error: ${error.message}\n`);
    process.exit(1);
  }
  throw error;
}

const logger = createLogger(config.log);

// A bug that escapes every handler ends the process with code 1 after one fatal line; the
// embedded PostgreSQL, if any, is asked to shut down by its own exit listener.
for (const event of ['uncaughtException', 'unhandledRejection'] as const) {
  process.on(event, (error: unknown) => {
    logger.fatal(
      { err: error },
      `${event === 'uncaughtException' ? 'uncaught error' : 'unhandled rejection'}; exiting`,
    );
    process.exit(1);
  });
}

let cp: ControlPlane | undefined;
let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    if (!cp) {
      // Still starting: nothing serves yet, so there is nothing to drain.
      logger.info({ signal }, 'stopped during start-up');
      process.exit(128 + constants.signals[signal]);
    }
    logger.info({ signal }, 'shutting down');
    // A hard deadline: whatever hangs, the process is gone within 10 s of the signal.
    setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, 10_000).unref();
    cp.stop().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  });
}

// Loaded once the configuration is known to be good: a configuration error is reported before the
// rest of the server is even compiled (tsx), in a fraction of a second.
const { StartupError, startControlPlane } = await import('./runtime.ts');
cp = await startControlPlane(config, logger).catch((error: unknown) => {
  const known = error instanceof StartupError || error instanceof ConfigError;
  logger.fatal(known ? {} : { err: error }, `start-up failed: ${(error as Error).message}`);
  process.exit(1);
});
logger.info(
  { url: cp.url, graphql: `${cp.url}/graphql`, ui: `${cp.url}/ui/` },
  `control plane listening on ${cp.url}`,
);
