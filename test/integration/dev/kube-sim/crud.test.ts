import * as k8s from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NS, type SimHarness, startHarness, statusOf } from './helpers.ts';

let h: SimHarness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});

describe('create / get / list / replace / delete with the stock client', () => {
  it('round-trips a ConfigMap and stamps server-owned metadata', async () => {
    const created = await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'cm-basic', labels: { a: '1' } }, data: { k: 'v' } },
    });
    expect(created.metadata?.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(created.metadata?.namespace).toBe(NS);
    expect(created.metadata?.creationTimestamp).toBeInstanceOf(Date);
    expect(Number(created.metadata?.resourceVersion)).toBeGreaterThan(0);

    const got = await h.core.readNamespacedConfigMap({ name: 'cm-basic', namespace: NS });
    expect(got.data).toEqual({ k: 'v' });

    got.data = { k: 'v2' };
    const replaced = await h.core.replaceNamespacedConfigMap({ name: 'cm-basic', namespace: NS, body: got });
    expect(replaced.data).toEqual({ k: 'v2' });
    expect(Number(replaced.metadata?.resourceVersion)).toBeGreaterThan(
      Number(created.metadata?.resourceVersion),
    );
    expect(replaced.metadata?.uid).toBe(created.metadata?.uid);

    const status = await h.core.deleteNamespacedConfigMap({ name: 'cm-basic', namespace: NS });
    expect(status).toMatchObject({ status: 'Success', details: { name: 'cm-basic', kind: 'configmaps' } });
    await statusOf(h.core.readNamespacedConfigMap({ name: 'cm-basic', namespace: NS }), 404);
  });

  it('lists with a list resourceVersion that is the newest global version', async () => {
    const a = await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'cm-list-a' } },
    });
    const list = await h.core.listNamespacedConfigMap({ namespace: NS });
    expect(list.kind).toBe('ConfigMapList');
    expect(list.items.map((i) => i.metadata?.name)).toContain('cm-list-a');
    expect(Number(list.metadata?.resourceVersion)).toBeGreaterThanOrEqual(
      Number(a.metadata?.resourceVersion),
    );
    expect(Number(list.metadata?.resourceVersion)).toBe(h.sim.store.resourceVersion);
  });

  it('pages a list with limit and continue', async () => {
    for (const n of ['pg-1', 'pg-2', 'pg-3']) {
      await h.core.createNamespacedConfigMap({
        namespace: NS,
        body: { metadata: { name: n, labels: { page: 'y' } } },
      });
    }
    const first = await h.core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'page=y', limit: 2 });
    expect(first.items.map((i) => i.metadata?.name)).toEqual(['pg-1', 'pg-2']);
    expect(first.metadata?._continue).toBeTruthy();
    const second = await h.core.listNamespacedConfigMap({
      namespace: NS,
      labelSelector: 'page=y',
      limit: 2,
      _continue: first.metadata?._continue,
    });
    expect(second.items.map((i) => i.metadata?.name)).toEqual(['pg-3']);
    expect(second.metadata?._continue).toBeFalsy();
  });

  it('serves Services (cluster IP allocated), Namespaces, Pods, Jobs and Leases', async () => {
    const svc = await h.core.createNamespacedService({
      namespace: NS,
      body: { metadata: { name: 'svc-a' }, spec: { selector: { app: 'a' }, ports: [{ port: 80 }] } },
    });
    expect(svc.spec?.clusterIP).toMatch(/^10\.96\.\d+\.\d+$/);
    expect(svc.spec?.ports?.[0]).toMatchObject({ port: 80, protocol: 'TCP', targetPort: 80 });

    const ns = await h.core.createNamespace({ body: { metadata: { name: 'crud-ns' } } });
    expect(ns.status?.phase).toBe('Active');
    expect((await h.core.listNamespace()).items.map((n) => n.metadata?.name)).toEqual(
      expect.arrayContaining(['default', NS, 'crud-ns']),
    );

    const pod = await h.core.createNamespacedPod({
      namespace: 'crud-ns',
      body: { metadata: { name: 'solo' }, spec: { containers: [{ name: 'c', image: 'busybox:1' }] } },
    });
    expect(pod.status?.phase).toBe('Pending');

    const job = await h.batch.createNamespacedJob({
      namespace: NS,
      body: {
        metadata: { name: 'job-a' },
        spec: {
          template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1' }] } },
        },
      },
    });
    expect(job.spec?.selector?.matchLabels?.['batch.kubernetes.io/controller-uid']).toBe(job.metadata?.uid);

    const lease = await h.coordination.createNamespacedLease({
      namespace: NS,
      body: {
        metadata: { name: 'leader' },
        spec: { holderIdentity: 'a', leaseDurationSeconds: 15, renewTime: new k8s.V1MicroTime() },
      },
    });
    expect(lease.spec?.holderIdentity).toBe('a');

    await h.core.deleteNamespace({ name: 'crud-ns' });
    await statusOf(h.core.readNamespacedPod({ name: 'solo', namespace: 'crud-ns' }), 404);
  });

  it('refuses a Lease time with millisecond precision as the real server does (use V1MicroTime)', async () => {
    const body = await statusOf(
      h.coordination.createNamespacedLease({
        namespace: NS,
        body: { metadata: { name: 'bad-time' }, spec: { holderIdentity: 'a', renewTime: new Date() } },
      }),
      400,
    );
    expect(body.reason).toBe('BadRequest');
  });

  it('generates names from generateName', async () => {
    const s = await h.core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { generateName: 'gen-' }, stringData: { a: 'b' } },
    });
    expect(s.metadata?.name).toMatch(/^gen-[a-z0-9]{5}$/);
  });

  it('creates the namespace of an object when it does not exist yet', async () => {
    await h.core.createNamespacedConfigMap({ namespace: 'auto-ns', body: { metadata: { name: 'x' } } });
    expect((await h.core.readNamespace({ name: 'auto-ns' })).metadata?.name).toBe('auto-ns');
  });
});

