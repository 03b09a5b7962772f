import type { IncomingMessage, ServerResponse } from 'node:http';
import { useGraphQlJit as compiledExecution } from '@envelop/graphql-jit';
import { maxAliasesPlugin } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthPlugin } from '@escape.tech/graphql-armor-max-depth';
import { maxDirectivesPlugin } from '@escape.tech/graphql-armor-max-directives';
import { maxTokensPlugin } from '@escape.tech/graphql-armor-max-tokens';
import { type DefinitionNode, type ExecutionArgs, type ExecutionResult, GraphQLError, Kind } from 'graphql';
import { useServer as serveGraphQLWs } from 'graphql-ws/use/ws';
import {
  createGraphQLError,
  createYoga,
  isAsyncIterable,
  maskError,
  type Plugin,
  type YogaServerInstance,
} from 'graphql-yoga';
import type { WebSocket, WebSocketServer } from 'ws';
import { schema } from '../../schema/index.ts';
import type { GraphQLContext, Services } from '../context.ts';
import { databaseUnavailability } from '../db/unavailable.ts';
import { ANONYMOUS_ACTOR } from '../domain/actor.ts';
import { actorOf, type Principal } from '../domain/auth/principal.ts';
import { isRevocation } from '../domain/auth/principal-cache.ts';
import { DomainError } from '../domain/errors.ts';
import { hasNul } from './decode.ts';
import type { Metrics } from './metrics.ts';
import { clientOf, RateLimited } from './rate-limit.ts';
import { requestIdOf } from './request-id.ts';
import { shareSubscriptions } from './shared-subscriptions.ts';
import { errorKindOf, httpStatusOf, RETRY_AFTER_SECONDS } from './status.ts';

/** HTTP requests carry `req`; WebSocket operations also carry the principal found at connection time. */
type ServerContext = {
  req: IncomingMessage;
  res?: ServerResponse;
  principal?: Principal | null;
  /** Set by a REST route: the result is left here as it is, not written as JSON (`resultToRest`). */
  capture?: { result?: ExecutionResult };
};

export type Yoga = YogaServerInstance<ServerContext, GraphQLContext>;

/** The one GraphQL server behind /graphql, graphql-ws and the REST routes. */
export function createGraphQL(services: Services, metrics: Metrics): Yoga {
  const { logger, config, auth } = services;
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    // Served by app.ts instead (graphiql-page.ts), under the console's Content-Security-Policy.
    graphiql: false,
    landingPage: false,
    // Bounded before yoga instead (app.ts: a Content-Length is required and at most 1 MiB, and
    // node reads no more than it says; REST sends its own bodies). Yoga's own limit pipes every
    // body through a stream that counts it, ~0.2 ms a request.
    maxRequestBodySize: false,
    cors: corsFor(config.corsOrigins),
    logging: {
      debug: (...args) => logger.debug({ component: 'graphql' }, args.map(String).join(' ')),
      info: (...args) => logger.info({ component: 'graphql' }, args.map(String).join(' ')),
      warn: (...args) => logger.warn({ component: 'graphql' }, args.map(String).join(' ')),
      error: (...args) => {
        const err = args.find((a) => a instanceof Error) as (Error & { originalError?: unknown }) | undefined;
        // A domain error is the caller's mistake, already answered with its message: not ours to alarm about.
        if (err?.originalError instanceof DomainError)
          logger.debug({ component: 'graphql', code: err.originalError.code }, err.message);
        else logger.error({ component: 'graphql', err }, 'graphql error');
      },
    },
    plugins: [
      metrics.yogaPlugin,
      requestErrorsAre400,
      jsonBodiesOnly,
      noNulInput,
      ...documentLimits(),
      csrfForCookieMutations,
      resultToRest,
      // Each document is compiled once (graphql-jit) and run as a specialised function, faster
      // than the generic executor on lists (README, "Hot paths against their floors").
      compiledExecution(),
    ],
    // Never the original error's message or stack, in development either: they can quote input
    // or internals, and our own errors already say what is wrong.
    maskedErrors: { maskError: exposeDomainErrors, isDev: false },
    context: async (initial): Promise<GraphQLContext> => {
      const { req } = initial;
      const requestId = requestIdOf(req);
      // REST and WebSocket callers were authenticated already: they pass the principal along.
      const principal =
        initial.principal !== undefined
          ? initial.principal
          : await auth.authenticate(req.headers, clientOf(req));
      return {
        services,
        principal,
        actor: principal ? actorOf(principal) : ANONYMOUS_ACTOR,
        logger: logger.child({ requestId, ...(principal ? { operator: principal.operator.id } : {}) }),
        requestId,
        csrfOk: auth.csrfOk(req.headers),
      };
    },
  });
}

