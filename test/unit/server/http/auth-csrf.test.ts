import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../server/config.ts';
import { createAuthService } from '../../../../server/http/auth.ts';
import { createLogger } from '../../../../server/log.ts';

/** The CSRF check before the server knows its public URL (it learns it once listening). */
describe('csrfOk before the public URL is configured', () => {
  // Nothing here touches the database, the bus or the issuer: csrfOk reads headers only.
  const auth = createAuthService({
    config: loadConfig({}),
    db: {} as never,
    bus: {} as never,
    logger: createLogger({ level: 'silent' }),
    now: () => new Date(),
  });

  it('lets no Origin pass, and says so rather than failing', () => {
    expect(auth.csrfOk({ origin: 'http://localhost:8080' })).toBe(false);
    expect(auth.csrfOk({ origin: 'null' })).toBe(false);
    expect(auth.csrfOk({})).toBe(false);
  });

  it('takes the CSRF header with any value, even an empty one', () => {
    expect(auth.csrfOk({ 'x-graphql-yoga-csrf': '' })).toBe(true);
    expect(auth.csrfOk({ 'x-graphql-yoga-csrf': '1', origin: 'https://evil.example' })).toBe(true);
  });
});
