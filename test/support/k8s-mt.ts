import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { KubernetesObject, V1PolicyRule, V1Role } from '@kubernetes/client-node';
import * as k8s from '@kubernetes/client-node';
import { parseAllDocuments } from 'yaml';

export const ROOT = join(import.meta.dirname, '..', '..');
export const K8S_DIR = join(ROOT, 'k8s-mt');

/** One object of the deployment manifests, with the file it came from. */
export type ManifestObject = KubernetesObject & { file: string; body: Record<string, any> };

/** The manifest files under k8s-mt/ (kustomizations aside), as `kubectl apply -f` takes them. */
export function manifestFiles(): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
      e.isDirectory()
        ? walk(join(dir, e.name))
        : /\.ya?ml$/.test(e.name) && e.name !== 'kustomization.yaml'
          ? [join(dir, e.name)]
          : [],
    );
  return walk(K8S_DIR).sort();
}

/** Every object of every manifest file; a YAML error throws, naming the file. */
export function loadManifests(): ManifestObject[] {
  return manifestFiles().flatMap((file) =>
    parseAllDocuments(readFileSync(file, 'utf8'))
      .map((doc) => {
        if (doc.errors.length) throw new Error(`${relative(ROOT, file)}: ${doc.errors[0]!.message}`);
        return doc.toJS() as Record<string, any> | null;
      })
      .filter((body): body is Record<string, any> => body !== null)
      .map((body) => ({ ...(body as KubernetesObject), file: relative(ROOT, file), body })),
  );
}

/** The one object of this kind and name; throws when there is none. */
export function manifest(objects: ManifestObject[], kind: string, name: string): Record<string, any> {
  const found = objects.find((o) => o.kind === kind && o.metadata?.name === name);
  if (!found) throw new Error(`no ${kind} ${name} in k8s-mt/`);
  return found.body;
}

/** A request as RBAC sees it. */
export type Access = { verb: string; group: string; resource: string; subresource?: string; name?: string };

/** Whether `rule` allows `access`, by the rules of Kubernetes RBAC (no wildcards are used here). */
export function ruleAllows(rule: V1PolicyRule, access: Access): boolean {
  const resource = access.subresource ? `${access.resource}/${access.subresource}` : access.resource;
  return (
    (rule.apiGroups ?? []).includes(access.group) &&
    (rule.resources ?? []).includes(resource) &&
    rule.verbs.includes(access.verb) &&
    (!rule.resourceNames?.length || (access.name !== undefined && rule.resourceNames.includes(access.name)))
  );
}

/** The Role of the CP Backend as written in k8s-mt/cp-backend.yaml. */
export function backendRole(): V1Role {
  return manifest(loadManifests(), 'Role', 'cp-backend') as V1Role;
}

/** One Dockerfile stage: its FROM line and instructions (continuation lines joined). */
export type DockerStage = {
  from: string;
  name: string | undefined;
  instructions: { op: string; args: string }[];
};

/** Splits a Dockerfile into stages. */
export function parseDockerfile(path: string): DockerStage[] {
  const text = readFileSync(path, 'utf8').replace(/\\\n/g, ' ');
  const stages: DockerStage[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const [, op, args] = /^(\S+)\s*(.*)$/.exec(line)!;
    if (op!.toUpperCase() === 'FROM') {
      const [, image, name] = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args!) ?? [];
      stages.push({ from: image ?? args!, name, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push({ op: op!.toUpperCase(), args: args! });
    }
  }
  return stages;
}

/** The exec-form CMD of a stage, as an argument list. */
export function commandOf(stage: DockerStage): string[] {
  const cmd = stage.instructions.findLast((i) => i.op === 'CMD');
  if (!cmd) throw new Error(`stage ${stage.name} has no CMD`);
  return JSON.parse(cmd.args) as string[];
}

type Validatable = { validate(): void };
type ModelClass = new (data: unknown) => Validatable;

/** The kubernetes-models class of an object's apiVersion and kind (its OpenAPI schema, compiled). */
async function modelOf(apiVersion: string, kind: string): Promise<ModelClass> {
  const module = (await import(`kubernetes-models/${apiVersion}/${kind}`)) as Record<string, ModelClass>;
  const model = module[kind];
  if (!model) throw new Error(`kubernetes-models has no ${apiVersion} ${kind}`);
  return model;
}

/** Schema errors of one object: the OpenAPI schema's, plus fields it does not have (a typo is lost silently by the API server). */
export async function schemaErrors(body: Record<string, any>): Promise<string[]> {
  const errors: string[] = [];
  try {
    new (await modelOf(body.apiVersion, body.kind))(body).validate();
  } catch (error) {
    errors.push((error as Error).message);
  }
  errors.push(...unknownFields(body, `V1${body.kind}`, ''));
  return errors;
}

type Attribute = { baseName: string; type: string };
type Described = { getAttributeTypeMap(): Attribute[] };

/**
 * Fields the API types do not have, walking the object along @kubernetes/client-node's generated
 * type metadata (the same OpenAPI definitions). The schemas leave additional properties open, as
 * the API server does: it drops unknown fields with a warning at most.
 */
function unknownFields(value: unknown, type: string, path: string): string[] {
  const array = /^Array<(.+)>$/.exec(type);
  if (array) {
    return Array.isArray(value) ? value.flatMap((v, i) => unknownFields(v, array[1]!, `${path}[${i}]`)) : [];
  }
  const map = /^\{ \[key: string\]: (.+); \}$/.exec(type);
  if (map) {
    return Object.entries((value ?? {}) as object).flatMap(([k, v]) =>
      unknownFields(v, map[1]!, `${path}.${k}`),
    );
  }
  const described = (k8s as unknown as Record<string, Described | undefined>)[type];
  if (typeof described?.getAttributeTypeMap !== 'function' || value === null || typeof value !== 'object')
    return [];
  const attributes = described.getAttributeTypeMap();
  return Object.entries(value).flatMap(([key, v]) => {
    const attribute = attributes.find((a) => a.baseName === key);
    return attribute
      ? unknownFields(v, attribute.type, `${path}.${key}`)
      : [`${path}.${key} is not a field of ${type}`];
  });
}
