import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { GraphiQLOptions } from 'graphql-yoga';
import { escapeHtml } from './pages.ts';
import { cspNonce } from './security-headers.ts';

/** Where GraphiQL's scripts, stylesheet and editor workers are served: `/graphiql/<version>/<file>`. */
const ASSETS_PATH = '/graphiql/';
const ASSET = /^\/graphiql\/([0-9a-f]+)\/([a-z.]+)$/;

type Asset = { type: string; body: Buffer };
type Bundle = { version: string; assets: Map<string, Asset> };

const JS = 'text/javascript; charset=utf-8';
const WORKERS = {
  editorWorkerService: 'editor.worker.js',
  json: 'json.worker.js',
  graphql: 'graphql.worker.js',
};

/**
 * Runs before GraphiQL's bundle. Monaco and GraphiQL create their `<style>` elements with
 * document.createElement and no nonce, and the page's policy admits only `<style>` elements that
 * carry this page's nonce: every `<style>` the page's own scripts create gets it. An element
 * injected into the HTML does not, and stays refused.
 */
const START = `(() => {
  const options = JSON.parse(document.getElementById('graphiql-options').textContent);
  const nonce = document.querySelector('meta[property="csp-nonce"]').nonce;
  const createElement = Document.prototype.createElement;
  Document.prototype.createElement = function (name, ...rest) {
    const element = createElement.call(this, name, ...rest);
    if (String(name).toLowerCase() === 'style') element.nonce = nonce;
    return element;
  };
  self.MonacoEnvironment = { globalAPI: false, getWorkerUrl: (_module, label) => options.workers[label] };
  document.addEventListener('DOMContentLoaded', () => {
    YogaGraphiQL.renderYogaGraphiQL(document.getElementById('root'), options.graphiql);
  });
})();
`;

/**
 * Yoga's GraphiQL, served by the control plane under its own policy. Yoga's page loads GraphiQL
 * from unpkg and starts it with inline scripts, and its renderer sees no request, so it cannot put
 * a per-answer nonce into the page: this page takes the same bundle from
 * @graphql-yoga/render-graphiql (same version as yoga, loaded on the first request) and serves
 * its parts as files of ours, with no inline script. Answers `GET /graphql` from browsers (as
 * yoga would) and the files under /graphiql/; null for anything else.
 */
export function createGraphiQL(options: GraphiQLOptions, policy: (nonce: string) => string) {
  let loading: Promise<Bundle> | undefined;
  return async function serveGraphiQL(
    req: IncomingMessage,
    res: ServerResponse,
    path: string,
  ): Promise<string | null> {
    if (path === '/graphql' && req.method === 'GET' && /text\/html/.test(req.headers.accept ?? '')) {
      loading ??= loadBundle();
      const nonce = cspNonce();
      const html = renderPage(options, (await loading).version, nonce);
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': Buffer.byteLength(html),
        'content-security-policy': policy(nonce),
      });
      res.end(html);
      return '/graphql';
    }
    if (!path.startsWith(ASSETS_PATH)) return null;
    loading ??= loadBundle();
    const { version, assets } = await loading;
    const [, folder, name] = ASSET.exec(path) ?? [];
    const asset = folder === version && name !== undefined ? assets.get(name) : undefined;
    if (!asset || (req.method !== 'GET' && req.method !== 'HEAD')) {
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found\n');
      return '/graphiql';
    }
    res.writeHead(200, {
      'content-type': asset.type,
      'content-length': asset.body.length,
      // The version is in the path.
      'cache-control': 'public, max-age=31536000, immutable',
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return '/graphiql';
  };
}

async function loadBundle(): Promise<Bundle> {
  const bundle = await import('@graphql-yoga/render-graphiql/graphiql');
  const assets = new Map<string, Asset>([
    ['graphiql.js', { type: JS, body: Buffer.from(bundle.js) }],
    ['graphiql.css', { type: 'text/css; charset=utf-8', body: Buffer.from(bundle.css) }],
    [WORKERS.editorWorkerService, { type: JS, body: Buffer.from(bundle.editorWorkerService) }],
    [WORKERS.json, { type: JS, body: Buffer.from(bundle.jsonWorker) }],
    [WORKERS.graphql, { type: JS, body: Buffer.from(bundle.graphqlWorker) }],
    ['start.js', { type: JS, body: Buffer.from(START) }],
  ]);
  const hash = createHash('sha256');
  for (const asset of assets.values()) hash.update(asset.body);
  return { version: hash.digest('hex').slice(0, 16), assets };
}

function renderPage(options: GraphiQLOptions, version: string, nonce: string): string {
  const base = `${ASSETS_PATH}${version}/`;
  const workers = Object.fromEntries(Object.entries(WORKERS).map(([label, file]) => [label, base + file]));
  // A data block, never run; `<` escaped so no value can close the element.
  const data = JSON.stringify({ graphiql: options, workers }).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeHtml(options.title ?? 'GraphiQL')}</title>
<meta property="csp-nonce" nonce="${nonce}">
<link rel="icon" href="/ui/favicon.svg">
<link rel="stylesheet" href="${base}graphiql.css">
<script type="application/json" id="graphiql-options">${data}</script>
<script src="${base}start.js"></script>
<script defer src="${base}graphiql.js"></script>
</head>
<body>
<div id="root"></div>
<noscript>GraphiQL needs JavaScript; the API itself answers POST /graphql.</noscript>
</body>
</html>`;
}
