import {
  CoreV1Api,
  type V1ConfigMap,
  type V1Deployment,
  type V1Job,
  type V1Pod,
  type V1Secret,
} from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ClusterClient, ClusterError } from '../../../../server/cluster/client.ts';
import { APP_NAME, MANAGED_BY, REGISTRY_CONFIGMAP, TENANT_LABEL } from '../../../../server/cluster/labels.ts';
import {
  backupJob,
  backupJobName,
  sharedLoginWorker,
  tenantSecret,
} from '../../../../server/cluster/resources.ts';
import { eventually, startTestCluster, type TestCluster } from '../../../support/kube.ts';

describe('cluster adapter against the simulator', () => {
  let cluster: TestCluster;
  let client: ClusterClient;
  let core: CoreV1Api;
  beforeAll(async () => {
    cluster = await startTestCluster();
    client = new ClusterClient(cluster.kubeConfig, cluster.namespace);
    core = cluster.kubeConfig.makeApiClient(CoreV1Api);
  });
  afterAll(() => cluster?.stop());

  it('ensure creates, then finds nothing to do, then updates when the wanted state changes', async () => {
    const wanted = tenantSecret(cluster.namespace, 'acme', {
      JWT_SECRET: 'one',
      DATABASE_URL: 'postgres://x',
    });
    expect(await client.ensure(wanted)).toBe('created');
    expect(await client.ensure(wanted)).toBe('unchanged');
    const changed = tenantSecret(cluster.namespace, 'acme', {
      JWT_SECRET: 'two',
      DATABASE_URL: 'postgres://x',
    });
    expect(await client.ensure(changed)).toBe('updated');
    const secret = await client.read<V1Secret>('Secret', 'v1', 'tenant-acme');
    expect(Buffer.from(secret!.data!.JWT_SECRET!, 'base64').toString()).toBe('two');
    expect(secret!.metadata!.labels).toMatchObject({
      [MANAGED_BY]: 'justiam-control-plane',
      [TENANT_LABEL]: 'acme',
    });
  });

  it('100 concurrent registry-key patches leave 100 keys', async () => {
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        client.patchConfigMapKey(REGISTRY_CONFIGMAP, `t${i}.json`, JSON.stringify({ i })),
      ),
    );
    const cm = await client.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP);
    expect(Object.keys(cm!.data!)).toHaveLength(100);
    expect(JSON.parse(cm!.data!['t42.json']!)).toEqual({ i: 42 });
    await client.patchConfigMapKey(REGISTRY_CONFIGMAP, 't42.json', null);
    const after = await client.read<V1ConfigMap>('ConfigMap', 'v1', REGISTRY_CONFIGMAP);
    expect(after!.data!['t42.json']).toBeUndefined();
    expect(Object.keys(after!.data!)).toHaveLength(99);
  });

  it('delete counts an object that is already gone as deleted', async () => {
    await client.ensure(tenantSecret(cluster.namespace, 'gone', { JWT_SECRET: 'x' }));
    expect(await client.delete('Secret', 'v1', 'tenant-gone')).toBe(true);
    expect(await client.delete('Secret', 'v1', 'tenant-gone')).toBe(false);
    expect(await client.read('Secret', 'v1', 'tenant-gone')).toBeUndefined();
  });

  it('scales a Deployment and rolls its pods to a new image tag', async () => {
    await client.ensure(sharedLoginWorker(cluster.namespace, 'justiam/login-worker:1.0.0', 1));
    const pods = async () =>
      (
        await core.listNamespacedPod({
          namespace: cluster.namespace,
          labelSelector: `${APP_NAME}=justiam-login-worker`,
        })
      ).items as V1Pod[];
    await eventually(
      async () => (await pods()).filter((p) => p.status?.phase === 'Running').length === 1,
      5000,
      'one running pod',
    );
    await client.scaleDeployment('login-worker-shared', 3);
    await eventually(
      async () => (await pods()).filter((p) => p.status?.phase === 'Running').length === 3,
      5000,
      'three pods',
    );
    await client.setDeploymentImageTag('login-worker-shared', '1.1.0');
    await eventually(
      async () => {
        const all = await pods();
        return (
          all.length === 3 && all.every((p) => p.spec?.containers[0]?.image === 'justiam/login-worker:1.1.0')
        );
      },
      5000,
      'pods on the new image',
    );
    const deployment = await client.read<V1Deployment>('Deployment', 'apps/v1', 'login-worker-shared');
    expect(deployment!.spec!.replicas).toBe(3);
  });

  it('refuses bad input with errors that name the operation, as the API server words it', async () => {
    await expect(client.scaleDeployment('login-worker-shared', -1)).rejects.toThrow(
      /replicas must be a whole number/,
    );
    await expect(client.setDeploymentImageTag('login-worker-shared', 'bad tag!')).rejects.toThrow(
      /not a valid image tag/,
    );
    await expect(client.setDeploymentImageTag('nope', '1.0.0')).rejects.toThrow(ClusterError);
    // The simulator refuses invalid names with 422 like a real API server does.
    const invalid = tenantSecret(cluster.namespace, 'Bad_Slug', { JWT_SECRET: 'jwt-value-never-quoted' });
    await expect(client.ensure(invalid)).rejects.toThrow(/ensure Secret tenant-Bad_Slug failed \(HTTP 422\)/);
    // A Secret's refusal is its status only: the API server's words could quote what was sent.
    await expect(client.ensure(invalid)).rejects.toThrow(
      /^ensure Secret tenant-Bad_Slug failed \(HTTP 422\): refused$/,
    );
    // Other objects keep the API server's words.
    const badConfigMap = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'Bad_Name', namespace: cluster.namespace },
      data: {},
    };
    await expect(client.ensure(badConfigMap)).rejects.toThrow(
      /ensure ConfigMap Bad_Name failed \(HTTP 422\): .+/,
    );
    await expect(client.ensure(badConfigMap)).rejects.not.toThrow(/: refused$/);
  });

  it('runs a backup Job to completion and deletes it with its pod', async () => {
    const backupId = '5d0c3a8e-0b8f-4c55-9d7e-2a9f1b3c4d5e';
    await client.ensure(
      backupJob({
        namespace: cluster.namespace,
        slug: 'acme',
        backupId,
        image: 'postgres:15.17-bookworm',
        snapshot: '00000003-00000002-1',
        folder: '/var/lib/justiam/backups/t1',
        subPath: 't1',
        file: `/var/lib/justiam/backups/t1/${backupId}.dump.partial`,
        volumeClaim: 'justiam-cp-backups',
        deadlineSeconds: 60,
        runAsUser: 10001,
        runAsGroup: 10001,
      }),
    );
    await eventually(
      async () => {
        const job = await client.read<V1Job>('Job', 'batch/v1', backupJobName(backupId));
        return job?.status?.succeeded === 1;
      },
      5000,
      'the job to succeed',
    );
    expect(await client.list('Pod', 'v1', `justiam.io/backup=${backupId}`)).toHaveLength(1);
    expect(
      await client.delete('Job', 'batch/v1', backupJobName(backupId), { propagationPolicy: 'Background' }),
    ).toBe(true);
    await eventually(
      async () => (await client.list('Pod', 'v1', `justiam.io/backup=${backupId}`)).length === 0,
      5000,
      'its pod gone',
    );
    expect(await client.delete('Job', 'batch/v1', backupJobName(backupId))).toBe(false);
  });
});
