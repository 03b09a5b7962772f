import { ConfigError, loadConfig } from './config.ts';
import { createLogger } from './log.ts';
import { StartupError, startControlPlane } from './runtime.ts';

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
const cp = await startControlPlane(config, logger).catch((error: unknown) => {
  const known = error instanceof StartupError || error instanceof ConfigError;
  logger.fatal(known ? {} : { err: error }, `start-up failed: ${(error as Error).message}`);
  process.exit(1);
});
logger.info(
  { url: cp.url, graphql: `${cp.url}/graphql`, ui: `${cp.url}/ui/` },
  `control plane listening on ${cp.url}`,
);

let stopping = false;
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
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
