import type { KubeObject } from './objects.ts';
import { isPodReady, podPhase } from './pods.ts';
import type { ResourceType } from './resources.ts';

// kubectl asks for `application/json;as=Table;g=meta.k8s.io;v=v1` to print `kubectl get` with the
// server's columns; without it, it prints only NAME and AGE. These are the columns of a real
// server for our kinds (priority 1 columns show with -o wide).

type Cell = string | number;
interface Column {
  name: string;
  type: 'string' | 'integer' | 'date';
  priority?: number;
  cell: (o: KubeObject) => Cell;
}

/** Whether the Accept header asks for a meta.k8s.io Table. */
export function wantsTable(accept: string | undefined): boolean {
  return !!accept && /as=Table/.test(accept) && /g=meta\.k8s\.io/.test(accept);
}

/** A human duration like kubectl's AGE column: 45s, 3m12s, 5h, 2d3h, 40d. */
export function humanAge(from: string | undefined, now = Date.now()): string {
  if (!from) return '<unknown>';
  const s = Math.max(0, Math.floor((now - Date.parse(from)) / 1000));
  const m = Math.floor(s / 60);
  const h = Math.floor(m / 60);
  const d = Math.floor(h / 24);
  if (s < 120) return `${s}s`;
  if (m < 10) return s % 60 ? `${m}m${s % 60}s` : `${m}m`;
  if (h < 3) return `${m}m`;
  if (h < 8) return m % 60 ? `${h}h${m % 60}m` : `${h}h`;
  if (h < 48) return `${h}h`;
  if (d < 8) return h % 24 ? `${d}d${h % 24}h` : `${d}d`;
  return `${d}d`;
}

const get = (o: unknown, path: string): unknown =>
  path
    .split('.')
    .reduce<unknown>(
      (cur, k) => (cur && typeof cur === 'object' ? (cur as Record<string, unknown>)[k] : undefined),
      o,
    );
const num = (o: unknown, path: string) => Number(get(o, path) ?? 0);
const count = (o: unknown, path: string) => Object.keys((get(o, path) ?? {}) as object).length;
const containers = (o: KubeObject, path: string) =>
  (get(o, path) ?? []) as { name?: string; image?: string }[];

const NAME: Column = { name: 'Name', type: 'string', cell: (o) => o.metadata.name ?? '' };
const AGE: Column = { name: 'Age', type: 'string', cell: (o) => humanAge(o.metadata.creationTimestamp) };

const COLUMNS: Record<string, Column[]> = {
  Pod: [
    NAME,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => {
        const statuses = (get(o, 'status.containerStatuses') ?? []) as { ready?: boolean }[];
        return `${statuses.filter((c) => c.ready).length}/${containers(o, 'spec.containers').length}`;
      },
    },
    {
      name: 'Status',
      type: 'string',
      cell: (o) =>
        podPhase(o) === 'Succeeded'
          ? 'Completed'
          : podPhase(o) === 'Running' && !isPodReady(o)
            ? 'Running'
            : podPhase(o),
    },
    { name: 'Restarts', type: 'string', cell: () => '0' },
    AGE,
    { name: 'IP', type: 'string', priority: 1, cell: (o) => String(get(o, 'status.podIP') ?? '<none>') },
    { name: 'Node', type: 'string', priority: 1, cell: (o) => String(get(o, 'spec.nodeName') ?? '<none>') },
  ],
  Deployment: [
    NAME,
    {
      name: 'Ready',
      type: 'string',
      cell: (o) => `${num(o, 'status.readyReplicas')}/${num(o, 'spec.replicas')}`,
    },
    { name: 'Up-to-date', type: 'integer', cell: (o) => num(o, 'status.updatedReplicas') },
    { name: 'Available', type: 'integer', cell: (o) => num(o, 'status.availableReplicas') },
    AGE,
    {
      name: 'Containers',
      type: 'string',
      priority: 1,
      cell: (o) =>
        containers(o, 'spec.template.spec.containers')
          .map((c) => c.name)
          .join(','),
    },
    {
      name: 'Images',
      type: 'string',
      priority: 1,
      cell: (o) =>
        containers(o, 'spec.template.spec.containers')
          .map((c) => c.image)
          .join(','),
    },
  ],
  Job: [
    NAME,
    {
      name: 'Status',
      type: 'string',
      cell: (o) =>
        ((get(o, 'status.conditions') ?? []) as { type: string; status: string }[]).some(
          (c) => c.type === 'Complete' && c.status === 'True',
        )
          ? 'Complete'
          : 'Running',
    },
    {
      name: 'Completions',
      type: 'string',
      cell: (o) => `${num(o, 'status.succeeded')}/${num(o, 'spec.completions')}`,
    },
    AGE,
  ],
  Service: [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => String(get(o, 'spec.type') ?? '') },
    { name: 'Cluster-IP', type: 'string', cell: (o) => String(get(o, 'spec.clusterIP') ?? '<none>') },
    { name: 'External-IP', type: 'string', cell: () => '<none>' },
    {
      name: 'Port(s)',
      type: 'string',
      cell: (o) =>
        ((get(o, 'spec.ports') ?? []) as { port: number; protocol?: string }[])
          .map((p) => `${p.port}/${p.protocol ?? 'TCP'}`)
          .join(',') || '<none>',
    },
    AGE,
  ],
  Secret: [
    NAME,
    { name: 'Type', type: 'string', cell: (o) => String(o.type ?? '') },
    { name: 'Data', type: 'integer', cell: (o) => count(o, 'data') },
    AGE,
  ],
  ConfigMap: [
    NAME,
    { name: 'Data', type: 'integer', cell: (o) => count(o, 'data') + count(o, 'binaryData') },
    AGE,
  ],
  Namespace: [
    NAME,
    { name: 'Status', type: 'string', cell: (o) => String(get(o, 'status.phase') ?? '') },
    AGE,
  ],
  Lease: [
    NAME,
    { name: 'Holder', type: 'string', cell: (o) => String(get(o, 'spec.holderIdentity') ?? '') },
    AGE,
  ],
};

function rowObject(rt: ResourceType, o: KubeObject, includeObject: string | null): unknown {
  if (includeObject === 'None') return undefined;
  if (includeObject === 'Object') return { ...o, apiVersion: rt.apiVersion, kind: rt.kind };
  return { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: o.metadata };
}

/**
 * Renders objects as a meta.k8s.io/v1 Table.
 * @param withColumns false for watch events after the first, as the server sends columns once.
 */
export function toTable(
  rt: ResourceType,
  objects: KubeObject[],
  resourceVersion: string,
  includeObject: string | null,
  withColumns = true,
) {
  const columns = COLUMNS[rt.kind] ?? [NAME, AGE];
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: { resourceVersion },
    columnDefinitions: withColumns
      ? columns.map((c) => ({
          name: c.name,
          type: c.type,
          format: c === NAME ? 'name' : '',
          description: '',
          priority: c.priority ?? 0,
        }))
      : [],
    rows: objects.map((o) => ({
      cells: columns.map((c) => c.cell(o)),
      object: rowObject(rt, o, includeObject),
    })),
  };
}