describe('generic clients and kubectl-style requests', () => {
  it('KubernetesObjectApi resolves kinds through discovery and creates, reads and deletes', async () => {
    const objects = k8s.KubernetesObjectApi.makeApiClient(h.kc);
    const spec = {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'generic', namespace: NS },
      data: { a: '1' },
    };
    await objects.create(spec);
    const read = await objects.read<k8s.V1ConfigMap>({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'generic', namespace: NS },
    });
    expect(read.data).toEqual({ a: '1' });
    await objects.delete(spec);
    await statusOf(h.core.readNamespacedConfigMap({ name: 'generic', namespace: NS }), 404);
  });

  it('answers Accept: as=Table with server-side columns, as kubectl get asks', async () => {
    await h.core.createNamespacedSecret({
      namespace: NS,
      body: { metadata: { name: 'tabled' }, stringData: { a: 'b', c: 'd' } },
    });
    const res = await fetch(
      `${h.sim.url}/api/v1/namespaces/${NS}/secrets?fieldSelector=metadata.name%3Dtabled`,
      {
        headers: { accept: 'application/json;as=Table;v=v1;g=meta.k8s.io,application/json' },
      },
    );
    const table = (await res.json()) as {
      kind: string;
      columnDefinitions: { name: string }[];
      rows: { cells: unknown[] }[];
    };
    expect(table.kind).toBe('Table');
    expect(table.columnDefinitions.map((c) => c.name)).toEqual(['Name', 'Type', 'Data', 'Age']);
    expect(table.rows[0]!.cells.slice(0, 3)).toEqual(['tabled', 'Opaque', 2]);
  });
});

describe('Secrets', () => {
  it('folds stringData into base64 data and drops stringData', async () => {
    const s = await h.core.createNamespacedSecret({
      namespace: NS,
      body: {
        metadata: { name: 'sec-a' },
        data: { keep: Buffer.from('x').toString('base64') },
        stringData: { pw: 'hunter2' },
      },
    });
    expect(s.type).toBe('Opaque');
    expect(s.stringData).toBeUndefined();
    expect(Buffer.from(s.data!.pw!, 'base64').toString()).toBe('hunter2');
    expect(Buffer.from(s.data!.keep!, 'base64').toString()).toBe('x');
  });

  it('filters by type with a field selector', async () => {
    await h.core.createNamespacedSecret({
      namespace: NS,
      body: {
        metadata: { name: 'sec-tls' },
        type: 'kubernetes.io/tls',
        data: { 'tls.crt': '', 'tls.key': '' },
      },
    });
    const list = await h.core.listNamespacedSecret({
      namespace: NS,
      fieldSelector: 'type=kubernetes.io/tls',
    });
    expect(list.items.map((i) => i.metadata?.name)).toEqual(['sec-tls']);
  });
});

