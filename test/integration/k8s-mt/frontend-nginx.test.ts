import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadManifests, manifest } from '../../support/k8s-mt.ts';
import { eventually } from '../../support/kube.ts';
import { freePort } from '../../support/ports.ts';

const NGINX = '/usr/sbin/nginx';

/**
 * The CP Frontend's nginx configuration (ConfigMap cp-frontend-nginx) run by Debian's nginx, with
 * the paths of the image moved into a temporary folder and a UI bundle shaped like Vite's: the
 * redirect to /ui/, client-side routes falling back to index.html, a fresh CSP nonce per copy of
 * index.html in its attributes and its policy, cached assets, the protective headers, and nothing
 * of the API.
 */
describe.skipIf(!existsSync(NGINX))('the CP Frontend’s nginx', () => {
  let dir: string;
  let nginx: ChildProcess;
  let base: string;
  let output = '';

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cp-nginx-'));
    await chmod(dir, 0o755);
    const html = join(dir, 'html');
    await mkdir(join(html, 'ui', 'assets'), { recursive: true });
    await writeFile(
      join(html, 'ui', 'index.html'),
      '<!doctype html><html><head><meta property="csp-nonce" nonce="CSP_NONCE" />' +
        '<script type="module" crossorigin src="/ui/assets/index-abc.js" nonce="CSP_NONCE"></script></head>' +
        '<body><div id="root"></div></body></html>\n',
    );
    await writeFile(join(html, 'ui', 'assets', 'index-abc.js'), 'console.log("ui");\n');
    const data = manifest(loadManifests(), 'ConfigMap', 'cp-frontend-nginx').data as Record<string, string>;
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The image's writable /tmp (an emptyDir), here a folder of nginx's user.
    const run = join(dir, 'tmp');
    await mkdir(run);
    if (process.getuid?.() === 0) await chown(run, 101, 101);
    const conf = data['nginx.conf']!.replaceAll('/tmp/', `${run}/`)
      .replaceAll('include /etc/nginx/security-headers.conf', `include ${dir}/security-headers.conf`)
      // Node's pipes are sockets, which nginx cannot open by /dev/std*: logs go to files here.
      .replace('error_log /dev/stderr', `error_log ${run}/error.log`)
      .replace('access_log /dev/stdout', `access_log ${run}/access.log`)
      .replace('root /usr/share/nginx/html', `root ${html}`)
      .replace('listen 8080', `listen 127.0.0.1:${port}`);
    await writeFile(join(dir, 'nginx.conf'), conf);
    await writeFile(join(dir, 'security-headers.conf'), data['security-headers.conf']!);
    // As the image runs it: nginx's unprivileged user (uid 101), in the foreground.
    nginx = spawn(NGINX, ['-c', join(dir, 'nginx.conf'), '-e', 'stderr', '-g', 'daemon off;'], {
      stdio: ['ignore', 'pipe', 'pipe'],
      ...(process.getuid?.() === 0 ? { uid: 101, gid: 101 } : {}),
    });
    nginx.stdout!.on('data', (d) => {
      output += d;
    });
    nginx.stderr!.on('data', (d) => {
      output += d;
    });
    await eventually(
      async () => {
        if (nginx.exitCode !== null) throw new Error(`nginx exited: ${output}`);
        return (await fetch(`${base}/healthz`).catch(() => undefined))?.status === 200;
      },
      10_000,
      'nginx answering',
    );
  });

  afterAll(async () => {
    nginx?.kill('SIGKILL');
    await rm(dir, { recursive: true, force: true });
  });

  it('redirects / to /ui/ and serves client-side routes with index.html', async () => {
    const root = await fetch(`${base}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toMatch(/\/ui\/$/);
    for (const path of ['/ui/', '/ui/tenants', '/ui/tenants/acme/workers']) {
      const res = await fetch(`${base}${path}`);
      expect(res.status, path).toBe(200);
      expect(await res.text(), path).toContain('<div id="root">');
    }
  });

  it('gives each copy of index.html a fresh nonce, the same in its attributes and in its policy', async () => {
    const copies = await Promise.all(
      [1, 2].map(async () => {
        const res = await fetch(`${base}/ui/tenants`);
        const body = await res.text();
        const policy = res.headers.get('content-security-policy') ?? '';
        const nonces = [...body.matchAll(/nonce="([^"]*)"/g)].map((m) => m[1]);
        return { body, policy, nonces, cache: res.headers.get('cache-control') };
      }),
    );
    for (const copy of copies) {
      expect(copy.body).not.toContain('CSP_NONCE');
      expect(copy.nonces).toHaveLength(2);
      expect(copy.nonces[0]).toMatch(/^[0-9a-f]{32}$/);
      expect(copy.nonces[1]).toBe(copy.nonces[0]);
      expect(copy.policy).toContain(`style-src 'self' 'nonce-${copy.nonces[0]}'`);
      expect(copy.policy).toContain("script-src 'self'");
      expect(copy.policy).toContain("frame-ancestors 'none'");
      expect(copy.cache).toBe('no-cache');
    }
    expect(copies[0]!.nonces[0]).not.toBe(copies[1]!.nonces[0]);
  });

  it('caches hashed assets for a year, sends the protective headers everywhere, serves no API path', async () => {
    const asset = await fetch(`${base}/ui/assets/index-abc.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    for (const res of [asset, await fetch(`${base}/ui/`)]) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('server')).toBe('nginx');
    }
    for (const path of ['/graphql', '/tenants', '/auth/login', '/metrics']) {
      expect((await fetch(`${base}${path}`, { redirect: 'manual' })).status, path).toBe(404);
    }
  });
});
