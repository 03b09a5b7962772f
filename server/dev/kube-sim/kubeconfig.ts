import { mkdir, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';

export interface KubeconfigOptions {
  /** The simulator's base URL, e.g. `http://127.0.0.1:6443`. */
  server: string;
  namespace?: string;
  token?: string;
  name?: string;
}

/**
 * Renders a kubeconfig for the simulator: one plain-HTTP cluster (marked insecure, which
 * @kubernetes/client-node requires for http), a user with a dummy bearer token
 * (the simulator accepts any), and a current context defaulting to the `justiam-mt` namespace.
 */
export function renderKubeconfig(options: KubeconfigOptions): string {
  const name = options.name ?? 'kube-sim';
  const q = (s: string) => JSON.stringify(s);
  return [
    'apiVersion: v1',
    'kind: Config',
    'clusters:',
    `- name: ${q(name)}`,
    '  cluster:',
    `    server: ${q(options.server)}`,
    // @kubernetes/client-node refuses plain http unless this is set; kubectl ignores it for http.
    '    insecure-skip-tls-verify: true',
    'users:',
    `- name: ${q(name)}`,
    '  user:',
    `    token: ${q(options.token ?? 'kube-sim-dev-token')}`,
    'contexts:',
    `- name: ${q(name)}`,
    '  context:',
    `    cluster: ${q(name)}`,
    `    user: ${q(name)}`,
    `    namespace: ${q(options.namespace ?? 'justiam-mt')}`,
    `current-context: ${q(name)}`,
    'preferences: {}',
    '',
  ].join('\n');
}

/** Writes the kubeconfig (mode 0600, parent directories created). */
export async function writeKubeconfigFile(path: string, options: KubeconfigOptions): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, renderKubeconfig(options), { mode: 0o600 });
}
