import { describe, expect, it } from 'vitest';
import { gql, useTestServer } from '../../../support/server.ts';

describe('HTTP surface', () => {
  const server = useTestServer();

  const get = (path: string, init?: RequestInit) => fetch(`${server.url}${path}`, init);

  it('answers /healthz and /readyz once migrated', async () => {
    expect((await get('/healthz')).status).toBe(200);
    const ready = await get('/readyz');
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready' });
  });

  it('answers a GraphQL query at /graphql', async () => {
    const { status, body } = await gql(server, '{ __typename }');
    expect(status).toBe(200);
    expect(body.data).toEqual({ __typename: 'Query' });
  });

  it('serves GraphiQL to a browser and JSON to a client on the same path', async () => {
    const page = await get('/graphql', { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    expect(await page.text()).toMatch(/GraphiQL/i);
  });

  it('refuses malformed GraphQL with a 400 and a message, never a stack trace', async () => {
    const { status, body } = await gql(server, '{ alertSettings { ');
    expect(status).toBe(400);
    expect(body.errors?.[0]?.message).toMatch(/Syntax Error/);
    expect(JSON.stringify(body)).not.toMatch(/at .*\.ts:\d+/);

    const notJson = await get('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: '{nope',
    });
    expect(notJson.status).toBe(400);
  });

  it('echoes a given request id and makes one up otherwise', async () => {
    expect(
      (await get('/healthz', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id'),
    ).toBe('abc-123');
    expect((await get('/healthz')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('exposes Prometheus metrics for HTTP requests and GraphQL operations', async () => {
    await gql(server, 'query Metrics_Probe { alertSettings { dailyReports } }');
    const text = await (await get('/metrics')).text();
    expect(text).toMatch(
      /justiam_cp_http_requests_total\{method="POST",route="\/graphql",status="200"\} \d+/,
    );
    // Labelled by the root field, never by the name the client chose.
    expect(text).toMatch(
      /justiam_cp_graphql_operations_total\{operation="alertSettings",type="query",outcome="ok"\} \d+/,
    );
    expect(text).toMatch(
      /justiam_cp_graphql_operation_duration_seconds_bucket\{le="0.005",operation="alertSettings"/,
    );
    expect(text).not.toContain('Metrics_Probe');
  });

  it('keeps /metrics bounded whatever operation names clients send', async () => {
    const before = (await (await get('/metrics')).text()).length;
    for (let i = 0; i < 200; i++)
      await gql(server, `query Client_Chosen_${i} { alertSettings { dailyReports } }`);
    await gql(server, '{ __typename }');
    const text = await (await get('/metrics')).text();
    expect(text).not.toMatch(/Client_Chosen_/);
    expect(text).toMatch(/operation="other"/);
    expect(text.length - before).toBeLessThan(5000);
  });

  it('redirects / to the UI', async () => {
    const res = await get('/', { redirect: 'manual' });
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe('/ui/');
  });

  it('answers unknown paths with a JSON 404', async () => {
    const res = await get('/nope');
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: 'NOT_FOUND', message: 'no route for GET /nope' } });
  });

  it('serves an OpenAPI 3.1 document of the REST routes', async () => {
    const doc = (await (await get('/openapi.json')).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(['/audit', '/settings/alerts']));
  });
});
