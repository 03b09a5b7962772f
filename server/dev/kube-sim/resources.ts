/**
 * How a kind's object names are checked: RFC 1123 subdomain, RFC 1123 label, RFC 1035 label, or
 * only what a path segment allows (RBAC objects: `system:controller:x` is a valid Role name).
 */
export type NameRule = 'subdomain' | 'label' | 'label1035' | 'path';

/** One served resource: everything routing, discovery and messages need to know about a kind. */
export interface ResourceType {
  /** '' for the core group. */
  group: string;
  version: string;
  /** `v1` or `group/version`, as written in objects. */
  apiVersion: string;
  kind: string;
  plural: string;
  singular: string;
  namespaced: boolean;
  shortNames: string[];
  nameRule: NameRule;
  /** Whether `metadata.generation` counts spec changes (workload kinds). */
  tracksGeneration: boolean;
  /** Whether `status` is only writable through the `/status` subresource. */
  hasStatus: boolean;
  hasScale: boolean;
  /** Whether DELETE answers with the deleted object rather than a Success Status (as pods do). */
  returnsDeletedObject: boolean;
  /** Field paths accepted in `fieldSelector`, beyond metadata.name and metadata.namespace. */
  fieldSelectors: string[];
}

const VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

function rt(
  group: string,
  version: string,
  kind: string,
  plural: string,
  extra: Partial<ResourceType> = {},
): ResourceType {
  return {
    group,
    version,
    apiVersion: group ? `${group}/${version}` : version,
    kind,
    plural,
    singular: kind.toLowerCase(),
    namespaced: true,
    shortNames: [],
    nameRule: 'subdomain',
    tracksGeneration: false,
    hasStatus: false,
    hasScale: false,
    returnsDeletedObject: false,
    fieldSelectors: [],
    ...extra,
  };
}

/** The kinds the simulator serves. */
export const RESOURCE_TYPES: readonly ResourceType[] = [
  rt('', 'v1', 'Namespace', 'namespaces', {
    namespaced: false,
    shortNames: ['ns'],
    nameRule: 'label',
    hasStatus: true,
    returnsDeletedObject: true,
    fieldSelectors: ['status.phase'],
  }),
  rt('', 'v1', 'Pod', 'pods', {
    shortNames: ['po'],
    hasStatus: true,
    returnsDeletedObject: true,
    fieldSelectors: [
      'spec.nodeName',
      'spec.restartPolicy',
      'spec.schedulerName',
      'status.phase',
      'status.podIP',
    ],
  }),
  rt('', 'v1', 'Service', 'services', {
    shortNames: ['svc'],
    nameRule: 'label1035',
    hasStatus: true,
    returnsDeletedObject: true,
  }),
  rt('', 'v1', 'Secret', 'secrets', { fieldSelectors: ['type'] }),
  rt('', 'v1', 'ConfigMap', 'configmaps', { shortNames: ['cm'] }),
  rt('apps', 'v1', 'Deployment', 'deployments', {
    shortNames: ['deploy'],
    tracksGeneration: true,
    hasStatus: true,
    hasScale: true,
  }),
  rt('batch', 'v1', 'Job', 'jobs', {
    tracksGeneration: true,
    hasStatus: true,
    fieldSelectors: ['status.successful'],
  }),
  rt('coordination.k8s.io', 'v1', 'Lease', 'leases'),
  // Stored as written, without controllers: enough to apply the control plane's own manifests.
  rt('', 'v1', 'PersistentVolumeClaim', 'persistentvolumeclaims', { shortNames: ['pvc'], hasStatus: true }),
  rt('', 'v1', 'ServiceAccount', 'serviceaccounts', { shortNames: ['sa'] }),
  rt('rbac.authorization.k8s.io', 'v1', 'Role', 'roles', { nameRule: 'path' }),
  rt('rbac.authorization.k8s.io', 'v1', 'RoleBinding', 'rolebindings', { nameRule: 'path' }),
  rt('networking.k8s.io', 'v1', 'NetworkPolicy', 'networkpolicies', { shortNames: ['netpol'] }),
  rt('networking.k8s.io', 'v1', 'Ingress', 'ingresses', { shortNames: ['ing'], hasStatus: true }),
  rt('policy', 'v1', 'PodDisruptionBudget', 'poddisruptionbudgets', { shortNames: ['pdb'], hasStatus: true }),
];

