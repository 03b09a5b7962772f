import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { backupJob } from '../../../server/cluster/resources.ts';
import { loadConfig } from '../../../server/config.ts';
import { restRoutes } from '../../../server/http/rest/routes.ts';
import {
  commandOf,
  K8S_DIR,
  loadManifests,
  type ManifestObject,
  manifest,
  parseDockerfile,
  ROOT,
  schemaErrors,
} from '../../support/k8s-mt.ts';
import { jwks, testSigner } from '../../support/license.ts';

const NS = 'justiam-mt';
const SAMPLE_BACKUP_JOB = {
  namespace: NS,
  slug: 'acme',
  backupId: '5d0c3a8e-0b8f-4c55-9d7e-2a9f1b3c4d5e',
  image: 'postgres:15.17-bookworm',
  snapshot: '00000003-0000001B-1',
  folder: '/var/lib/justiam-cp/backups/t',
  subPath: 't',
  file: '/var/lib/justiam-cp/backups/t/b.dump.partial',
  volumeClaim: 'justiam-cp-backups',
  deadlineSeconds: 3600,
  runAsUser: 10001,
  runAsGroup: 10001,
};
const objects = loadManifests();

/** Whether a selector's labels all appear in `labels`. */
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string> | undefined) =>
  !!selector &&
  Object.keys(selector).length > 0 &&
  Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** The Service an Ingress sends `path` to: Exact first, then the longest Prefix by path elements. */
function ingressTarget(ingress: Record<string, any>, path: string): string | undefined {
  const paths = ingress.spec.rules.flatMap((r: any) => r.http.paths) as {
    path: string;
    pathType: string;
    backend: { service: { name: string } };
  }[];
  const exact = paths.find((p) => p.pathType === 'Exact' && p.path === path);
  if (exact) return exact.backend.service.name;
  const elements = (p: string) => p.split('/').filter(Boolean);
  const candidates = paths
    .filter((p) => p.pathType === 'Prefix')
    .filter((p) => elements(p.path).every((e, i) => elements(path)[i] === e))
    .sort((a, b) => elements(b.path).length - elements(a.path).length);
  return candidates[0]?.backend.service.name;
}

