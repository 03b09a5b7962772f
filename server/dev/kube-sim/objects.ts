import { createHash, randomInt, randomUUID } from 'node:crypto';
import { cloneObject, stableStringify } from './json.ts';
import type { ResourceType } from './resources.ts';
import { badRequest, conflict, invalid } from './status.ts';
import { checkDecodable, validateObject, validateUpdate } from './validation.ts';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  ownerReferences?: OwnerReference[];
  [key: string]: unknown;
}

/** Any stored object; kind-specific fields stay untyped, as they are in a real API server's storage. */
export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

// The alphabet Kubernetes uses for generated names: no vowels, so no accidental words.
const NAME_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

/** A random suffix as the API server appends to `generateName`. */
export function randomSuffix(length = 5): string {
  let s = '';
  for (let i = 0; i < length; i++) s += NAME_ALPHABET[randomInt(NAME_ALPHABET.length)];
  return s;
}

/** A stable short hash in the same alphabet, e.g. for `pod-template-hash`. */
export function safeHash(value: unknown, length = 10): string {
  const digest = createHash('sha256').update(stableStringify(value)).digest();
  let s = '';
  for (let i = 0; i < length; i++) s += NAME_ALPHABET[digest[i]! % NAME_ALPHABET.length];
  return s;
}

/** RFC 3339 with whole seconds, as `metav1.Time` serialises. */
export function nowTime(): string {
  return new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function asObject(body: unknown): KubeObject {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badRequest('the body of the request must be a JSON object');
  }
  const obj = cloneObject(body) as KubeObject;
  if (obj.metadata === undefined || obj.metadata === null) obj.metadata = {};
  if (typeof obj.metadata !== 'object') throw badRequest('metadata must be an object');
  return obj;
}

// The server fills kind/apiVersion from the URL when absent, and refuses a different kind.
function checkKind(rt: ResourceType, obj: KubeObject): void {
  if ((obj.kind && obj.kind !== rt.kind) || (obj.apiVersion && obj.apiVersion !== rt.apiVersion)) {
    throw badRequest(
      `the API version in the data (${obj.apiVersion ?? ''}) does not match the expected API version (${rt.apiVersion})`,
    );
  }
  obj.apiVersion = rt.apiVersion;
  obj.kind = rt.kind;
}

function checkNamespace(rt: ResourceType, obj: KubeObject, namespace: string | undefined): void {
  if (!rt.namespaced) {
    delete obj.metadata.namespace;
    return;
  }
  if (obj.metadata.namespace && obj.metadata.namespace !== namespace) {
    throw badRequest('the namespace of the provided object does not match the namespace sent on the request');
  }
  obj.metadata.namespace = namespace;
}

function foldStringData(obj: KubeObject): void {
  const stringData = obj.stringData as Record<string, string> | undefined;
  if (stringData && typeof stringData === 'object') {
    const data = { ...((obj.data as Record<string, string> | undefined) ?? {}) };
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(String(v)).toString('base64');
    obj.data = data;
  }
  delete obj.stringData;
}

function specOf(obj: KubeObject): Record<string, unknown> {
  if (!obj.spec || typeof obj.spec !== 'object') obj.spec = {};
  return obj.spec as Record<string, unknown>;
}

function defaultPodSpec(spec: Record<string, unknown>): void {
  spec.restartPolicy ??= 'Always';
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.schedulerName ??= 'default-scheduler';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  for (const c of (spec.containers as Record<string, unknown>[] | undefined) ?? []) {
    const image = String(c.image ?? '');
    const tagged = /:[^/]+$/.test(image) && !image.endsWith(':latest');
    c.imagePullPolicy ??= tagged || image.includes('@') ? 'IfNotPresent' : 'Always';
    c.terminationMessagePath ??= '/dev/termination-log';
    c.terminationMessagePolicy ??= 'File';
    c.resources ??= {};
  }
}

function defaultTemplate(spec: Record<string, unknown>): Record<string, unknown> {
  spec.template ??= {};
  const template = spec.template as Record<string, unknown>;
  template.metadata ??= {};
  const meta = template.metadata as Record<string, unknown>;
  meta.creationTimestamp ??= null;
  template.spec ??= {};
  defaultPodSpec(template.spec as Record<string, unknown>);
  return meta;
}

// Mirrors the defaulting functions of the API server for the fields clients commonly read back.
function applyDefaults(rt: ResourceType, obj: KubeObject): void {
  switch (rt.kind) {
    case 'Secret':
      obj.type ??= 'Opaque';
      break;
    case 'Namespace':
      obj.metadata.labels = {
        ...obj.metadata.labels,
        'kubernetes.io/metadata.name': obj.metadata.name ?? '',
      };
      specOf(obj).finalizers ??= ['kubernetes'];
      break;
    case 'Pod':
      defaultPodSpec(specOf(obj));
      break;
    case 'Service': {
      const spec = specOf(obj);
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      for (const p of (spec.ports as Record<string, unknown>[] | undefined) ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      break;
    }
    case 'Deployment': {
      const spec = specOf(obj);
      spec.replicas ??= 1;
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      spec.strategy ??= { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } };
      defaultTemplate(spec);
      break;
    }
    case 'Job': {
      const spec = specOf(obj);
      spec.parallelism ??= 1;
      spec.completions ??= 1;
      spec.backoffLimit ??= 6;
      spec.completionMode ??= 'NonIndexed';
      spec.suspend ??= false;
      defaultTemplate(spec);
      break;
    }
  }
}

