import { builder } from './builder.ts';

// Every root field needs a signed-in operator, and every mutation the admin role. Scopes sit on
// the root types, so a field added later is protected without anyone remembering to.
builder.queryType({ authScopes: { operator: true } });
builder.mutationType({ authScopes: { admin: true } });
builder.subscriptionType({ authScopes: { operator: true } });
