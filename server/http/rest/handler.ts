import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ExecutionResult } from 'graphql';
import { SELF_SERVICE_MUTATIONS } from '../../../schema/auth.ts';
import { ADMIN_REQUIRED, AUTHENTICATION_REQUIRED } from '../../domain/auth/principal.ts';
import type { AuthService } from '../auth.ts';
import { decodeComponent, hasNul } from '../decode.ts';
import type { Yoga } from '../graphql.ts';
import { clientOf, RateLimited } from '../rate-limit.ts';
import { readJsonBody, sendJson } from '../respond.ts';
import { httpStatusOf, RETRY_AFTER_SECONDS } from '../status.ts';
import { toSnakeKeys } from './case.ts';
import { enumLowering } from './enum-values.ts';
import type { HttpMethod, RestRoute } from './route.ts';

type Matcher = { route: RestRoute; pattern: RegExp; keys: string[]; lowerEnums: (data: unknown) => unknown };

export type RestErrorBody = { error: { code: string; message: string; details?: unknown } };

/** Forwarded to the GraphQL request, so tracing and the CSRF check see what the caller sent. */
const FORWARDED_HEADERS = [
  'authorization',
  'cookie',
  'x-request-id',
  'origin',
  'user-agent',
  'x-graphql-yoga-csrf',
];

/**
 * The REST compatibility layer: matches a route, authenticates and authorizes the caller once,
 * validates its snake_case input, runs the route's GraphQL document through yoga with that
 * principal (same context, plugins and masking as /graphql), and maps the outcome to a status and
 * a snake_case body.
 */
export function createRestHandler(yoga: Yoga, routes: RestRoute[], auth: Pick<AuthService, 'authenticate'>) {
  const matchers: Matcher[] = routes.map((route) => {
    const keys: string[] = [];
    const source = route.path.replace(/:([a-z_]+)/gi, (_, key: string) => {
      keys.push(key);
      return '([^/]+)';
    });
    return {
      route,
      keys,
      pattern: new RegExp(`^${source}/?$`),
      lowerEnums: enumLowering(yoga.getEnveloped().schema, route.document),
    };
  });

  /** The route for a request, or `allowed` methods when only the method is wrong. */
  function match(method: string, pathname: string) {
    const allowed: HttpMethod[] = [];
    for (const m of matchers) {
      const found = m.pattern.exec(pathname);
      if (!found) continue;
      if (m.route.method !== method) {
        allowed.push(m.route.method);
        continue;
      }
      const decoded = m.keys.map((k, i) => [k, decodeComponent(found[i + 1]!)] as const);
      // Malformed percent-encoding or a NUL in the path: the route matched, the input did not.
      const params = decoded.every(([, v]) => v !== undefined)
        ? (Object.fromEntries(decoded) as Record<string, string>)
        : undefined;
      return { matcher: m, params, allowed };
    }
    return { matcher: undefined, params: {}, allowed };
  }

  /** Handles the request when a route matches; returns the route's path pattern, or null when none does. */
  return async function handleRest(
    req: IncomingMessage,
    res: ServerResponse,
    url: URL,
  ): Promise<string | null> {
    const { matcher, params, allowed } = match(req.method ?? 'GET', url.pathname);
    if (!matcher) {
      if (allowed.length === 0) return null;
      sendError(
        res,
        405,
        'METHOD_NOT_ALLOWED',
        `${req.method} is not allowed on ${url.pathname}`,
        undefined,
        {
          allow: allowed.join(', '),
        },
      );
      return 'method-not-allowed';
    }
    const { route } = matcher;
    if (!params) {
      sendError(res, 400, 'BAD_REQUEST', 'the path holds malformed percent-encoding or a NUL character');
      return route.path;
    }

    // Refuse strangers, then callers without the role, before looking at what they sent.
    let principal: Awaited<ReturnType<typeof auth.authenticate>>;
    try {
      principal = await auth.authenticate(req.headers, clientOf(req));
    } catch (error) {
      if (!(error instanceof RateLimited)) throw error;
      sendError(res, 429, 'RATE_LIMITED', error.message, undefined, {
        'retry-after': String(error.retryAfterSeconds),
      });
      return route.path;
    }
    if (!principal) {
      sendError(res, 401, 'UNAUTHENTICATED', AUTHENTICATION_REQUIRED);
      return route.path;
    }
    if (accessOf(route) === 'admin' && principal.role !== 'admin') {
      sendError(res, 403, 'FORBIDDEN', ADMIN_REQUIRED);
      return route.path;
    }

    if ([...url.searchParams].some(([k, v]) => hasNul(k) || hasNul(v))) {
      sendError(res, 400, 'BAD_REQUEST', 'the query string holds a NUL character');
      return route.path;
    }
    const query = route.query
      ? route.query.safeParse(Object.fromEntries(url.searchParams))
      : { success: true as const, data: undefined };
    if (!query.success) {
      sendError(
        res,
        400,
        'VALIDATION_FAILED',
        describeIssues('query', query.error.issues),
        issuesOf(query.error.issues),
      );
      return route.path;
    }
    let body: unknown;
    if (route.body) {
      // A body whose fields are all optional may be left out altogether.
      const read = await readJsonBody(req, route.body.safeParse({}).success ? {} : undefined);
      if (!read.ok) {
        sendError(res, read.status, read.code, read.message);
        return route.path;
      }
      const parsed = route.body.safeParse(read.value);
      if (!parsed.success) {
        sendError(
          res,
          400,
          'VALIDATION_FAILED',
          describeIssues('body', parsed.error.issues),
          issuesOf(parsed.error.issues),
        );
        return route.path;
      }
      body = parsed.data;
    }

    const headers = new Headers({ 'content-type': 'application/json', accept: 'application/json' });
    for (const name of FORWARDED_HEADERS) {
      const value = req.headers[name];
      if (typeof value === 'string') headers.set(name, value);
    }
    // The result comes back as an object (graphql.ts, resultToRest), not as JSON to parse again;
    // an answer yoga made before executing anything is read from the response instead.
    const capture: { result?: ExecutionResult } = {};
    const response = await yoga.fetch(
      'http://localhost/graphql',
      {
        method: 'POST',
        headers,
        body: JSON.stringify({
          query: route.document,
          variables: route.variables({ params, query: query.data, body }),
        }),
      },
      { req, res, principal, capture },
    );
    const result = (capture.result ?? (await response.json())) as Answer;

    if (result.errors?.length) {
      const first = result.errors[0]!;
      const code =
        typeof first.extensions?.code === 'string' ? first.extensions.code : 'INTERNAL_SERVER_ERROR';
      const status = capture.result ? statusOf(result) : response.status;
      sendError(res, httpStatusOf(code) ?? (status >= 400 ? status : 500), code, first.message);
      return route.path;
    }
    const data = matcher.lowerEnums(result.data) as Record<string, unknown> | null | undefined;
    let value: unknown = data?.[route.field] ?? null;
    if (value && typeof value === 'object' && '__typename' in value) {
      const typed = value as {
        __typename: string;
        code?: string;
        message?: string;
        issues?: unknown;
        data?: unknown;
      };
      if (typed.message !== undefined && typed.code !== undefined) {
        const status = httpStatusOf(typed.code, typed.__typename) ?? 422;
        sendError(res, status, typed.code, typed.message, typed.issues);
        return route.path;
      }
      if (typed.__typename.endsWith('Success')) value = typed.data ?? null;
    }
    // Nothing found, or the part of it the route answers with is absent (`tenant { backup }`).
    const answer = value === null ? null : route.respond ? route.respond(value) : value;
    if (answer === null || answer === undefined) {
      sendError(res, 404, 'NOT_FOUND', `nothing found at ${url.pathname}`);
      return route.path;
    }
    sendJson(res, route.status ?? 200, toSnakeKeys(answer));
    return route.path;
  };
}

