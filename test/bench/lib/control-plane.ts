import { loadConfig } from '../../../server/config.ts';
import { createLogger, type Logger } from '../../../server/log.ts';
import { type ControlPlane, startControlPlane } from '../../../server/runtime.ts';
import { operatorToken } from '../../support/server.ts';

/**
 * A whole control plane on `databaseUrl` for a benchmark: an ephemeral port on loopback, warnings
 * only, background polling and the drift check off unless `overrides` turns it on, and an admin operator's
 * `authorization` header value for its requests.
 */
export async function startBenchControlPlane(
  databaseUrl: string,
  overrides: Record<string, string> = {},
  logger: Logger = createLogger({ level: 'warn' }, process.stderr),
): Promise<{ cp: ControlPlane; authorization: string }> {
  const cp = await startControlPlane(
    loadConfig({
      NODE_ENV: 'test',
      PORT: '0',
      HOST: '127.0.0.1',
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'warn',
      STATUS_POLL_INTERVAL_MS: '3600000',
      DRIFT_CHECK_INTERVAL_MS: '86400000',
      RECONCILE_INTERVAL_MS: '3600000',
      ...overrides,
    }),
    logger,
  );
  const authorization = `Bearer ${await operatorToken(databaseUrl, 'bench@justiam.local', 'admin')}`;
  return { cp, authorization };
}
