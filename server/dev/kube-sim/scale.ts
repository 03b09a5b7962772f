import {
  type ApiContext,
  type ApiResult,
  applyPatchBody,
  getObject,
  type ResourceRequest,
} from './handlers.ts';
import { cloneObject } from './json.ts';
import { type KubeObject, prepareUpdate } from './objects.ts';
import { formatSelector, type LabelSelectorSpec } from './selectors.ts';
import { badRequest, conflict, StatusError } from './status.ts';

interface ScaleObject {
  kind?: string;
  apiVersion?: string;
  metadata?: { name?: string; resourceVersion?: string };
  spec?: { replicas?: unknown };
}

function toScale(deployment: KubeObject) {
  const spec = (deployment.spec ?? {}) as { replicas?: number; selector?: LabelSelectorSpec };
  const status = (deployment.status ?? {}) as { replicas?: number };
  const m = deployment.metadata;
  return {
    kind: 'Scale',
    apiVersion: 'autoscaling/v1',
    metadata: {
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
      creationTimestamp: m.creationTimestamp,
    },
    spec: { replicas: spec.replicas ?? 0 },
    status: { replicas: status.replicas ?? 0, selector: formatSelector(spec.selector) },
  };
}

// Writes through Scale land on the Deployment's spec.replicas, with the Deployment's own
// resourceVersion guarding the write, as in the real scale subresource.
function writeScale(ctx: ApiContext, req: ResourceRequest, current: KubeObject, body: unknown): ApiResult {
  const scale = (body ?? {}) as ScaleObject;
  if (scale.metadata?.name !== undefined && scale.metadata.name !== req.name) {
    throw badRequest(
      `the name of the object (${scale.metadata.name}) does not match the name on the URL (${req.name})`,
    );
  }
  const replicas = scale.spec?.replicas;
  if (typeof replicas !== 'number' || !Number.isInteger(replicas) || replicas < 0) {
    throw new StatusError(
      422,
      'Invalid',
      `Scale.autoscaling "${req.name}" is invalid: spec.replicas: Invalid value: ${JSON.stringify(replicas ?? null)}: must be greater than or equal to 0`,
      {
        name: req.name,
        group: 'autoscaling',
        kind: 'Scale',
        causes: [
          {
            reason: 'FieldValueInvalid',
            message: 'must be greater than or equal to 0',
            field: 'spec.replicas',
          },
        ],
      },
    );
  }
  const expected = scale.metadata?.resourceVersion;
  if (expected && expected !== current.metadata.resourceVersion) throw conflict(req.rt, req.name!);
  const next = cloneObject(current);
  (next.spec as { replicas: number }).replicas = replicas;
  const updated = ctx.store.update(req.rt, prepareUpdate(req.rt, current, next));
  return { code: 200, body: toScale(updated) };
}

/** GET, PUT or PATCH on `deployments/<name>/scale` (autoscaling/v1 Scale). */
export function handleScale(ctx: ApiContext, req: ResourceRequest, method: string): ApiResult {
  const current = getObject(ctx, req);
  if (method === 'GET') return { code: 200, body: toScale(current) };
  if (method === 'PUT') return writeScale(ctx, req, current, req.body);
  const patched = applyPatchBody(req.contentType, toScale(current), req.body);
  return writeScale(ctx, req, current, patched);
}
