import {
  ApiException,
  AppsV1Api,
  type KubeConfig,
  type KubernetesObject,
  KubernetesObjectApi,
  PatchStrategy,
  setHeaderOptions,
  type V1Deployment,
} from '@kubernetes/client-node';
import { REGISTRY_CONFIGMAP } from './labels.ts';
import { registryConfigMap } from './resources.ts';

/** True when `error` is the API server answering with this HTTP status. */
export function isStatus(error: unknown, code: number): boolean {
  return error instanceof ApiException && error.code === code;
}

/** A Kubernetes API failure in words an operator can act on, without request bodies (which may hold secrets). */
export class ClusterError extends Error {
  override name = 'ClusterError';
  constructor(
    readonly operation: string,
    readonly status: number | undefined,
    reason: string,
  ) {
    super(`${operation} failed${status ? ` (HTTP ${status})` : ''}: ${reason}`);
  }
}

function describe(error: unknown): { status: number | undefined; reason: string } {
  if (error instanceof ApiException) {
    const body = error.body as unknown;
    let reason = typeof body === 'string' ? body : '';
    try {
      const parsed =
        typeof body === 'string'
          ? (JSON.parse(body) as { message?: string })
          : (body as { message?: string });
      if (parsed?.message) reason = parsed.message;
    } catch {
      // Not JSON: keep the raw text.
    }
    return { status: error.code, reason: reason.slice(0, 500) || `status ${error.code}` };
  }
  return { status: undefined, reason: error instanceof Error ? error.message : String(error) };
}

const CONFLICT_RETRIES = 5;

export type EnsureResult = 'created' | 'updated' | 'unchanged';

/**
 * The control plane's operations on Kubernetes. Each is idempotent, so a step of a saga can be
 * repeated after a crash without harm. Works the same against a cluster and the simulator.
 */
export class ClusterClient {
  readonly objects: KubernetesObjectApi;
  readonly apps: AppsV1Api;

  constructor(
    readonly kubeConfig: KubeConfig,
    readonly namespace: string,
  ) {
    this.objects = KubernetesObjectApi.makeApiClient(kubeConfig);
    this.apps = kubeConfig.makeApiClient(AppsV1Api);
  }

  /**
   * Creates `desired` unless an object of its name exists; an existing one is left as it is (and
   * whoever made it first wins a race). Returns whether this call created it.
   */
  async createIfMissing<T extends KubernetesObject>(desired: T): Promise<boolean> {
    try {
      await this.objects.create(desired);
      return true;
    } catch (error) {
      if (isStatus(error, 409)) return false;
      const what = `create ${desired.kind} ${desired.metadata?.name}`;
      // A Secret's refusal could quote the values sent: its status only.
      if (desired.kind === 'Secret') throw new ClusterError(what, describe(error).status, 'refused');
      throw wrap(what, error);
    }
  }

