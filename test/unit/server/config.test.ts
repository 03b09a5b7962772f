import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../../server/config.ts';

describe('loadConfig', () => {
  it('defaults to port 4000, .data and embedded PostgreSQL when nothing is set', () => {
    const config = loadConfig({});
    expect(config.port).toBe(4000);
    expect(config.dataDir.endsWith('.data')).toBe(true);
    expect(config.database).toMatchObject({ kind: 'embedded', port: undefined });
  });

  it('uses DATABASE_URL as an external database when it is set', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://u:p@db:5432/cp' });
    expect(config.database).toEqual({ kind: 'external', url: 'postgres://u:p@db:5432/cp' });
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ PORT: '', DATABASE_URL: '' }).database.kind).toBe('embedded');
  });

  it.each([
    [{ PORT: 'abc' }, /^PORT must be a number \(got "abc"\)$/],
    [{ PORT: '70000' }, /^PORT must be between 0 and 65535/],
    [{ DATABASE_URL: 'mysql://x' }, /^DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL$/],
    [{ LOG_LEVEL: 'loud' }, /^LOG_LEVEL /],
    [{ LOG_PRETTY: 'maybe' }, /^LOG_PRETTY must be true or false/],
  ])('rejects %o with one line naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes the value of a URL variable, which may hold a password', () => {
    try {
      loadConfig({ DATABASE_URL: 'redis://user:hunter2@host' });
      expect.unreachable();
    } catch (error) {
      expect((error as Error).message).not.toContain('hunter2');
    }
  });
});
