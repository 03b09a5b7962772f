import { describe, expect, it } from 'vitest';
import { connectionStrings } from '../../../client/src/tenants/detail/connection.ts';

const db = { host: 'pg.internal', port: 5432, database: 'tenant_acme', user: 'tenant_acme' };

describe('the Database tab’s connection strings', () => {
  it('leave the password out until it is revealed', () => {
    expect(connectionStrings(db, null)).toEqual({
      uri: 'postgresql://tenant_acme@pg.internal:5432/tenant_acme',
      psql: "psql 'postgresql://tenant_acme@pg.internal:5432/tenant_acme'",
    });
  });

  it('carry a revealed password percent-encoded, and quote it for the shell', () => {
    const { uri, psql } = connectionStrings(db, "p@ss/w'rd:");
    expect(uri).toBe("postgresql://tenant_acme:p%40ss%2Fw'rd%3A@pg.internal:5432/tenant_acme");
    expect(psql).toBe("psql 'postgresql://tenant_acme:p%40ss%2Fw'\\''rd%3A@pg.internal:5432/tenant_acme'");
  });

  it('bracket an IPv6 host', () => {
    expect(connectionStrings({ ...db, host: '::1' }, null).uri).toBe(
      'postgresql://tenant_acme@[::1]:5432/tenant_acme',
    );
  });
});
