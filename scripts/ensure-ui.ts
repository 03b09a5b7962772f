// Run by `npm start`: builds the UI when client/dist is missing or older than its sources, and
// does nothing when the bundle is current, so a second start costs no build.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const client = join(root, 'client');
const built = join(client, 'dist', 'index.html');
const sources = [join(client, 'src'), join(client, 'index.html'), join(client, 'vite.config.ts')];

async function newestMtime(path: string): Promise<number> {
  const info = await stat(path).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(path);
  const times = await Promise.all(entries.map((e) => newestMtime(join(path, e))));
  return Math.max(info.mtimeMs, ...times);
}

if (!existsSync(join(client, 'index.html'))) process.exit(0);
const builtAt = (await stat(built).catch(() => null))?.mtimeMs ?? 0;
const sourceAt = Math.max(...(await Promise.all(sources.map(newestMtime))));
if (builtAt >= sourceAt) {
  process.stdout.write('UI bundle is current (client/dist)\n');
  process.exit(0);
}
if (!existsSync(join(root, 'node_modules', 'vite'))) {
  process.stderr.write(
    'UI bundle is missing or stale and vite is not installed (npm install without --omit=dev builds it)\n',
  );
  process.exit(builtAt ? 0 : 1);
}
process.stdout.write(
  builtAt
    ? 'UI sources changed: rebuilding client/dist\n'
    : 'building the UI into client/dist (first start)\n',
);
const result = spawnSync(
  join(root, 'node_modules', '.bin', 'vite'),
  ['build', '--config', 'client/vite.config.ts', '--logLevel', 'warn'],
  {
    cwd: root,
    stdio: 'inherit',
  },
);
process.exit(result.status ?? 1);
