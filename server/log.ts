import { type Logger, pino } from 'pino';

export type { Logger };

/**
 * Paths pino blanks before a line is written. Secret values should never reach a log call in the
 * first place; this is the second line of defence for objects that carry them (requests, configs).
 */
const REDACT = [
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  'authorization',
  '*.authorization',
  'headers.authorization',
  'headers.cookie',
  'req.headers.authorization',
  'req.headers.cookie',
  'databaseUrl',
  '*.databaseUrl',
  'connectionString',
  '*.connectionString',
];

/** Creates the process logger: JSON lines, one `service` field, redaction of secret-bearing paths. */
export function createLogger(
  options: { level: string; pretty?: boolean },
  destination?: NodeJS.WritableStream,
): Logger {
  const settings = {
    level: options.level,
    base: { service: 'justiam-cp' },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
    ...(options.pretty && !destination
      ? { transport: { target: 'pino-pretty', options: { colorize: true } } }
      : {}),
  };
  return destination ? pino(settings, destination) : pino(settings);
}

/** Removes the password from a PostgreSQL URL so it can be shown in a log line or an error. */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '[unparseable url]';
  }
}