/**
 * Limits a document must keep before it is executed, each refused with a GraphQL error naming it
 * (GraphQL Armor): tokens while it is parsed (so a huge document is never built), then depth,
 * aliases and directives while it is validated. Our own documents stay far inside (the largest
 * has about 100 tokens and depth 6); the cost of what it selects is limited by the schema's
 * complexity rules (schema/complexity.ts).
 */
export const DOCUMENT_LIMITS = { tokens: 2000, depth: 14, aliases: 30, directives: 20 };

function documentLimits() {
  return [
    maxTokensPlugin({ n: DOCUMENT_LIMITS.tokens, exposeLimits: true }),
    maxDepthPlugin({ n: DOCUMENT_LIMITS.depth, exposeLimits: true, flattenFragments: true }),
    maxAliasesPlugin({ n: DOCUMENT_LIMITS.aliases, exposeLimits: true }),
    maxDirectivesPlugin({ n: DOCUMENT_LIMITS.directives, exposeLimits: true }),
  ];
}

/**
 * Cross-origin calls: none unless CORS_ORIGINS lists the calling page's origin, which then gets
 * credentials (the session cookie) too. A page on another port or a sibling subdomain must not
 * read what an operator's cookie would reveal.
 */
function corsFor(origins: string[]) {
  if (origins.length === 0) return false;
  const allowed = new Set(origins);
  return (request: Request) => {
    const origin = request.headers.get('origin');
    if (!origin || !allowed.has(origin)) return false as const;
    return {
      origin,
      credentials: true,
      methods: ['GET', 'POST'],
      allowedHeaders: ['content-type', 'authorization', 'x-graphql-yoga-csrf', 'x-request-id'],
    };
  };
}

/**
 * Serves graphql-ws on the same path, through yoga's envelop so WebSocket operations get the same
 * context, plugins and error masking as HTTP ones. The connection authenticates once, with
 * `connectionParams.authorization` (Bearer API token) or the session cookie of the upgrade
 * request; each subscription re-checks it, and the socket is closed (4401) when the session ends,
 * the token is revoked, or either expires.
 */
