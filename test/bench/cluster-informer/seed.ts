import { performance } from 'node:perf_hooks';
import { APP_NAMES, managedLabels } from '../../../server/cluster/labels.ts';
import { prepareCreate, randomSuffix, safeHash } from '../../../server/dev/kube-sim/objects.ts';
import { advancePod } from '../../../server/dev/kube-sim/pods.ts';
import { resourceByKind } from '../../../server/dev/kube-sim/resources.ts';
import type { ObjectStore } from '../../../server/dev/kube-sim/store.ts';

export const POD = resourceByKind('Pod');

export type Seeded = { names: string[]; ms: number; bytesPerPod: number };

/**
 * Stores pods straight into the simulator's store (no HTTP), shaped like the pods of the control
 * plane's Deployments (managed-by, app name, tenant, instance and pod-template-hash labels) and
 * already Running and Ready, so the simulated kubelet has nothing left to do and the cluster stays
 * quiet while it is measured. Apps and tenants are dealt out round-robin.
 */
export function seedPods(
  store: ObjectStore,
  options: { namespace: string; count: number; tenants: number },
): Seeded {
  const started = performance.now();
  const names: string[] = [];
  let bytes = 0;
  for (let i = 0; i < options.count; i++) {
    const app = APP_NAMES[i % APP_NAMES.length]!;
    const short = app.replace(/^justiam-/, '');
    const tenant = `tenant-${String(i % options.tenants).padStart(4, '0')}`;
    const instance = `${short}-${tenant}`;
    const hash = safeHash(instance);
    const body = {
      metadata: {
        name: `${instance}-${hash}-${randomSuffix()}`,
        labels: {
          ...managedLabels({ app, tenant }),
          'app.kubernetes.io/instance': instance,
          'pod-template-hash': hash,
        },
      },
      spec: {
        containers: [
          {
            name: short,
            image: `justiam/${short}:2.4.1`,
            env: [{ name: 'TENANT', value: tenant }],
            envFrom: [{ secretRef: { name: `tenant-${tenant}` } }],
            ports: [{ containerPort: 8090, name: 'http', protocol: 'TCP' }],
          },
        ],
      },
    };
    const pod = advancePod(advancePod(prepareCreate(POD, body, options.namespace), 'start'), 'ready');
    const stored = store.create(POD, pod);
    names.push(stored.metadata.name!);
    bytes += JSON.stringify(stored).length;
  }
  return { names, ms: performance.now() - started, bytesPerPod: bytes / options.count };
}

/**
 * Flips a stored pod's readiness as a failing (or recovering) readiness probe would: its Ready and
 * ContainersReady conditions and its containers' `ready`. Returns the pod as stored.
 */
export function setPodReady(store: ObjectStore, namespace: string, name: string, ready: boolean) {
  const pod = store.get(POD, namespace, name);
  if (!pod) throw new Error(`no pod ${name}`);
  const next = structuredClone(pod);
  const status = (next.status ?? {}) as {
    conditions?: { type: string; status: string; lastTransitionTime?: string }[];
    containerStatuses?: { ready?: boolean }[];
  };
  const at = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  for (const c of status.conditions ?? []) {
    if (c.type === 'Ready' || c.type === 'ContainersReady') {
      c.status = ready ? 'True' : 'False';
      c.lastTransitionTime = at;
    }
  }
  for (const c of status.containerStatuses ?? []) c.ready = ready;
  next.status = status;
  return store.update(POD, next);
}