describe('k8s-mt manifests', () => {
  it('hold the objects of the CP Backend and the CP Frontend, all in justiam-mt', () => {
    const names = objects.map((o) => `${o.kind}/${o.metadata?.name}`).sort();
    expect(names).toEqual(
      [
        'ConfigMap/cp-backend-config',
        'ConfigMap/cp-frontend-nginx',
        'Deployment/cp-backend',
        'Deployment/cp-frontend',
        'Ingress/controlplane',
        'NetworkPolicy/cp-backend',
        'NetworkPolicy/cp-backup-jobs',
        'PersistentVolumeClaim/justiam-cp-backups',
        'NetworkPolicy/cp-frontend',
        'PodDisruptionBudget/cp-backend',
        'PodDisruptionBudget/cp-frontend',
        'Role/cp-backend',
        'RoleBinding/cp-backend',
        'Service/cp-backend',
        'Service/cp-frontend',
        'ServiceAccount/cp-backend',
        'ServiceAccount/cp-frontend',
      ].sort(),
    );
    expect(objects.filter((o) => o.metadata?.namespace !== NS).map((o) => o.metadata?.name)).toEqual([]);
  });

  it.each(objects.map((o): [string, ManifestObject] => [`${o.kind} ${o.metadata?.name} (${o.file})`, o]))(
    '%s is valid against the Kubernetes OpenAPI schema, with no unknown field',
    async (_, o) => {
      expect(await schemaErrors(o.body)).toEqual([]);
    },
  );

  it('the schema check finds a wrong type, a missing required field and a misspelt field', async () => {
    const broken = structuredClone(manifest(objects, 'Deployment', 'cp-backend'));
    broken.spec.replicas = 'two';
    delete broken.spec.template.spec.containers[0].name;
    broken.spec.template.spec.containers[0].readinesProbe =
      broken.spec.template.spec.containers[0].readinessProbe;
    const errors = (await schemaErrors(broken)).join('\n');
    expect(errors).toContain('replicas must be integer');
    expect(errors).toContain('must have required property name');
    expect(errors).toContain('.spec.template.spec.containers[0].readinesProbe is not a field of V1Container');
  });

  it('every Service, PodDisruptionBudget and NetworkPolicy selects the pods of a Deployment (or the backup Jobs), whose selector matches its template', () => {
    const deployments = objects.filter((o) => o.kind === 'Deployment').map((o) => o.body);
    for (const d of deployments)
      expect(selects(d.spec.selector.matchLabels, d.spec.template.metadata.labels)).toBe(true);
    // The pods of the backup Jobs the backend makes (server/cluster/resources.ts).
    const backupPods = backupJob({ ...SAMPLE_BACKUP_JOB }).spec!.template.metadata!.labels!;
    const podLabels = [...deployments.map((d) => d.spec.template.metadata.labels), backupPods];
    for (const o of objects) {
      const selector =
        o.kind === 'Service'
          ? o.body.spec.selector
          : o.kind === 'PodDisruptionBudget'
            ? o.body.spec.selector.matchLabels
            : o.kind === 'NetworkPolicy'
              ? o.body.spec.podSelector.matchLabels
              : undefined;
      if (o.kind === 'Service' || o.kind === 'PodDisruptionBudget' || o.kind === 'NetworkPolicy') {
        expect(
          podLabels.filter((labels) => selects(selector, labels)),
          `${o.kind} ${o.metadata?.name}`,
        ).toHaveLength(1);
      }
    }
  });

  it('the backend: 2 replicas with leader election, probes, resources, non-root, read-only root with a writable /tmp, config and secrets from outside', () => {
    const deployment = manifest(objects, 'Deployment', 'cp-backend');
    const pod = deployment.spec.template.spec;
    const container = pod.containers[0];
    expect(deployment.spec.replicas).toBe(2);
    expect(manifest(objects, 'ConfigMap', 'cp-backend-config').data.LEADER_ELECTION).toBe('true');
    expect(container.readinessProbe.httpGet.path).toBe('/readyz');
    expect(container.livenessProbe.httpGet.path).toBe('/healthz');
    expect(container.startupProbe.httpGet.path).toBeDefined();
    expect(container.resources.requests).toBeDefined();
    expect(container.resources.limits.memory).toBeDefined();
    expect(pod.securityContext.runAsNonRoot).toBe(true);
    expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
    expect(container.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    const tmp = container.volumeMounts.find((m: { mountPath: string }) => m.mountPath === '/tmp');
    expect(pod.volumes.find((v: { name: string }) => v.name === tmp.name).emptyDir).toBeDefined();
    expect(container.envFrom).toEqual([
      { configMapRef: { name: 'cp-backend-config' } },
      { secretRef: { name: 'cp-backend-secrets' } },
    ]);
    // The token only where the Role needs it: the backend's pods, not the account by default.
    expect(manifest(objects, 'ServiceAccount', 'cp-backend').automountServiceAccountToken).toBe(false);
    expect(pod.serviceAccountName).toBe('cp-backend');
    expect(pod.automountServiceAccountToken).toBe(true);
    expect(manifest(objects, 'RoleBinding', 'cp-backend').subjects).toEqual([
      { kind: 'ServiceAccount', name: 'cp-backend', namespace: NS },
    ]);
    const frontend = manifest(objects, 'Deployment', 'cp-frontend').spec.template.spec;
    expect(frontend.automountServiceAccountToken).toBe(false);
    expect(frontend.containers[0].securityContext.readOnlyRootFilesystem).toBe(true);
  });

  it('backups: a ReadWriteMany claim mounted by the backend at BACKUP_DIR, which its Jobs mount too; the job runner', () => {
    const data = manifest(objects, 'ConfigMap', 'cp-backend-config').data as Record<string, string>;
    const config = loadConfig({
      ...data,
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      DATABASE_URL: 'postgres://cp@postgres:5432/controlplane',
    });
    expect(config.backups).toMatchObject({ runner: 'job', dir: '/var/lib/justiam-cp/backups' });
    const claim = manifest(objects, 'PersistentVolumeClaim', config.backups.job.volumeClaim);
    expect(claim.spec.accessModes).toEqual(['ReadWriteMany']);
    const pod = manifest(objects, 'Deployment', 'cp-backend').spec.template.spec;
    const volume = pod.volumes.find(
      (v: { persistentVolumeClaim?: { claimName: string } }) =>
        v.persistentVolumeClaim?.claimName === config.backups.job.volumeClaim,
    );
    expect(volume).toBeDefined();
    const mount = pod.containers[0].volumeMounts.find((m: { name: string }) => m.name === volume.name);
    expect(mount).toEqual({ name: volume.name, mountPath: config.backups.dir });
    // The Job's pg_dump runs as the backend's user, so the backend can rename what it wrote.
    expect(pod.securityContext.runAsUser).toBe(10001);
  });

  it('the backend ConfigMap with the Secret’s keys is a valid production configuration, every key documented', () => {
    const data = manifest(objects, 'ConfigMap', 'cp-backend-config').data as Record<string, string>;
    const config = loadConfig({
      ...data,
      KUBERNETES_SERVICE_HOST: '10.96.0.1',
      DATABASE_URL: 'postgres://cp:secret@postgres:5432/controlplane',
      OIDC_CLIENT_SECRET: 'client-secret',
      LICENSE_PUBLIC_KEYS: jwks(testSigner('k1')),
      LEADER_IDENTITY: 'cp-backend-abc',
    });
    expect(config).toMatchObject({
      env: 'production',
      kube: { kind: 'in-cluster', namespace: NS },
      leader: { enabled: true },
      license: { keys: { kind: 'configured' } },
    });
    const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
    for (const key of Object.keys(data)) expect(readme, key).toContain(`\`${key}\``);
  });

  it('the Ingress sends the API paths and every REST route to the backend and the rest to the frontend', () => {
    const ingress = manifest(objects, 'Ingress', 'controlplane');
    const firstSegments = [...new Set(restRoutes.map((r) => `/${r.path.split('/')[1]}`))];
    expect(firstSegments.length).toBeGreaterThan(5);
    for (const path of [
      '/graphql',
      '/auth/login',
      '/auth/callback',
      '/openapi.json',
      '/metrics',
      ...firstSegments,
    ]) {
      expect(ingressTarget(ingress, path), path).toBe('cp-backend');
    }
    for (const r of restRoutes)
      expect(ingressTarget(ingress, r.path.replace(/:\w+/g, 'x')), r.path).toBe('cp-backend');
    for (const path of ['/', '/ui/', '/ui/tenants', '/ui/assets/index-abc.js', '/graphqlx']) {
      expect(ingressTarget(ingress, path), path).toBe('cp-frontend');
    }
    expect(ingress.spec.tls[0].secretName).toBeDefined();
    for (const service of ['cp-backend', 'cp-frontend']) {
      expect(manifest(objects, 'Service', service).spec.ports.map((p: { name: string }) => p.name)).toContain(
        'http',
      );
    }
  });

  it('image tags: the kustomization sets both, and the manifests carry the same', () => {
    const kustomization = parse(readFileSync(join(K8S_DIR, 'kustomization.yaml'), 'utf8')) as {
      images: { name: string; newTag: string }[];
    };
    const images = objects
      .filter((o) => o.kind === 'Deployment')
      .map((o) => o.body.spec.template.spec.containers[0].image as string);
    expect(images.map((i) => i.replace(/:[^:]+$/, '')).sort()).toEqual(
      kustomization.images.map((i) => i.name).sort(),
    );
    for (const image of images) {
      const [name, tag] = image.split(/:(?=[^:]+$)/);
      expect(kustomization.images.find((i) => i.name === name)?.newTag).toBe(tag);
    }
  });

  it('each Deployment starts its container with its image’s own CMD', () => {
    const pairs: [string, string][] = [
      ['cp-backend', 'Dockerfile'],
      ['cp-frontend', 'k8s-mt/controlplane/Dockerfile'],
    ];
    for (const [name, dockerfile] of pairs) {
      const container = manifest(objects, 'Deployment', name).spec.template.spec.containers[0];
      expect(container.command, name).toEqual(commandOf(parseDockerfile(join(ROOT, dockerfile)).at(-1)!));
    }
  });
});