  /**
   * Creates `desired`, or brings the existing object to it: labels, annotations and the fields
   * below metadata are replaced; fields the server owns (status, uid, resourceVersion) are kept.
   */
  async ensure<T extends KubernetesObject>(desired: T): Promise<EnsureResult> {
    const what = `ensure ${desired.kind} ${desired.metadata?.name}`;
    // A Secret's refusal could quote the values sent: its status only.
    const fail = (error: unknown) =>
      desired.kind === 'Secret' && !(error instanceof ClusterError)
        ? new ClusterError(what, describe(error).status, 'refused')
        : wrap(what, error);
    try {
      await this.objects.create(desired);
      return 'created';
    } catch (error) {
      if (!isStatus(error, 409)) throw fail(error);
    }
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const current = (await this.objects.read(ref(desired)).catch((e: unknown) => {
        throw fail(e);
      })) as KubernetesObject & Record<string, unknown>;
      const next = {
        ...current,
        ...withoutMeta(desired),
        metadata: mergeMeta(current, desired),
      } as KubernetesObject;
      if (sameDesiredState(current, desired)) return 'unchanged';
      try {
        await this.objects.replace(next);
        return 'updated';
      } catch (error) {
        // Someone changed it since we read it: read again and re-apply.
        if (!isStatus(error, 409)) throw fail(error);
      }
    }
    throw new ClusterError(what, 409, 'the object kept changing while being updated');
  }

  /**
   * Reads an object, lets `change` edit the copy and writes it back if `change` returns true,
   * guarded by the resourceVersion it read (read again and re-applied on a conflict). Answers the
   * object as written (or as read when nothing changed), or `undefined` when it does not exist.
   */
  async modify<T extends KubernetesObject>(
    kind: string,
    apiVersion: string,
    name: string,
    change: (object: T) => boolean,
  ): Promise<T | undefined> {
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      const current = await this.read<T>(kind, apiVersion, name);
      if (!current) return undefined;
      if (!change(current)) return current;
      try {
        return (await this.objects.replace(current)) as T;
      } catch (error) {
        if (isStatus(error, 404)) return undefined;
        if (!isStatus(error, 409)) throw wrap(`update ${kind} ${name}`, error);
      }
    }
    throw new ClusterError(`update ${kind} ${name}`, 409, 'the object kept changing while being updated');
  }

  /**
   * Deletes an object; one that is already gone counts as deleted. Returns whether it existed.
   * `propagationPolicy: 'Background'` has the garbage collector delete what it owns (a Job's pods,
   * which the API leaves behind by default for Jobs).
   */
  async delete(
    kind: string,
    apiVersion: string,
    name: string,
    options: { propagationPolicy?: 'Background' | 'Foreground' } = {},
  ): Promise<boolean> {
    try {
      await this.objects.delete(
        { apiVersion, kind, metadata: { name, namespace: this.namespace } },
        undefined,
        undefined,
        undefined,
        undefined,
        options.propagationPolicy,
      );
      return true;
    } catch (error) {
      if (isStatus(error, 404)) return false;
      throw wrap(`delete ${kind} ${name}`, error);
    }
  }

  /**
   * Lists objects of this namespace matching `labelSelector`, every page of them (500 a page).
   * For reading many objects at once: one call instead of one per object.
   */
  async list<T extends KubernetesObject>(
    kind: string,
    apiVersion: string,
    labelSelector: string,
  ): Promise<T[]> {
    const items: T[] = [];
    let continueToken: string | undefined;
    try {
      do {
        const page = await this.objects.list<T>(
          apiVersion,
          kind,
          this.namespace,
          undefined,
          undefined,
          undefined,
          undefined,
          labelSelector,
          500,
          continueToken,
        );
        items.push(...page.items);
        continueToken = page.metadata?._continue || undefined;
      } while (continueToken);
    } catch (error) {
      throw wrap(`list ${kind} (${labelSelector})`, error);
    }
    return items;
  }

  /** Reads an object, or `undefined` when it does not exist. */
  async read<T extends KubernetesObject>(
    kind: string,
    apiVersion: string,
    name: string,
  ): Promise<T | undefined> {
    try {
      return (await this.objects.read({
        apiVersion,
        kind,
        metadata: { name, namespace: this.namespace },
      })) as T;
    } catch (error) {
      if (isStatus(error, 404)) return undefined;
      throw wrap(`read ${kind} ${name}`, error);
    }
  }

  /**
   * Applies a JSON merge patch (RFC 7386: `null` removes a key) to an object of this namespace.
   * Only the fields in `patch` change, so writers of different fields never undo each other. A
   * missing object is a ClusterError with status 404. With `secretValues` the error carries the
   * status only, never the API server's message, which could quote the values sent.
   */
  async mergePatch(
    kind: string,
    apiVersion: string,
    name: string,
    patch: Record<string, unknown>,
    options: { secretValues?: boolean } = {},
  ): Promise<void> {
    const body = { ...patch, apiVersion, kind, metadata: { name, namespace: this.namespace } };
    const what = `patch ${kind} ${name}`;
    try {
      await this.objects.patch(
        body as KubernetesObject,
        undefined,
        undefined,
        'justiam-control-plane',
        undefined,
        PatchStrategy.MergePatch,
      );
    } catch (error) {
      if (isStatus(error, 404)) throw new ClusterError(what, 404, `${kind} ${name} does not exist`);
      if (!options.secretValues) throw wrap(what, error);
      const status = error instanceof ApiException ? error.code : undefined;
      throw new ClusterError(
        what,
        status,
        status ? 'the API server refused the change' : 'the API server could not be reached',
      );
    }
  }

  /**
   * Sets (or with `null` removes) one key of a ConfigMap with a JSON merge patch, so concurrent
   * writers of different keys never lose each other's entries. Creates the ConfigMap if missing.
   */
  async patchConfigMapKey(name: string, key: string, value: string | null): Promise<void> {
    for (let attempt = 0; attempt < CONFLICT_RETRIES; attempt++) {
      try {
        await this.mergePatch('ConfigMap', 'v1', name, { data: { [key]: value } });
        return;
      } catch (error) {
        if (!(error instanceof ClusterError && error.status === 404)) throw error;
      }
      if (value === null) return;
      const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: this.namespace } };
      const initial = name === REGISTRY_CONFIGMAP ? registryConfigMap(this.namespace) : { ...body, data: {} };
      try {
        await this.objects.create({ ...initial, data: { [key]: value } } as unknown as KubernetesObject);
        return;
      } catch (error) {
        // Another writer created it first: patch it on the next round.
        if (!isStatus(error, 409)) throw wrap(`create ConfigMap ${name}`, error);
      }
    }
    throw new ClusterError(
      `patch ConfigMap ${name} key ${key}`,
      409,
      'the ConfigMap kept appearing and disappearing',
    );
  }

  /** Sets a Deployment's replica count through the scale subresource. */
  async scaleDeployment(name: string, replicas: number): Promise<void> {
    if (!Number.isInteger(replicas) || replicas < 0)
      throw new ClusterError(`scale ${name}`, undefined, 'replicas must be a whole number ≥ 0');
    await this.apps
      .patchNamespacedDeploymentScale(
        { name, namespace: this.namespace, body: { spec: { replicas } } },
        setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
      )
      .catch((error: unknown) => {
        throw wrap(`scale Deployment ${name}`, error);
      });
  }

  /** Sets the image tag of one container of a Deployment (a rolling update in the cluster). */
  async setDeploymentImageTag(name: string, tag: string, container?: string): Promise<void> {
    if (!/^[\w][\w.-]{0,127}$/.test(tag))
      throw new ClusterError(`set image of ${name}`, undefined, `"${tag}" is not a valid image tag`);
    const current = (await this.read<V1Deployment>('Deployment', 'apps/v1', name)) ?? undefined;
    if (!current) throw new ClusterError(`set image of ${name}`, 404, `Deployment ${name} does not exist`);
    const containers = current.spec?.template.spec?.containers ?? [];
    const target = container ? containers.find((c) => c.name === container) : containers[0];
    if (!target?.image)
      throw new ClusterError(`set image of ${name}`, undefined, `no container ${container ?? ''} to update`);
    const image = `${target.image.replace(/:[^:/]+$/, '')}:${tag}`;
    await this.apps
      .patchNamespacedDeployment(
        {
          name,
          namespace: this.namespace,
          body: { spec: { template: { spec: { containers: [{ name: target.name, image }] } } } },
        },
        setHeaderOptions('Content-Type', PatchStrategy.StrategicMergePatch),
      )
      .catch((error: unknown) => {
        throw wrap(`set image of Deployment ${name}`, error);
      });
  }
}

