import type { IncomingMessage, ServerResponse } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

/** Writes a JSON response. */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
    ...headers,
  });
  res.end(text);
}

export type BodyResult =
  | { ok: true; value: unknown }
  | { ok: false; status: number; code: string; message: string };

/**
 * Reads a JSON request body, refusing bodies over 1 MiB, malformed JSON, and a body that is not
 * sent as JSON. An empty body (no content-type needed) is `whenEmpty` when given, else refused.
 */
export async function readJsonBody(req: IncomingMessage, whenEmpty?: unknown): Promise<BodyResult> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) {
      return {
        ok: false,
        status: 413,
        code: 'PAYLOAD_TOO_LARGE',
        message: `the body is over ${MAX_BODY_BYTES} bytes`,
      };
    }
    chunks.push(chunk as Buffer);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') {
    if (whenEmpty !== undefined) return { ok: true, value: whenEmpty };
    return {
      ok: false,
      status: 400,
      code: 'BAD_REQUEST',
      message: 'the request body is empty; send a JSON object',
    };
  }
  if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
    return {
      ok: false,
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'send the body as application/json',
    };
  }
  try {
    const value: unknown = JSON.parse(text);
    // JSON.stringify writes a NUL as \u0000 wherever it hides (a key, a nested string).
    if (JSON.stringify(value).includes('\\u0000')) {
      return { ok: false, status: 400, code: 'BAD_REQUEST', message: 'the body holds a NUL character' };
    }
    return { ok: true, value };
  } catch (error) {
    return {
      ok: false,
      status: 400,
      code: 'BAD_REQUEST',
      message: `the request body is not valid JSON: ${(error as Error).message}`,
    };
  }
}
