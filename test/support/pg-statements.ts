import pg from 'pg';

export type RecordedStatement = { applicationName: string | undefined; text: string; values: unknown[] };

/**
 * Records every statement any `pg` client in this process sends, with its parameters and the
 * client's application_name, while still running it. A recorder on the driver, for claims about
 * what reaches the database server; `stop()` puts the driver back.
 */
export function recordStatements(): { statements: RecordedStatement[]; stop(): void } {
  const statements: RecordedStatement[] = [];
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (
    this: pg.Client,
    config: unknown,
    values?: unknown,
    ...rest: unknown[]
  ) {
    const given =
      typeof config === 'string' ? { text: config } : (config as { text?: string; values?: unknown[] });
    statements.push({
      applicationName: (this as unknown as { connectionParameters?: { application_name?: string } })
        .connectionParameters?.application_name,
      text: given?.text ?? '',
      values: Array.isArray(values) ? values : (given?.values ?? []),
    });
    return (original as (...args: unknown[]) => unknown).call(this, config, values, ...rest);
  } as typeof original;
  return {
    statements,
    stop() {
      pg.Client.prototype.query = original;
    },
  };
}
