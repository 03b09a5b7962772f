import { builder } from './builder.ts';

// Every root field needs a signed-in operator, and every mutation the admin role. Scopes sit on
// the root types, so a field added later is protected without anyone remembering to.
builder.queryType({
  description:
    'Reads. Every field needs a signed-in operator of either role: the cp_session cookie of a sign-in, or an Authorization: Bearer API token. Without one: UNAUTHENTICATED (HTTP 401).',
  authScopes: { operator: true },
});
builder.mutationType({
  description:
    'Writes. Every field needs the admin role (a viewer gets FORBIDDEN, HTTP 403) and is recorded in the audit log. Refusals an operator can act on come back as data: each field returns a union of its success type and Error types.',
  authScopes: { admin: true },
});
builder.subscriptionType({
  description:
    'Live changes over graphql-ws on /graphql, from every replica. Every field needs a signed-in operator of either role, checked when the socket connects and at each subscription; the socket closes when the session or token ends.',
  authScopes: { operator: true },
});