describe('errors are Status objects like a real API server', () => {
  it('409 Conflict on a replace with a stale resourceVersion', async () => {
    const cm = await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'occ' }, data: { v: '1' } },
    });
    const fresh = await h.core.replaceNamespacedConfigMap({
      name: 'occ',
      namespace: NS,
      body: { ...cm, data: { v: '2' } },
    });
    expect(fresh.data).toEqual({ v: '2' });
    const body = await statusOf(
      h.core.replaceNamespacedConfigMap({ name: 'occ', namespace: NS, body: { ...cm, data: { v: '3' } } }),
      409,
    );
    expect(body).toMatchObject({
      reason: 'Conflict',
      details: { name: 'occ', kind: 'configmaps' },
      message:
        'Operation cannot be fulfilled on configmaps "occ": the object has been modified; please apply your changes to the latest version and try again',
    });
    expect((await h.core.readNamespacedConfigMap({ name: 'occ', namespace: NS })).data).toEqual({ v: '2' });
  });

  it('a replace without resourceVersion is unconditional', async () => {
    await h.core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'uncond' } } });
    const out = await h.core.replaceNamespacedConfigMap({
      name: 'uncond',
      namespace: NS,
      body: { metadata: { name: 'uncond' }, data: { z: '1' } },
    });
    expect(out.data).toEqual({ z: '1' });
  });

  it('409 AlreadyExists on a second create of the same name', async () => {
    await h.apps.createNamespacedDeployment({ namespace: NS, body: dep('dupe') });
    const body = await statusOf(h.apps.createNamespacedDeployment({ namespace: NS, body: dep('dupe') }), 409);
    expect(body).toMatchObject({
      reason: 'AlreadyExists',
      message: 'deployments.apps "dupe" already exists',
      details: { name: 'dupe', group: 'apps', kind: 'deployments' },
    });
  });

  it('404 NotFound for get, replace, patch and delete of a missing object', async () => {
    const body = await statusOf(h.core.readNamespacedSecret({ name: 'nope', namespace: NS }), 404);
    expect(body).toMatchObject({
      reason: 'NotFound',
      message: 'secrets "nope" not found',
      details: { name: 'nope', kind: 'secrets' },
    });
    await statusOf(
      h.core.replaceNamespacedSecret({ name: 'nope', namespace: NS, body: { metadata: { name: 'nope' } } }),
      404,
    );
    await statusOf(h.core.deleteNamespacedSecret({ name: 'nope', namespace: NS }), 404);
    await statusOf(h.batch.patchNamespacedJob({ name: 'nope', namespace: NS, body: [] }), 404);
  });

  it('422 Invalid for a name that is not a DNS-1123 subdomain, with causes', async () => {
    const body = await statusOf(
      h.core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'Bad_Name' } } }),
      422,
    );
    expect(body.reason).toBe('Invalid');
    expect(body.details).toMatchObject({ name: 'Bad_Name', kind: 'ConfigMap' });
    expect(body.details.causes[0]).toMatchObject({ reason: 'FieldValueInvalid', field: 'metadata.name' });
    expect(body.message).toContain(
      'ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name"',
    );
    await statusOf(
      h.core.createNamespacedService({
        namespace: NS,
        body: { metadata: { name: '1svc' }, spec: { ports: [{ port: 1 }] } },
      }),
      422,
    );
    await statusOf(h.core.createNamespace({ body: { metadata: { name: 'a.b' } } }), 422);
  });

  it('422 Invalid for a missing name', async () => {
    const body = await statusOf(
      h.core.createNamespacedConfigMap({ namespace: NS, body: { metadata: {} } }),
      422,
    );
    expect(body.details.causes[0]).toMatchObject({ reason: 'FieldValueRequired', field: 'metadata.name' });
  });

  it('422 Invalid for data keys outside [-._a-zA-Z0-9]+', async () => {
    const body = await statusOf(
      h.core.createNamespacedSecret({
        namespace: NS,
        body: { metadata: { name: 'badkey' }, stringData: { 'bad key': 'x' } },
      }),
      422,
    );
    expect(body.details.causes[0]).toMatchObject({ field: 'data[bad key]' });
    await statusOf(
      h.core.createNamespacedConfigMap({
        namespace: NS,
        body: { metadata: { name: 'badkey' }, data: { 'a/b': 'x' } },
      }),
      422,
    );
  });

  it('422 Invalid when data exceeds 1 MiB, and accepts just under it', async () => {
    const big = 'x'.repeat(1024 * 1024 + 1);
    const body = await statusOf(
      h.core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'big' }, data: { big } } }),
      422,
    );
    expect(body.details.causes[0]).toMatchObject({ reason: 'FieldValueTooLong' });
    await statusOf(
      h.core.createNamespacedSecret({
        namespace: NS,
        body: { metadata: { name: 'big' }, stringData: { big } },
      }),
      422,
    );
    const ok = await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'big' }, data: { big: 'x'.repeat(1000 * 1000) } },
    });
    expect(ok.metadata?.name).toBe('big');
  });

  it('422 Invalid for a Deployment whose selector does not match its template', async () => {
    const bad = dep('mismatch');
    bad.spec!.selector = { matchLabels: { other: 'x' } };
    const body = await statusOf(h.apps.createNamespacedDeployment({ namespace: NS, body: bad }), 422);
    expect(body.details).toMatchObject({ group: 'apps', kind: 'Deployment' });
    expect(body.details.causes[0].field).toBe('spec.template.metadata.labels');
  });

  it('422 Invalid when an immutable ConfigMap changes', async () => {
    const cm = await h.core.createNamespacedConfigMap({
      namespace: NS,
      body: { metadata: { name: 'frozen' }, immutable: true, data: { a: '1' } },
    });
    await statusOf(
      h.core.replaceNamespacedConfigMap({ name: 'frozen', namespace: NS, body: { ...cm, data: { a: '2' } } }),
      422,
    );
  });

  it('400 BadRequest for a malformed label selector or unsupported field selector', async () => {
    await statusOf(h.core.listNamespacedConfigMap({ namespace: NS, labelSelector: 'a in b' }), 400);
    const body = await statusOf(
      h.core.listNamespacedConfigMap({ namespace: NS, fieldSelector: 'data.x=1' }),
      400,
    );
    expect(body.message).toBe('field label not supported: data.x');
  });

  it('409 Conflict on a delete whose precondition does not hold', async () => {
    await h.core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'precond' } } });
    await statusOf(
      h.core.deleteNamespacedConfigMap({
        name: 'precond',
        namespace: NS,
        body: { preconditions: { resourceVersion: '1' } },
      }),
      409,
    );
  });
});