function wrap(operation: string, error: unknown): ClusterError {
  if (error instanceof ClusterError) return error;
  const { status, reason } = describe(error);
  return new ClusterError(operation, status, reason);
}

function ref(o: KubernetesObject) {
  return {
    apiVersion: o.apiVersion!,
    kind: o.kind!,
    metadata: { name: o.metadata!.name!, namespace: o.metadata?.namespace },
  };
}

function withoutMeta(o: KubernetesObject): Record<string, unknown> {
  const { metadata: _m, status: _s, ...rest } = o as KubernetesObject & { status?: unknown };
  return rest;
}

function mergeMeta(current: KubernetesObject, desired: KubernetesObject) {
  return {
    ...current.metadata,
    labels: { ...current.metadata?.labels, ...desired.metadata?.labels },
    annotations: { ...current.metadata?.annotations, ...desired.metadata?.annotations },
  };
}

/** Whether `current` already has everything `desired` asks for (labels, and the fields below metadata). */
function sameDesiredState(current: KubernetesObject, desired: KubernetesObject): boolean {
  const labels = desired.metadata?.labels ?? {};
  for (const [k, v] of Object.entries(labels)) if (current.metadata?.labels?.[k] !== v) return false;
  const want = withoutMeta(desired);
  const have = current as unknown as Record<string, unknown>;
  return Object.entries(want).every(([k, v]) => contains(have[k], v));
}

/** Deep "has at least": every field of `want` is present with the same value in `have`. */
function contains(have: unknown, want: unknown): boolean {
  if (want === null || typeof want !== 'object')
    return have === want || (want === undefined && have === undefined);
  if (Array.isArray(want)) {
    return Array.isArray(have) && have.length === want.length && want.every((w, i) => contains(have[i], w));
  }
  if (have === null || typeof have !== 'object') return false;
  return Object.entries(want).every(
    ([k, v]) => v === undefined || contains((have as Record<string, unknown>)[k], v),
  );
}