export function attachGraphQLWs(
  yoga: Yoga,
  wss: WebSocketServer,
  deps: Pick<Services, 'auth' | 'bus' | 'logger'>,
  metrics?: Pick<Metrics, 'countSubscription'>,
) {
  type RootValue = {
    execute: (args: ExecutionArgs) => unknown;
    subscribe: (args: ExecutionArgs) => unknown;
    /** Subscribers with the same key share one execution per event (shared-subscriptions.ts). */
    shareKey: string;
  };
  type Extra = { request: IncomingMessage; principal?: Principal; expiry?: NodeJS.Timeout };
  /** Open sockets by their credential's id and by their operator's id: what `auth.revoked` names. */
  const byCredential = new Map<string, Set<WebSocket>>();
  const keysOf = (principal: Principal) => [principal.via.id, principal.operator.id];

  const credentialsOf = (params: Record<string, unknown> | undefined, request: IncomingMessage) => {
    const authorization = params?.authorization ?? params?.Authorization;
    return typeof authorization === 'string' ? { authorization } : { cookie: request.headers.cookie };
  };
  const closeAll = (credential: string, reason: string) => {
    for (const socket of byCredential.get(credential) ?? []) socket.close(4401, reason);
  };

  const revoked = deps.bus.subscribe('auth.revoked');
  void (async () => {
    for await (const event of revoked as AsyncIterable<unknown>) {
      // Anyone who can connect to the database can NOTIFY: only a well-formed revocation counts.
      if (!isRevocation(event)) continue;
      if (event.kind === 'all') {
        for (const id of [...byCredential.keys()]) closeAll(id, 'credentials ended');
      } else closeAll(event.id, `${event.kind} ended`);
    }
  })();

  const shared = shareSubscriptions<ExecutionArgs>(
    (args) => (args.rootValue as RootValue).subscribe(args),
    (args) => metrics?.countSubscription(args.document, args.operationName),
  );

  const server = serveGraphQLWs<Record<string, unknown>, Extra>(
    {
      execute: (args) => (args.rootValue as RootValue).execute(args) as never,
      subscribe: (args) => shared.subscribe(args, (args.rootValue as RootValue).shareKey) as never,
      onConnect: async (ctx) => {
        const credentials = credentialsOf(ctx.connectionParams, ctx.extra.request);
        // A page of another origin can open a socket that carries the operator's cookie:
        // cookie-authenticated sockets must come from our own pages (tokens may come from anywhere).
        if ('cookie' in credentials && !deps.auth.cookieOriginOk(ctx.extra.request.headers.origin)) {
          return false;
        }
        const principal = await deps.auth
          .authenticate(credentials, clientOf(ctx.extra.request))
          .catch((error: unknown) => {
            if (error instanceof RateLimited) return null;
            throw error;
          });
        if (!principal) return false;
        ctx.extra.principal = principal;
        for (const key of keysOf(principal)) {
          const sockets = byCredential.get(key) ?? new Set();
          sockets.add(ctx.extra.socket);
          byCredential.set(key, sockets);
        }
        const ms = Math.min(principal.via.expiresAt.getTime() - Date.now(), 2 ** 31 - 1);
        ctx.extra.expiry = setTimeout(
          () => ctx.extra.socket.close(4401, 'credentials expired'),
          Math.max(0, ms),
        );
        return true;
      },
      onClose: (ctx) => {
        clearTimeout(ctx.extra.expiry);
        if (!ctx.extra.principal) return;
        for (const key of keysOf(ctx.extra.principal)) {
          byCredential.get(key)?.delete(ctx.extra.socket);
          if (byCredential.get(key)?.size === 0) byCredential.delete(key);
        }
      },
      onSubscribe: async (ctx, _id, params) => {
        // Sessions also end by idling or on another replica: check again for every new subscription.
        const principal = await deps.auth.authenticate(
          credentialsOf(ctx.connectionParams, ctx.extra.request),
        );
        if (!principal) {
          ctx.extra.socket.close(4401, 'credentials are no longer valid');
          return [
            createGraphQLError('credentials are no longer valid', {
              extensions: { code: 'UNAUTHENTICATED' },
            }),
          ];
        }
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({
          ...ctx,
          req: ctx.extra.request,
          socket: ctx.extra.socket,
          principal,
          params,
        });
        // A bad document is this subscription's error alone: thrown, graphql-ws would close the
        // whole socket (4500) and end the client's other subscriptions with it.
        if (hasNul(params.query) || JSON.stringify(params.variables ?? {}).includes('\\u0000')) {
          return [
            createGraphQLError('the request holds a NUL character', { extensions: { code: 'BAD_REQUEST' } }),
          ];
        }
        let document: ReturnType<typeof parse>;
        try {
          document = parse(params.query);
        } catch (error) {
          return [
            error instanceof GraphQLError
              ? error
              : createGraphQLError('the document could not be parsed', {
                  extensions: { code: 'GRAPHQL_PARSE_FAILED' },
                }),
          ];
        }
        const args = {
          schema,
          operationName: params.operationName,
          document,
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: {
            execute,
            subscribe,
            shareKey: JSON.stringify([
              principal.operator.id,
              principal.role,
              params.operationName ?? null,
              params.query,
              params.variables ?? null,
            ]),
          },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );
  return {
    /** Subscriptions receiving events now, and the executions they share (one per distinct subscription). */
    subscriptions: () => ({ subscribers: shared.subscribers, executions: shared.executions }),
    async dispose() {
      await revoked.return?.();
      await server.dispose();
    },
  };
}

/**
 * Domain errors thrown outside a mutation's error union (e.g. a bad cursor in a query) are meant
 * for the caller: keep their message and code, with a matching HTTP status. Everything else stays
 * masked as "Unexpected error.".
 */
function exposeDomainErrors(error: unknown, message: string, isDev?: boolean): Error {
  const original = (error as { originalError?: unknown }).originalError;
  if (original instanceof DomainError) {
    const path = (error as { path?: readonly (string | number)[] }).path;
    return createGraphQLError(original.message, {
      path,
      extensions: {
        code: original.code,
        http: { status: httpStatusOf(original.code, errorKindOf(original)) },
      },
    });
  }
  // The control plane's own database is down or full: an outage to wait out, not a bug.
  const limited = original ?? error;
  if (limited instanceof RateLimited) {
    return createGraphQLError(limited.message, {
      extensions: {
        code: 'RATE_LIMITED',
        http: { status: 429, headers: { 'retry-after': String(limited.retryAfterSeconds) } },
      },
    });
  }
  // Errors from the context (authentication) arrive unwrapped; those from resolvers, wrapped.
  const outage = databaseUnavailability(original ?? error);
  if (outage) {
    const path = (error as { path?: readonly (string | number)[] }).path;
    return createGraphQLError(`${outage}; try again shortly`, {
      path,
      extensions: {
        code: 'DATABASE_UNAVAILABLE',
        http: { status: 503, headers: { 'retry-after': String(RETRY_AFTER_SECONDS) } },
      },
    });
  }
  const masked = maskError(error, message, isDev);
  // Yoga's request parser attaches the JSON parser's own error (its text quotes the body back);
  // the message already says what is wrong.
  const extensions = (masked as { extensions?: Record<string, unknown> }).extensions;
  if (extensions && 'originalError' in extensions) {
    const { originalError: _, ...rest } = extensions;
    return createGraphQLError(masked.message, { extensions: rest });
  }
  return masked;
}

/**
 * REST routes run their document through yoga (rest/handler.ts) and shape the answer themselves:
 * the result is handed to them as it is, instead of written as JSON here only to be parsed there
 * (two passes over every answer). Batches and streams are never a route's, and go the usual way.
 */
const resultToRest: Plugin<Record<string, unknown>, ServerContext> = {
  onResultProcess({ serverContext, result, setResultProcessor }) {
    const capture = serverContext.capture;
    if (!capture || Array.isArray(result) || isAsyncIterable(result)) return;
    setResultProcessor((processed, fetchAPI) => {
      capture.result = processed as ExecutionResult;
      return new fetchAPI.Response(null, { status: 204 });
    }, 'application/json');
  },
};

/**
 * A request that never executed (unparseable, invalid against the schema, bad variables) is the
 * client's fault: answer 400 whatever media type was asked for. Yoga alone keeps 200 for plain
 * `application/json`, as the older GraphQL-over-HTTP rules say.
 */
const requestErrorsAre400: Plugin = {
  onResultProcess({ result, setResult }) {
    if (Array.isArray(result) || isAsyncIterable(result)) return;
    const executed = 'data' in result;
    const unexpected = result.errors?.some(
      (e) => (e as { extensions?: { unexpected?: boolean } }).extensions?.unexpected,
    );
    if (!executed && result.errors?.length && !unexpected) {
      setResult({ ...result, extensions: { ...result.extensions, http: { status: 400 } } });
    }
  },
};

/** What a POST to /graphql may carry: the JSON forms and GraphQL text, none of which a cross-site form can send. */
const POST_MEDIA_TYPES = new Set(['application/json', 'application/graphql+json', 'application/graphql']);

/**
 * Refuses form bodies (urlencoded, multipart) and any other POST that is not JSON: a cross-site
 * form can post those without a preflight, riding on the session cookie, and our clients never
 * send them. Yoga reads only the first type of a list, so that is the one judged.
 */
const jsonBodiesOnly: Plugin = {
  onRequestParse({ request }) {
    if (request.method !== 'POST') return;
    const type = (request.headers.get('content-type') ?? '').split(',')[0]!.split(';')[0]!;
    if (POST_MEDIA_TYPES.has(type)) return;
    throw createGraphQLError(
      `${type || 'a body without a content type'} is not accepted: send GraphQL requests as application/json`,
      { extensions: { code: 'UNSUPPORTED_MEDIA_TYPE', http: { status: 415 } } },
    );
  },
};

/**
 * A NUL in the document or the variables: no name, slug or token holds one and PostgreSQL
 * refuses it in text, so it is the caller's mistake (400), not ours (500).
 */
const noNulInput: Plugin = {
  onParams({ params }) {
    const nul = hasNul(params.query ?? '') || JSON.stringify(params.variables ?? {}).includes('\\u0000');
    if (nul) {
      throw createGraphQLError('the request holds a NUL character', {
        extensions: { code: 'BAD_REQUEST', http: { status: 400 } },
      });
    }
  },
};

/**
 * A mutation authenticated by the session cookie must prove it was sent by our own pages: yoga's
 * CSRF header or a same-origin Origin. Bearer-token callers are not exposed to CSRF and skip this.
 * Any mutation in the document counts, not only the first operation: graphql-js executes the one
 * `operationName` picks, so `query A {…} mutation B {…}` with `operationName: "B"` must not pass
 * as a query.
 */
const csrfForCookieMutations: Plugin<GraphQLContext> = {
  onExecute({ args }) {
    const ctx = args.contextValue;
    if (ctx.principal?.via.kind !== 'session' || ctx.csrfOk) return;
    const mutates = args.document.definitions.some(
      (d: DefinitionNode) => d.kind === Kind.OPERATION_DEFINITION && d.operation === 'mutation',
    );
    if (mutates) {
      throw createGraphQLError(
        'cross-site request refused: send the x-graphql-yoga-csrf header (any value)',
        {
          extensions: { code: 'FORBIDDEN', http: { status: 403 } },
        },
      );
    }
  },
};
