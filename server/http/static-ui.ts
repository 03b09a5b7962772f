import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { decodeComponent } from './decode.ts';
import { cspNonce } from './security-headers.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

/**
 * Serves the built UI under `/ui/`. Unknown paths fall back to index.html so client-side routes
 * survive a reload; hashed assets are cached for a year, index.html never. Each copy of
 * index.html gets a nonce of its own, in its `nonce` attributes (Vite's `html.cspNonce`, which the
 * UI hands to Mantine) and in the policy `policy(nonce)` sent with it.
 */
export function createStaticUi(distDir: string, policy: (nonce: string) => string) {
  const root = normalize(distDir + sep);
  return async function serveUi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const relative = decodeComponent(pathname.replace(/^\/ui\/?/, ''));
    if (relative === undefined) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path');
      return;
    }
    let file = normalize(join(root, relative));
    if (!file.startsWith(root)) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad path');
      return;
    }
    let info = await stat(file).catch(() => null);
    if (!info?.isFile()) {
      file = join(root, 'index.html');
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      res
        .writeHead(503, { 'content-type': 'text/plain; charset=utf-8' })
        .end('The UI is not built. Run `npm run build` (npm start does this when it is missing).\n');
      return;
    }
    if (extname(file) === '.html') {
      const nonce = cspNonce();
      const html = (await readFile(file, 'utf8')).replace(/\bnonce="[^"]*"/g, `nonce="${nonce}"`);
      res.writeHead(200, {
        'content-type': TYPES['.html'],
        'content-length': Buffer.byteLength(html),
        'cache-control': 'no-cache',
        'content-security-policy': policy(nonce),
      });
      res.end(req.method === 'HEAD' ? undefined : html);
      return;
    }
    const immutable = file.includes(`${sep}assets${sep}`);
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  };
}
