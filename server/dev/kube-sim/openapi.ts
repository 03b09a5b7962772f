import { createHash } from 'node:crypto';
import { RESOURCE_TYPES, type ResourceType } from './resources.ts';

// kubectl decides between server-side and client-side validation by looking, in the OpenAPI v3
// document of a group version, for a PATCH operation tagged with the kind that accepts the
// `fieldValidation` query parameter. Finding it, it leaves validation to the server and needs no
// schemas; without any OpenAPI it refuses to create or apply unless given --validate=false.
// So this serves just that much. Strategic merge patches are then computed from kubectl's
// compiled-in types, as it does for every built-in kind.

function groupVersionPath(rt: ResourceType): string {
  return rt.group ? `apis/${rt.group}/${rt.version}` : `api/${rt.version}`;
}

function itemPath(rt: ResourceType): string {
  const ns = rt.namespaced ? 'namespaces/{namespace}/' : '';
  return `/${groupVersionPath(rt)}/${ns}${rt.plural}/{name}`;
}

function groupVersionDocument(gvPath: string) {
  const paths: Record<string, unknown> = {};
  for (const rt of RESOURCE_TYPES.filter((r) => groupVersionPath(r) === gvPath)) {
    paths[itemPath(rt)] = {
      patch: {
        operationId: `patch${rt.kind}`,
        'x-kubernetes-action': 'patch',
        'x-kubernetes-group-version-kind': { group: rt.group, version: rt.version, kind: rt.kind },
        parameters: [
          { name: 'dryRun', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldManager', in: 'query', schema: { type: 'string', uniqueItems: true } },
          { name: 'fieldValidation', in: 'query', schema: { type: 'string', uniqueItems: true } },
        ],
        responses: { '200': { description: 'OK' } },
      },
    };
  }
  return {
    openapi: '3.0.0',
    info: { title: 'Kubernetes (kube-sim)', version: 'v1.32.0' },
    paths,
    components: { schemas: {} },
  };
}

function hashOf(doc: unknown): string {
  return createHash('sha512').update(JSON.stringify(doc)).digest('hex').toUpperCase();
}

/** Answers `/openapi/v3` and `/openapi/v3/<group-version path>`; undefined for anything else. */
export function openApiV3(path: string): unknown {
  const gvPaths = [...new Set(RESOURCE_TYPES.map(groupVersionPath))];
  if (path === '/openapi/v3') {
    const paths: Record<string, unknown> = {};
    for (const gv of gvPaths) {
      paths[gv] = { serverRelativeURL: `/openapi/v3/${gv}?hash=${hashOf(groupVersionDocument(gv))}` };
    }
    return { paths };
  }
  const gv = path.replace(/^\/openapi\/v3\//, '');
  return path.startsWith('/openapi/v3/') && gvPaths.includes(gv) ? groupVersionDocument(gv) : undefined;
}