/** Finds a resource by group, version and plural as they appear in a request path. */
export function findResource(group: string, version: string, plural: string): ResourceType | undefined {
  return RESOURCE_TYPES.find((r) => r.group === group && r.version === version && r.plural === plural);
}

/** Finds a resource by kind; used by controllers and persistence. */
export function resourceByKind(kind: string): ResourceType {
  const found = RESOURCE_TYPES.find((r) => r.kind === kind);
  if (!found) throw new Error(`kube-sim serves no kind ${kind}`);
  return found;
}

/** A stable key for per-resource maps and the persisted file. */
export function resourceKey(r: ResourceType): string {
  return r.group ? `${r.plural}.${r.group}` : r.plural;
}

function groupVersions(): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const r of RESOURCE_TYPES) {
    if (!r.group) continue;
    const versions = groups.get(r.group) ?? [];
    if (!versions.includes(r.version)) versions.push(r.version);
    groups.set(r.group, versions);
  }
  return groups;
}

function apiGroup(name: string, versions: string[]) {
  const list = versions.map((v) => ({ groupVersion: `${name}/${v}`, version: v }));
  return { name, versions: list, preferredVersion: list[0] };
}

/** `GET /api`: the legacy core group versions. */
export function coreVersions(serverAddress: string) {
  return {
    kind: 'APIVersions',
    versions: ['v1'],
    serverAddressByClientCIDRs: [{ clientCIDR: '0.0.0.0/0', serverAddress }],
  };
}

/** `GET /apis`: every named group. */
export function groupList() {
  const groups = [...groupVersions()].map(([name, versions]) => apiGroup(name, versions));
  return { kind: 'APIGroupList', apiVersion: 'v1', groups };
}

/** `GET /apis/<group>`. */
export function groupDocument(group: string) {
  const versions = groupVersions().get(group);
  return versions ? { kind: 'APIGroup', apiVersion: 'v1', ...apiGroup(group, versions) } : undefined;
}

/** `GET /api/v1` or `/apis/<group>/<version>`: the APIResourceList kubectl discovers kinds from. */
export function resourceList(group: string, version: string) {
  const members = RESOURCE_TYPES.filter((r) => r.group === group && r.version === version);
  if (members.length === 0) return undefined;
  const resources: Record<string, unknown>[] = [];
  for (const r of members) {
    resources.push({
      name: r.plural,
      singularName: r.singular,
      namespaced: r.namespaced,
      kind: r.kind,
      verbs: VERBS,
      ...(r.shortNames.length ? { shortNames: r.shortNames } : {}),
      // `kubectl get all` expands the `all` category from discovery.
      ...(['Pod', 'Service', 'Deployment', 'Job'].includes(r.kind) ? { categories: ['all'] } : {}),
    });
    if (r.hasStatus) {
      resources.push({
        name: `${r.plural}/status`,
        singularName: '',
        namespaced: r.namespaced,
        kind: r.kind,
        verbs: ['get', 'patch', 'update'],
      });
    }
    if (r.hasScale) {
      resources.push({
        name: `${r.plural}/scale`,
        singularName: '',
        namespaced: r.namespaced,
        group: 'autoscaling',
        version: 'v1',
        kind: 'Scale',
        verbs: ['get', 'patch', 'update'],
      });
    }
  }
  return {
    kind: 'APIResourceList',
    apiVersion: 'v1',
    groupVersion: group ? `${group}/${version}` : version,
    resources,
  };
}

/** `GET /version`: kubectl prints it and compares minor versions for skew warnings. */
export function versionInfo() {
  return {
    major: '1',
    minor: '32',
    gitVersion: 'v1.32.0-kube-sim',
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'go1.23.4',
    compiler: 'gc',
    platform: 'linux/amd64',
  };
}