describe('selectors on lists', () => {
  beforeAll(async () => {
    const mk = (name: string, labels: Record<string, string>) =>
      h.core.createNamespacedConfigMap({ namespace: 'sel', body: { metadata: { name, labels } } });
    await mk('s-a', { tier: 'front', env: 'prod' });
    await mk('s-b', { tier: 'back', env: 'prod' });
    await mk('s-c', { tier: 'back' });
  });
  const names = async (labelSelector?: string, fieldSelector?: string) =>
    (await h.core.listNamespacedConfigMap({ namespace: 'sel', labelSelector, fieldSelector })).items.map(
      (i) => i.metadata?.name,
    );

  it('equality, inequality and set-based label selectors', async () => {
    expect(await names('tier=back')).toEqual(['s-b', 's-c']);
    expect(await names('tier==back,env=prod')).toEqual(['s-b']);
    expect(await names('env!=prod')).toEqual(['s-c']);
    expect(await names('tier in (front,back),env')).toEqual(['s-a', 's-b']);
    expect(await names('tier notin (front)')).toEqual(['s-b', 's-c']);
    expect(await names('!env')).toEqual(['s-c']);
  });

  it('fieldSelector metadata.name', async () => {
    expect(await names(undefined, 'metadata.name=s-b')).toEqual(['s-b']);
    expect(await names(undefined, 'metadata.name!=s-b')).toEqual(['s-a', 's-c']);
  });

  it('lists across all namespaces', async () => {
    const all = await h.core.listConfigMapForAllNamespaces({ labelSelector: 'tier=front' });
    expect(all.items.map((i) => `${i.metadata?.namespace}/${i.metadata?.name}`)).toEqual(['sel/s-a']);
  });
});

function dep(name: string): k8s.V1Deployment {
  return {
    metadata: { name },
    spec: {
      replicas: 0,
      selector: { matchLabels: { app: name } },
      template: {
        metadata: { labels: { app: name } },
        spec: { containers: [{ name: 'c', image: 'img:1' }] },
      },
    },
  };
}