type Answer = {
  data?: Record<string, unknown> | null;
  extensions?: { http?: { status?: unknown } };
  errors?: readonly { message: string; extensions?: { code?: unknown; http?: { status?: unknown } } }[];
};

/**
 * The HTTP status yoga would have answered `result` with (its getResponseInitByRespectingErrors):
 * the result's own, else the highest an error declares, else 500 for an error before execution
 * that nobody declared, else 200.
 */
function statusOf(result: Answer): number {
  const declared = (value: unknown) => (typeof value === 'number' ? value : undefined);
  let status = declared(result.extensions?.http?.status);
  for (const error of result.errors ?? []) {
    const own = declared(error.extensions?.http?.status);
    if (own && (!status || own > status)) status = own;
  }
  return status ?? (result.errors?.length && !('data' in result) ? 500 : 200);
}

/**
 * Who may call a route, as the schema decides it for the route's field: operators for reads,
 * admins for writes, every operator for the caller's own account (SELF_SERVICE_MUTATIONS).
 */
export function accessOf(route: RestRoute): 'admin' | 'operator' {
  if (!/^\s*mutation\b/.test(route.document)) return 'operator';
  return SELF_SERVICE_MUTATIONS.includes(route.field) ? 'operator' : 'admin';
}

function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  details?: unknown,
  headers: Record<string, string> = status === 503 ? { 'retry-after': String(RETRY_AFTER_SECONDS) } : {},
) {
  const body: RestErrorBody = { error: { code, message, ...(details === undefined ? {} : { details }) } };
  sendJson(res, status, body, headers);
}

type Issue = { path: PropertyKey[]; message: string };

function issuesOf(issues: Issue[]) {
  return issues.map((i) => ({ path: i.path.map(String).join('.') || '(root)', message: i.message }));
}

function describeIssues(where: string, issues: Issue[]): string {
  return `invalid ${where}: ${issuesOf(issues)
    .map((i) => `${i.path}: ${i.message}`)
    .join('; ')}`;
}
