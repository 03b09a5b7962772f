import { createHash, createHmac, pbkdf2, pbkdf2Sync, randomBytes } from 'node:crypto';
import { promisify } from 'node:util';

export const SCRAM_ITERATIONS = 4096;

const pbkdf2Async = promisify(pbkdf2);

/** The keys derived from a salted password (RFC 5802 / 7677). */
function keysOf(salted: Buffer) {
  const clientKey = createHmac('sha256', salted).update('Client Key').digest();
  return {
    storedKey: createHash('sha256').update(clientKey).digest(),
    serverKey: createHmac('sha256', salted).update('Server Key').digest(),
  };
}

/** The SCRAM-SHA-256 keys of a password (RFC 5802 / 7677): what a server stores instead of it. */
export function scramKeys(password: string, salt: Buffer, iterations = SCRAM_ITERATIONS) {
  return keysOf(pbkdf2Sync(password.normalize('NFKC'), salt, iterations, 32, 'sha256'));
}

function format(salt: Buffer, iterations: number, keys: ReturnType<typeof keysOf>): string {
  return `SCRAM-SHA-256$${iterations}:${salt.toString('base64')}$${keys.storedKey.toString('base64')}:${keys.serverKey.toString('base64')}`;
}

/**
 * A PostgreSQL SCRAM-SHA-256 password verifier (`SCRAM-SHA-256$<iterations>:<salt>$<StoredKey>:<ServerKey>`).
 * `CREATE ROLE … PASSWORD '<verifier>'` stores it as it is, so the clear password never reaches
 * the database server, its logs (a failing statement is logged whole) or pg_stat_statements.
 */
export function scramVerifier(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = SCRAM_ITERATIONS,
): string {
  return format(salt, iterations, scramKeys(password, salt, iterations));
}

/**
 * `scramVerifier` with the key derivation (4096 rounds of PBKDF2, ~1.3 ms of CPU) on libuv's
 * thread pool, so the server goes on answering meanwhile: what request paths use.
 */
export async function scramVerifierAsync(
  password: string,
  salt: Buffer = randomBytes(16),
  iterations = SCRAM_ITERATIONS,
): Promise<string> {
  const salted = await pbkdf2Async(password.normalize('NFKC'), salt, iterations, 32, 'sha256');
  return format(salt, iterations, keysOf(salted));
}
