import { ChangeType } from '@graphql-inspector/core';
import {
  type ASTVisitor,
  buildASTSchema,
  buildSchema,
  type DirectiveNode,
  type GraphQLSchema,
  Kind,
  parse,
  visit,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { compareSchemas } from '../../../schema/compatibility.ts';
import { printSdl } from '../../../schema/index.ts';

const sdl = printSdl();
const released = buildSchema(sdl);

/** Today's SDL changed by `visitor`, as a schema. */
const changed = (visitor: ASTVisitor, from = sdl): GraphQLSchema =>
  buildASTSchema(visit(parse(from), visitor));

const DEPRECATED: DirectiveNode = {
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: 'deprecated' },
  arguments: [
    {
      kind: Kind.ARGUMENT,
      name: { kind: Kind.NAME, value: 'reason' },
      value: { kind: Kind.STRING, value: 'Use name.' },
    },
  ],
};

/** Drops `Tenant.slug`, or marks it deprecated with `deprecate`. */
const tenantSlug = (deprecate: boolean): ASTVisitor => ({
  FieldDefinition(node, _key, _parent, _path, ancestors) {
    const type = ancestors.at(-1) as { name?: { value: string } };
    if (node.name.value !== 'slug' || type.name?.value !== 'Tenant') return;
    return deprecate ? { ...node, directives: [DEPRECATED] } : null;
  },
});

/** Drops the `search` argument of `Query.tenants`, or marks it deprecated with `deprecate`. */
const tenantsSearch = (deprecate: boolean): ASTVisitor => ({
  InputValueDefinition(node, _key, _parent, _path, ancestors) {
    const field = ancestors.at(-1) as { kind?: string; name?: { value: string } };
    if (
      node.name.value !== 'search' ||
      field.kind !== Kind.FIELD_DEFINITION ||
      field.name?.value !== 'tenants'
    )
      return;
    return deprecate ? { ...node, directives: [DEPRECATED] } : null;
  },
});

describe('breaking-change guard', () => {
  it('reports a field removed from a copy of the schema as breaking', async () => {
    const { breaking } = await compareSchemas(released, changed(tenantSlug(false)));
    expect(breaking.map((c) => [c.type, c.path])).toEqual([[ChangeType.FieldRemoved, 'Tenant.slug']]);
  });

  it('lets a field go that the release had deprecated: dangerous, not breaking', async () => {
    const { breaking, dangerous } = await compareSchemas(
      changed(tenantSlug(true)),
      changed(tenantSlug(false)),
    );
    expect(breaking).toEqual([]);
    expect(dangerous.map((c) => [c.type, c.path])).toEqual([[ChangeType.FieldRemoved, 'Tenant.slug']]);
  });

  it('treats arguments the same way: breaking to remove, dangerous once deprecated in the release', async () => {
    const removed = changed(tenantsSearch(false));
    expect((await compareSchemas(released, removed)).breaking.map((c) => c.path)).toEqual([
      'Query.tenants.search',
    ]);
    const { breaking, dangerous } = await compareSchemas(changed(tenantsSearch(true)), removed);
    expect(breaking).toEqual([]);
    expect(dangerous.map((c) => c.path)).toEqual(['Query.tenants.search']);
  });

  it('reports a new enum value as dangerous and a new description as safe, never as breaking', async () => {
    const current = buildSchema(
      sdl
        .replace('enum TenantState {', 'enum TenantState {\n  """Paused."""\n  SUSPENDED\n')
        .replace('"""A new tenant."""', '"""A tenant to create."""'),
    );
    const { breaking, dangerous, safe } = await compareSchemas(released, current);
    expect(breaking).toEqual([]);
    expect(dangerous.map((c) => c.type)).toEqual([ChangeType.EnumValueAdded]);
    expect(safe.map((c) => c.type)).toContain(ChangeType.TypeDescriptionChanged);
  });

  it('finds no change between a schema and itself', async () => {
    expect(await compareSchemas(released, buildSchema(sdl))).toEqual({
      breaking: [],
      dangerous: [],
      safe: [],
    });
  });
});
