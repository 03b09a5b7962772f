import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createLogger, redactUrl } from '../../../server/log.ts';

function capture() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _e, done) {
      lines.push(String(chunk));
      done();
    },
  });
  return { lines, logger: createLogger({ level: 'info' }, stream) };
}

describe('logger', () => {
  it('writes JSON lines with the service name', () => {
    const { lines, logger } = capture();
    logger.info({ tenant: 'acme' }, 'hello');
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ service: 'justiam-cp', tenant: 'acme', msg: 'hello' });
  });

  it('blanks secret-bearing fields, top-level and nested', () => {
    const { lines, logger } = capture();
    logger.info(
      { password: 'p4ss', smtp: { password: 's3cret' }, headers: { authorization: 'Bearer cpt_x' } },
      'x',
    );
    expect(lines[0]).not.toMatch(/p4ss|s3cret|cpt_x/);
    expect(lines[0]).toContain('[redacted]');
  });

  it('redactUrl hides the password of a connection URL', () => {
    expect(redactUrl('postgres://cp:hunter2@db:5432/x')).toBe('postgres://cp:***@db:5432/x');
    expect(redactUrl('not a url')).toBe('[unparseable url]');
  });
});
