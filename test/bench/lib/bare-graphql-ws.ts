import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { GraphQLNonNull, GraphQLObjectType, GraphQLSchema, GraphQLString } from 'graphql';
import { useServer as serveGraphQLWs } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';

type Tenant = { slug: string; overview: { status: string } };

/**
 * The floor of the fan-out benchmark: a bare graphql-ws server (graphql-js, graphql-ws, ws and
 * nothing else: no yoga, no plugins, no authentication, no database) with the same
 * `tenantUpdated(slug) { slug overview { status } }` subscription, pushing one in-memory change to
 * every subscriber. The subscriber process, its client library and its document are the control
 * plane's, so the difference between the two is the control plane's own work per event.
 */
export class BareGraphQLWs {
  private readonly listeners = new Set<(tenant: Tenant) => void>();
  private tenant: Tenant;

  private constructor(
    private readonly http: Server,
    private readonly dispose: () => Promise<void>,
    slug: string,
    readonly url: string,
  ) {
    this.tenant = { slug, overview: { status: 'ok' } };
  }

  static async start(slug: string): Promise<BareGraphQLWs> {
    const http = createServer((_, res) => res.writeHead(404).end());
    const wss = new WebSocketServer({ server: http, path: '/graphql' });
    let self: BareGraphQLWs | undefined;
    const Overview = new GraphQLObjectType({
      name: 'Overview',
      fields: { status: { type: new GraphQLNonNull(GraphQLString) } },
    });
    const Tenant = new GraphQLObjectType({
      name: 'Tenant',
      fields: {
        slug: { type: new GraphQLNonNull(GraphQLString) },
        overview: { type: new GraphQLNonNull(Overview) },
      },
    });
    const schema = new GraphQLSchema({
      query: new GraphQLObjectType({ name: 'Query', fields: { ok: { type: GraphQLString } } }),
      subscription: new GraphQLObjectType({
        name: 'Subscription',
        fields: {
          tenantUpdated: {
            type: new GraphQLNonNull(Tenant),
            args: { slug: { type: new GraphQLNonNull(GraphQLString) } },
            subscribe: (_root, args: { slug: string }) => self!.iterate(args.slug),
            resolve: (tenant: Tenant) => tenant,
          },
        },
      }),
    });
    const server = serveGraphQLWs({ schema }, wss);
    await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
    const { port } = http.address() as AddressInfo;
    self = new BareGraphQLWs(http, async () => await server.dispose(), slug, `http://127.0.0.1:${port}`);
    return self;
  }

  get subscribers(): number {
    return this.listeners.size;
  }

  /** The change every subscriber will see at the next `publish`. */
  setStatus(status: string): void {
    this.tenant = { slug: this.tenant.slug, overview: { status } };
  }

  publish(): void {
    for (const listener of this.listeners) listener(this.tenant);
  }

  /** An async iterator of this tenant's changes, as a bare pub/sub would give graphql-js. */
  private iterate(slug: string): AsyncIterableIterator<Tenant> {
    const queue: Tenant[] = [];
    let wake: ((r: IteratorResult<Tenant>) => void) | undefined;
    const listener = (tenant: Tenant) => {
      if (tenant.slug !== slug) return;
      if (wake) {
        const w = wake;
        wake = undefined;
        w({ value: tenant, done: false });
      } else queue.push(tenant);
    };
    this.listeners.add(listener);
    const end = (): Promise<IteratorResult<Tenant>> => {
      this.listeners.delete(listener);
      wake?.({ value: undefined, done: true });
      wake = undefined;
      return Promise.resolve({ value: undefined, done: true });
    };
    return {
      next: () => {
        const value = queue.shift();
        if (value) return Promise.resolve({ value, done: false });
        return new Promise((resolve) => {
          wake = resolve;
        });
      },
      return: end,
      throw: end,
      [Symbol.asyncIterator]() {
        return this;
      },
    };
  }

  async stop(): Promise<void> {
    await this.dispose();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}
