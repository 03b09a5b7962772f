import type { IncomingMessage, ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import type { Services } from '../context.ts';
import { ADMIN_REQUIRED, AUTHENTICATION_REQUIRED, actorOf } from '../domain/auth/principal.ts';
import { recordDownload } from '../domain/backups/backups.ts';
import { findTenantBackup } from '../domain/backups/repository.ts';
import type { AuthService } from './auth.ts';
import { decodeComponent } from './decode.ts';
import { clientOf, RateLimited } from './rate-limit.ts';
import { sendJson } from './respond.ts';

const PATH = /^\/tenants\/([^/]+)\/backups\/([^/]+)\/download\/?$/;
export const BACKUP_DOWNLOAD_ROUTE = '/tenants/:slug/backups/:id/download';

export type ByteRange = { start: number; end: number };

/**
 * The one range of a `Range: bytes=…` header over a file of `size` bytes (RFC 9110 §14.1.2):
 * `undefined` when there is no header or it is not a bytes range (the whole file is sent),
 * `'unsatisfiable'` for a range outside the file, and for several ranges (not served).
 */
export function parseRange(
  header: string | undefined,
  size: number,
): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/.exec(header.trim());
  if (!m) return header.trim().startsWith('bytes=') ? 'unsatisfiable' : undefined;
  const [, first, last] = m as unknown as [string, string, string];
  if (first === '' && last === '') return 'unsatisfiable';
  if (first === '') {
    const suffix = Number(last);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - suffix), end: size - 1 };
  }
  const start = Number(first);
  const end = last === '' ? size - 1 : Math.min(Number(last), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

const error = (res: ServerResponse, status: number, code: string, message: string, headers = {}) =>
  sendJson(res, status, { error: { code, message } }, headers);

/**
 * `GET /tenants/:slug/backups/:id/download`: streams a backup file with its length, a file name,
 * its SHA-256 (`Repr-Digest`, RFC 9530, and the older `Digest`), and single byte ranges (206,
 * `Content-Range`; 416 outside the file). Admin role: a backup holds every row of the tenant.
 * Every download is audited (`tenant.backup.downloaded`, with the range). Another tenant's or an
 * unknown id is 404. Returns the route label, or null when the path is not this route.
 */
export function createBackupDownload(
  deps: Pick<Services, 'db' | 'bus' | 'backups'>,
  auth: Pick<AuthService, 'authenticate'>,
) {
  return async function serveBackupDownload(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<string | null> {
    const m = PATH.exec(url.pathname);
    if (!m) return null;
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      error(res, 405, 'METHOD_NOT_ALLOWED', `${req.method} is not allowed on ${url.pathname}`, {
        allow: 'GET, HEAD',
      });
      return BACKUP_DOWNLOAD_ROUTE;
    }
    let principal: Awaited<ReturnType<typeof auth.authenticate>>;
    try {
      principal = await auth.authenticate(req.headers, clientOf(req));
    } catch (e) {
      if (!(e instanceof RateLimited)) throw e;
      error(res, 429, 'RATE_LIMITED', e.message, { 'retry-after': String(e.retryAfterSeconds) });
      return BACKUP_DOWNLOAD_ROUTE;
    }
    if (!principal) {
      error(res, 401, 'UNAUTHENTICATED', AUTHENTICATION_REQUIRED);
      return BACKUP_DOWNLOAD_ROUTE;
    }
    if (principal.role !== 'admin') {
      error(res, 403, 'FORBIDDEN', ADMIN_REQUIRED);
      return BACKUP_DOWNLOAD_ROUTE;
    }
    const slug = decodeComponent(m[1]!);
    const id = decodeComponent(m[2]!);
    const found = slug && id ? await findTenantBackup(deps.db, slug, id) : undefined;
    const size =
      found?.backup.state === 'succeeded' && found.backup.storage_key
        ? await deps.backups.storage.size(found.backup.storage_key)
        : undefined;
    if (!found || size === undefined) {
      error(res, 404, 'BACKUP_NOT_FOUND', `tenant ${slug} has no downloadable backup ${id}`);
      return BACKUP_DOWNLOAD_ROUTE;
    }
    const { backup, tenant } = found;
    const range = parseRange(req.headers.range, size);
    if (range === 'unsatisfiable') {
      error(res, 416, 'RANGE_NOT_SATISFIABLE', `the file has ${size} bytes; send one range within them`, {
        'content-range': `bytes */${size}`,
      });
      return BACKUP_DOWNLOAD_ROUTE;
    }
    const digest = Buffer.from(backup.sha256!, 'hex').toString('base64');
    const stamp = backup.started_at
      .toISOString()
      .replace(/[-:]/g, '')
      .replace(/\.\d+Z$/, 'Z');
    const headers: Record<string, string> = {
      'content-type': 'application/octet-stream',
      'content-disposition': `attachment; filename="${tenant.slug}-${stamp}.dump"`,
      'accept-ranges': 'bytes',
      'repr-digest': `sha-256=:${digest}:`,
      digest: `sha-256=${digest}`,
      etag: `"${backup.sha256}"`,
      'cache-control': 'no-store',
    };
    if (range) {
      headers['content-range'] = `bytes ${range.start}-${range.end}/${size}`;
      headers['content-length'] = String(range.end - range.start + 1);
    } else headers['content-length'] = String(size);
    if (req.method === 'HEAD') {
      res.writeHead(range ? 206 : 200, headers).end();
      return BACKUP_DOWNLOAD_ROUTE;
    }
    await recordDownload(
      deps,
      { actor: actorOf(principal), requestId: res.getHeader('x-request-id')?.toString() },
      tenant,
      backup,
      range ? `${range.start}-${range.end}` : null,
    );
    res.writeHead(range ? 206 : 200, headers);
    await pipeline(deps.backups.storage.read(backup.storage_key!, range), res).catch((e: unknown) => {
      // The client went away mid-file: nothing to answer any more.
      if ((e as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw e;
    });
    return BACKUP_DOWNLOAD_ROUTE;
  };
}

/** The download's entry in /openapi.json, beside the routes of the REST table. */
export function withBackupDownload<T extends { paths: Record<string, Record<string, unknown>> }>(doc: T): T {
  const error = { description: 'an error body {error: {code, message}}' };
  doc.paths['/tenants/{slug}/backups/{id}/download'] = {
    get: {
      summary: 'Download a backup file (pg_dump custom format), whole or one byte range',
      description:
        'Streams the file with Content-Length, Content-Disposition, Repr-Digest / Digest (sha-256) and ETag; one `Range: bytes=…` gets 206 with Content-Range, a range outside the file 416. Admin role. Audited (tenant.backup.downloaded).',
      tags: ['backups'],
      operationId: 'downloadTenantBackup',
      parameters: [
        { name: 'slug', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'id', in: 'path', required: true, schema: { type: 'string' } },
        { name: 'range', in: 'header', required: false, schema: { type: 'string' } },
      ],
      responses: {
        200: { description: 'The file', content: { 'application/octet-stream': {} } },
        206: { description: 'The range asked for', content: { 'application/octet-stream': {} } },
        401: { description: error.description },
        403: { description: error.description },
        404: { description: `BACKUP_NOT_FOUND: ${error.description}` },
        416: { description: error.description },
      },
    },
  };
  return doc;
}
