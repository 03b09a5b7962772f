import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DefinitionNode, ExecutionArgs } from 'graphql';
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
import { ANONYMOUS_ACTOR } from '../domain/actor.ts';
import { actorOf, type Principal } from '../domain/auth/principal.ts';
import { DomainError } from '../domain/errors.ts';
import type { Metrics } from './metrics.ts';
import { requestIdOf } from './request-id.ts';
import { errorKindOf, httpStatusOf } from './status.ts';

/** HTTP requests carry `req`; WebSocket operations also carry the principal found at connection time. */
type ServerContext = { req: IncomingMessage; res?: ServerResponse; principal?: Principal | null };

export type Yoga = YogaServerInstance<ServerContext, GraphQLContext>;

/** The one GraphQL server behind /graphql, graphql-ws and the REST routes. */
export function createGraphQL(services: Services, metrics: Metrics): Yoga {
  const { logger, config, auth } = services;
  return createYoga<ServerContext, GraphQLContext>({
    schema,
    graphqlEndpoint: '/graphql',
    graphiql: config.graphiql ? { title: 'JustIAM Control Plane', subscriptionsProtocol: 'WS' } : false,
    landingPage: false,
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
    plugins: [metrics.yogaPlugin, requestErrorsAre400, csrfForCookieMutations],
    maskedErrors: { maskError: exposeDomainErrors },
    context: async (initial): Promise<GraphQLContext> => {
      const { req } = initial;
      const requestId = requestIdOf(req);
      // REST and WebSocket callers were authenticated already: they pass the principal along.
      const principal =
        initial.principal !== undefined ? initial.principal : await auth.authenticate(req.headers);
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
) {
  type RootValue = { execute: (args: ExecutionArgs) => unknown; subscribe: (args: ExecutionArgs) => unknown };
  type Extra = { request: IncomingMessage; principal?: Principal; expiry?: NodeJS.Timeout };
  const byCredential = new Map<string, Set<WebSocket>>();

  const credentialsOf = (params: Record<string, unknown> | undefined, request: IncomingMessage) => {
    const authorization = params?.authorization ?? params?.Authorization;
    return typeof authorization === 'string' ? { authorization } : { cookie: request.headers.cookie };
  };
  const closeAll = (credential: string, reason: string) => {
    for (const socket of byCredential.get(credential) ?? []) socket.close(4401, reason);
  };

  const revoked = deps.bus.subscribe('auth.revoked');
  void (async () => {
    for await (const event of revoked) closeAll(event.id, `${event.kind} ended`);
  })();

  const server = serveGraphQLWs<Record<string, unknown>, Extra>(
    {
      execute: (args) => (args.rootValue as RootValue).execute(args) as never,
      subscribe: (args) => (args.rootValue as RootValue).subscribe(args) as never,
      onConnect: async (ctx) => {
        const principal = await deps.auth.authenticate(
          credentialsOf(ctx.connectionParams, ctx.extra.request),
        );
        if (!principal) return false;
        ctx.extra.principal = principal;
        const id = principal.via.id;
        const sockets = byCredential.get(id) ?? new Set();
        sockets.add(ctx.extra.socket);
        byCredential.set(id, sockets);
        const ms = Math.min(principal.via.expiresAt.getTime() - Date.now(), 2 ** 31 - 1);
        ctx.extra.expiry = setTimeout(
          () => ctx.extra.socket.close(4401, 'credentials expired'),
          Math.max(0, ms),
        );
        return true;
      },
      onClose: (ctx) => {
        clearTimeout(ctx.extra.expiry);
        const id = ctx.extra.principal?.via.id;
        if (id === undefined) return;
        byCredential.get(id)?.delete(ctx.extra.socket);
        if (byCredential.get(id)?.size === 0) byCredential.delete(id);
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
        const args = {
          schema,
          operationName: params.operationName,
          document: parse(params.query),
          variableValues: params.variables,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
        const errors = validate(args.schema, args.document);
        if (errors.length) return errors;
        return args;
      },
    },
    wss,
  );
  return {
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
  return maskError(error, message, isDev);
}

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

/**
 * A mutation authenticated by the session cookie must prove it was sent by our own pages: yoga's
 * CSRF header or a same-origin Origin. Bearer-token callers are not exposed to CSRF and skip this.
 */
const csrfForCookieMutations: Plugin<GraphQLContext> = {
  onExecute({ args }) {
    const ctx = args.contextValue;
    const operation = args.document.definitions.find((d: DefinitionNode) => d.kind === 'OperationDefinition');
    if (operation?.kind !== 'OperationDefinition' || operation.operation !== 'mutation') return;
    if (ctx.principal?.via.kind === 'session' && !ctx.csrfOk) {
      throw createGraphQLError(
        'cross-site request refused: send the x-graphql-yoga-csrf header (any value)',
        {
          extensions: { code: 'FORBIDDEN', http: { status: 403 } },
        },
      );
    }
  },
};
