import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

const HEADER = 'x-request-id';
const VALID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The request's id: the caller's `x-request-id` when it is a plain token (so a proxy's id carries
 * through), else a new UUID. Stored back on the request so every later reader sees the same id.
 */
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers[HEADER];
  if (typeof given === 'string' && VALID.test(given)) return given;
  const id = randomUUID();
  req.headers[HEADER] = id;
  return id;
}
