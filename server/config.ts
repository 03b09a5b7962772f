import { resolve } from 'node:path';
import { z } from 'zod';

/** Thrown when the environment does not describe a valid configuration; `message` is one line for the operator. */
export class ConfigError extends Error {
  override name = 'ConfigError';
}

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'], { message: 'must be true or false' })
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = z.coerce
  .number({ message: 'must be a number' })
  .int('must be a whole number')
  .min(0, 'must be between 0 and 65535')
  .max(65535, 'must be between 0 and 65535');

const postgresUrl = z
  .string()
  .refine((v) => /^postgres(ql)?:\/\//.test(v), 'must be a postgres:// or postgresql:// URL')
  .refine((v) => URL.canParse(v), 'is not a valid URL');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  HOST: z.string().min(1).default('0.0.0.0'),
  PORT: port.default(4000),
  PUBLIC_URL: z.url({ message: 'must be an absolute URL such as https://cp.example.com' }).optional(),
  DATA_DIR: z.string().min(1).default('.data'),
  DATABASE_URL: postgresUrl.optional(),
  EMBEDDED_PG_PORT: port.default(54329),
  DB_POOL_MAX: z.coerce.number({ message: 'must be a number' }).int().min(2).max(200).default(10),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_PRETTY: bool.optional(),
  SHUTDOWN_TIMEOUT_MS: z.coerce
    .number({ message: 'must be a number' })
    .int()
    .min(100)
    .max(60_000)
    .default(8000),
  UI_DIST_DIR: z.string().min(1).default('client/dist'),
  GRAPHIQL: bool.optional(),
});

export type Config = {
  env: 'development' | 'production' | 'test';
  host: string;
  port: number;
  publicUrl: string | undefined;
  dataDir: string;
  database: { kind: 'external'; url: string } | { kind: 'embedded'; port: number; dir: string };
  dbPoolMax: number;
  log: { level: string; pretty: boolean };
  shutdownTimeoutMs: number;
  uiDistDir: string;
  graphiql: boolean;
};

/**
 * Reads and validates the configuration once. Nothing else in the server reads `process.env`.
 * Throws {@link ConfigError} naming the first bad variable and what is wrong with it.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as shells and compose files often export them that way.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(present);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const name = String(issue.path[0] ?? 'environment');
    const shown =
      name in present && !/URL|PASSWORD|SECRET|TOKEN/.test(name) ? ` (got "${present[name]}")` : '';
    throw new ConfigError(`${name} ${issue.message}${shown}`);
  }
  const e = parsed.data;
  const dataDir = resolve(e.DATA_DIR);
  return {
    env: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    publicUrl: e.PUBLIC_URL,
    dataDir,
    database: e.DATABASE_URL
      ? { kind: 'external', url: e.DATABASE_URL }
      : { kind: 'embedded', port: e.EMBEDDED_PG_PORT, dir: resolve(dataDir, 'pg') },
    dbPoolMax: e.DB_POOL_MAX,
    log: { level: e.LOG_LEVEL, pretty: e.LOG_PRETTY ?? false },
    shutdownTimeoutMs: e.SHUTDOWN_TIMEOUT_MS,
    uiDistDir: resolve(e.UI_DIST_DIR),
    graphiql: e.GRAPHIQL ?? e.NODE_ENV !== 'production',
  };
}