// Job selectors are generated from the Job's uid unless the client opts into manualSelector.
function generateJobSelector(obj: KubeObject): void {
  const spec = specOf(obj);
  if (spec.manualSelector === true) return;
  const uid = obj.metadata.uid!;
  const name = obj.metadata.name!;
  spec.selector = { matchLabels: { 'batch.kubernetes.io/controller-uid': uid } };
  const meta = defaultTemplate(spec);
  meta.labels = {
    ...(meta.labels as Record<string, string> | undefined),
    'batch.kubernetes.io/controller-uid': uid,
    'batch.kubernetes.io/job-name': name,
    'controller-uid': uid,
    'job-name': name,
  };
}

function clusterIp(uid: string): string {
  const d = createHash('sha256').update(uid).digest();
  return `10.96.${d[0]! % 254}.${(d[1]! % 253) + 1}`;
}

function initialStatus(rt: ResourceType): unknown {
  switch (rt.kind) {
    case 'Pod':
      return { phase: 'Pending', qosClass: 'BestEffort' };
    case 'Namespace':
      return { phase: 'Active' };
    case 'Service':
      return { loadBalancer: {} };
    default:
      return {};
  }
}

function validate(rt: ResourceType, obj: KubeObject): void {
  checkDecodable(rt, obj);
  const causes = validateObject(rt, obj);
  if (causes.length) throw invalid(rt, obj.metadata.name ?? obj.metadata.generateName ?? '', causes);
}

/**
 * Turns a create request body into the object to store: kind and namespace checked, name generated,
 * defaults and server-owned metadata set, Secret `stringData` folded into `data`, then validated.
 * @throws StatusError (400 or 422) as the API server would.
 */
export function prepareCreate(rt: ResourceType, body: unknown, namespace: string | undefined): KubeObject {
  const obj = asObject(body);
  checkKind(rt, obj);
  checkNamespace(rt, obj, namespace);
  const meta = obj.metadata;
  if (meta.resourceVersion) throw badRequest('resourceVersion should not be set on objects to be created');
  if (!meta.name && meta.generateName) meta.name = `${meta.generateName}${randomSuffix()}`;
  meta.uid = randomUUID();
  meta.creationTimestamp = nowTime();
  delete meta.generation;
  delete meta.deletionTimestamp;
  if (rt.tracksGeneration) meta.generation = 1;
  if (rt.kind === 'Secret') foldStringData(obj);
  if (rt.kind === 'Job' && meta.name) generateJobSelector(obj);
  applyDefaults(rt, obj);
  if (rt.kind === 'Service') {
    const spec = specOf(obj);
    if (spec.type !== 'ExternalName' && spec.clusterIP !== 'None') spec.clusterIP ??= clusterIp(meta.uid);
    if (spec.clusterIP) spec.clusterIPs ??= [spec.clusterIP];
  }
  if (rt.hasStatus) obj.status = initialStatus(rt);
  validate(rt, obj);
  return obj;
}

/**
 * Merges a replace (PUT) body onto the stored object: identity fields kept, `status` only taken
 * through the status subresource (and only `status` there), generation bumped on spec changes.
 * The caller checks the resourceVersion.
 * @throws StatusError (400, 409 or 422) as the API server would.
 */
export function prepareUpdate(
  rt: ResourceType,
  current: KubeObject,
  body: unknown,
  subresource?: 'status',
): KubeObject {
  const incoming = asObject(body);
  checkKind(rt, incoming);
  const name = current.metadata.name!;
  if (incoming.metadata.name !== name) {
    throw badRequest(
      `the name of the object (${incoming.metadata.name ?? ''}) does not match the name on the URL (${name})`,
    );
  }
  checkNamespace(rt, incoming, current.metadata.namespace);
  if (incoming.metadata.uid && incoming.metadata.uid !== current.metadata.uid) {
    throw conflict(
      rt,
      name,
      `Precondition failed: UID in precondition: ${incoming.metadata.uid}, UID in object meta: ${current.metadata.uid}`,
    );
  }
  let next: KubeObject;
  if (subresource === 'status') {
    next = cloneObject(current);
    next.status = incoming.status;
    next.metadata.resourceVersion = incoming.metadata.resourceVersion;
  } else {
    next = incoming;
    if (rt.hasStatus) next.status = cloneObject(current.status);
  }
  const meta = next.metadata;
  meta.uid = current.metadata.uid;
  meta.creationTimestamp = current.metadata.creationTimestamp;
  meta.generation = current.metadata.generation;
  if (!rt.tracksGeneration) delete meta.generation;
  if (rt.kind === 'Secret') foldStringData(next);
  if (rt.kind === 'Job') {
    specOf(next).selector ??= (current.spec as Record<string, unknown> | undefined)?.selector;
  }
  applyDefaults(rt, next);
  if (rt.kind === 'Service') {
    const spec = specOf(next);
    const old = (current.spec ?? {}) as Record<string, unknown>;
    spec.clusterIP ??= old.clusterIP;
    spec.clusterIPs ??= old.clusterIPs;
  }
  validate(rt, next);
  const causes = validateUpdate(rt, current, next);
  if (causes.length) throw invalid(rt, name, causes);
  if (rt.tracksGeneration && stableStringify(next.spec) !== stableStringify(current.spec)) {
    meta.generation = (current.metadata.generation ?? 1) + 1;
  }
  return next;
}
