import { z } from 'zod';
import { APP_NAME, type AppName } from '../../cluster/labels.ts';
import type { Executor } from '../../db/database.ts';
import type { WorkerComponent } from '../../db/schema.ts';

/** The worker components an upgrade can move, and the `app.kubernetes.io/name` of their workloads. */
export const WORKER_COMPONENTS = ['login-worker', 'agent'] as const satisfies readonly WorkerComponent[];

export const APP_OF: Record<WorkerComponent, AppName> = {
  'login-worker': 'justiam-login-worker',
  agent: 'justiam-agent',
};

/** Selects a worker component's Deployments and pods. */
export const selectorOf = (component: WorkerComponent) => `${APP_NAME}=${APP_OF[component]}`;

/** An image tag as registries accept it: word characters, `.` and `-`, at most 128, not led by `.` or `-`. */
export const imageTagSchema = z
  .string({ message: 'is required and must be a string' })
  .min(1, 'is required')
  .max(128, 'must be at most 128 characters')
  .regex(
    /^[A-Za-z0-9_][A-Za-z0-9_.-]*$/,
    'must be an image tag such as 1.4.2: letters, digits, _, . and -, not starting with . or -',
  );

/** The tag of an image reference (`ghcr.io/a/b:1.4` → `1.4`), or null when it has none. */
export function tagOf(image: string | null | undefined): string | null {
  if (!image) return null;
  const name = image.split('@')[0]!;
  const at = name.lastIndexOf(':');
  return at > name.lastIndexOf('/') ? name.slice(at + 1) || null : null;
}

/** The same repository at another tag; a digest pin is dropped, as it names another version. */
export function withTag(image: string, tag: string): string {
  const name = image.split('@')[0]!;
  const at = name.lastIndexOf(':');
  const repository = at > name.lastIndexOf('/') ? name.slice(0, at) : name;
  return `${repository}:${tag}`;
}

/** The version each worker component was last asked to run (components never upgraded are absent). */
export async function requestedVersions(db: Executor): Promise<Map<WorkerComponent, string>> {
  const rows = await db.selectFrom('worker_versions').select(['component', 'version']).execute();
  return new Map(rows.map((r) => [r.component, r.version]));
}

/**
 * The image new workloads of a component start with: the configured image at the version last
 * requested by an upgrade, so a worker made after an upgrade (a tenant switching to a dedicated
 * login worker) does not come up on the old version, and re-applying a spec never undoes one.
 */
export async function workerImage(
  db: Executor,
  component: WorkerComponent,
  configured: string,
): Promise<string> {
  const row = await db
    .selectFrom('worker_versions')
    .select('version')
    .where('component', '=', component)
    .executeTakeFirst();
  return row ? withTag(configured, row.version) : configured;
}
