/**
 * Why a PostgreSQL database cannot serve a request: missing, refusing our credentials (a wrong
 * password, or a role that no longer exists), unreachable, restarting or full. Undefined for
 * anything else (a bug, not an outage). The words never name the database, the role or the server.
 * Used for the control plane's own database (answered 503) and by the tenant simulator.
 */
export function databaseUnavailability(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string') {
    if (code === '3D000' || code === '57P04') return 'the database does not exist';
    // 28P01: wrong password (also a missing role under password authentication); 28000: a missing
    // role or no pg_hba entry under trust or peer authentication.
    if (code === '28P01' || code === '28000') return 'the database refused its credentials';
    if (/^57P0/.test(code)) return 'the database is shutting down or restarting';
    if (code === '53300') return 'the database has too many connections';
    if (/^08/.test(code)) return 'the database is unreachable';
    if (
      ['ECONNREFUSED', 'ECONNRESET', 'ENOTFOUND', 'ETIMEDOUT', 'EAI_AGAIN', 'EHOSTUNREACH'].includes(code)
    ) {
      return 'the database is unreachable';
    }
  }
  if (
    error instanceof Error &&
    /timeout exceeded when trying to connect|Connection terminated/i.test(error.message)
  ) {
    return 'the database is unreachable';
  }
  return undefined;
}
