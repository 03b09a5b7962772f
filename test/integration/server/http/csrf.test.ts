import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CookieJar, loginThroughDevIssuer } from '../../../support/browser-flow.ts';
import { createTestDatabase, type TestDatabase } from '../../../support/db.ts';
import { gql, startTestServer, type TestServer } from '../../../support/server.ts';

/**
 * What a cross-site page could make a logged-in operator's browser send: the session cookie rides
 * along, the CSRF header cannot be added without a preflight, and the Origin is the attacker's.
 */
describe('CSRF: cookie-authenticated mutations', () => {
  let database: TestDatabase;
  let server: TestServer;
  const jar = new CookieJar();

  beforeAll(async () => {
    database = await createTestDatabase();
    server = await startTestServer(database.url);
    await loginThroughDevIssuer(jar, server.url, 'csrf-admin');
    expect(jar.get(server.url, 'cp_session')).toBeTruthy();
  });
  afterAll(async () => {
    await server?.stop();
    await database?.drop();
  });

  /** The current value, read as the admin over a bearer token (no cookie involved). */
  const dailyReports = async () =>
    (await gql<{ alertSettings: { dailyReports: boolean } }>(server, '{ alertSettings { dailyReports } }'))
      .body.data!.alertSettings.dailyReports;

  /** A document whose first operation is a harmless query and whose second flips `dailyReports`. */
  const smuggled = (value: boolean) =>
    `query A { __typename } mutation B { updateAlertSettings(input: {dailyReports: ${value}}) { __typename } }`;

  const post = (contentType: string, body: string, headers: Record<string, string> = {}) =>
    jar.fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...headers },
      body,
    });

  it('refuses a mutation sent as the second operation of a JSON document (403) and changes nothing', async () => {
    const before = await dailyReports();
    const res = await post(
      'application/json',
      JSON.stringify({ query: smuggled(!before), operationName: 'B' }),
    );
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).errors[0]).toMatchObject({
      message: expect.stringMatching(/cross-site request refused/),
      extensions: { code: 'FORBIDDEN' },
    });
    expect(await dailyReports()).toBe(before);
  });

  it('runs the same two-operation document when the CSRF header proves our own page sent it', async () => {
    const before = await dailyReports();
    const res = await post(
      'application/json',
      JSON.stringify({ query: smuggled(!before), operationName: 'B' }),
      { 'x-graphql-yoga-csrf': '1' },
    );
    expect(res.status).toBe(200);
    expect(await dailyReports()).toBe(!before);
  });

  it.each([
    ['form-urlencoded', (query: string) => new URLSearchParams({ query, operationName: 'B' })],
    [
      'multipart',
      (query: string) => {
        const form = new FormData();
        form.set('operations', JSON.stringify({ query, operationName: 'B' }));
        return form;
      },
    ],
    [
      'text/plain',
      (query: string) => new Blob([JSON.stringify({ query, operationName: 'B' })], { type: 'text/plain' }),
    ],
  ])(
    'refuses a %s body, which a cross-site form can send, with 415 and changes nothing',
    async (_type, bodyOf) => {
      const before = await dailyReports();
      const res = await jar.fetch(`${server.url}/graphql`, {
        method: 'POST',
        body: bodyOf(smuggled(!before)),
      });
      expect(res.status).toBe(415);
      expect(((await res.json()) as any).errors[0]).toMatchObject({
        message: expect.stringMatching(/is not accepted: send GraphQL requests as application\/json$/),
        extensions: { code: 'UNSUPPORTED_MEDIA_TYPE' },
      });
      // Not even with the header: a form is no way to talk to this API.
      const withHeader = await jar.fetch(`${server.url}/graphql`, {
        method: 'POST',
        headers: { 'x-graphql-yoga-csrf': '1' },
        body: bodyOf(smuggled(!before)),
      });
      expect(withHeader.status).toBe(415);
      expect(await dailyReports()).toBe(before);
    },
  );

  it.each([
    ['no content type', undefined, /^a body without a content type is not accepted/],
    [
      'a form type listed first',
      'application/x-www-form-urlencoded, application/json',
      /^application\/x-www-form/,
    ],
    [
      'a JSON type spaced from its parameters',
      'application/json ; charset=utf-8',
      /^application\/json {1,2}is not/,
    ],
  ])('refuses a body with %s (415), judging the type yoga would read', async (_what, type, message) => {
    const res = await jar.fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: type ? { 'content-type': type, 'x-graphql-yoga-csrf': '1' } : { 'x-graphql-yoga-csrf': '1' },
      // Bytes, so that fetch adds no content type of its own.
      body: new TextEncoder().encode(JSON.stringify({ query: '{ __typename }' })),
    });
    expect(res.status).toBe(415);
    expect(((await res.json()) as any).errors[0].message).toMatch(message);
  });

  it.each([
    ['POST', 'application/json; charset=utf-8'],
    ['POST', 'application/graphql+json'],
    ['GET', undefined],
  ])(
    'answers queries sent with the session cookie alone (%s %s): reads need no proof',
    async (method, type) => {
      const query = 'query Q { ...F alertSettings { dailyReports } } fragment F on Query { __typename }';
      const res =
        method === 'GET'
          ? await jar.fetch(`${server.url}/graphql?${new URLSearchParams({ query, operationName: 'Q' })}`, {
              headers: { accept: 'application/json' },
            })
          : await post(type!, JSON.stringify({ query, operationName: 'Q' }));
      expect(res.status).toBe(200);
      expect(((await res.json()) as any).data.alertSettings.dailyReports).toBe(await dailyReports());
    },
  );

  it.each([
    ['the public origin with a suffix', (url: string) => `${url}.evil.example`],
    ['the public origin with another port appended', (url: string) => `${url}:1`],
    ['another scheme', (url: string) => url.replace('http:', 'https:')],
    ['a cross-site origin', () => 'https://evil.example'],
  ])('refuses an Origin that is only %s (403)', async (_what, originOf) => {
    const before = await dailyReports();
    const mutation = `mutation { updateAlertSettings(input: {dailyReports: ${!before}}) { __typename } }`;
    const res = await post('application/json', JSON.stringify({ query: mutation }), {
      origin: originOf(server.url),
    });
    expect(res.status).toBe(403);
    expect(await dailyReports()).toBe(before);
  });

  it('accepts the exact public origin without the header', async () => {
    const before = await dailyReports();
    const mutation = `mutation { updateAlertSettings(input: {dailyReports: ${!before}}) { __typename } }`;
    const res = await post('application/json', JSON.stringify({ query: mutation }), { origin: server.url });
    expect(res.status).toBe(200);
    expect(await dailyReports()).toBe(!before);
  });

  it('answers an anonymous mutation as unauthenticated (401), before any CSRF question', async () => {
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: smuggled(true), operationName: 'B' }),
    });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).errors[0].extensions.code).toBe('UNAUTHENTICATED');
  });

  it('still answers bearer-token callers without the header, whatever operation comes first', async () => {
    const before = await dailyReports();
    const res = await fetch(`${server.url}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...server.headers },
      body: JSON.stringify({ query: smuggled(!before), operationName: 'B' }),
    });
    expect(res.status).toBe(200);
    expect(await dailyReports()).toBe(!before);
  });
});
