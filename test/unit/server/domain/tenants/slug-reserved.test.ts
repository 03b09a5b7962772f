import { describe, expect, it } from 'vitest';
import { slugSchema } from '../../../../../server/domain/tenants/slug.ts';
import { RESERVED_SLUGS, slugProblem } from '../../../../../server/domain/tenants/slug-rules.ts';

/**
 * A slug names URLs, a database and role, and Kubernetes objects: the names those already use are
 * taken. Each group says why; dropping a name from the list must fail here.
 */
describe('reserved slugs', () => {
  it.each([
    [
      "the control plane's own paths, parts and deployments",
      [
        'admin',
        'administrator',
        'api',
        'auth',
        'cp',
        'control-plane',
        'graphql',
        'internal',
        'justiam',
        'login',
        'metrics',
        'public',
        'registry',
        'root',
        'shared',
        'static',
        'tenant',
        'tenants',
        'ui',
        'www',
      ],
    ],
    ["PostgreSQL's own databases", ['postgres', 'template0', 'template1']],
    ['Kubernetes namespaces', ['default', 'system']],
  ])('are taken: %s', (_why, names) => {
    for (const name of names) {
      expect(RESERVED_SLUGS.has(name), name).toBe(true);
      // Names shorter than a slug can be are refused for that first.
      if (name.length >= 3) expect(slugProblem(name)).toBe(`"${name}" is reserved`);
    }
  });

  it('takes every kube- name as reserved, and nothing else by accident', () => {
    expect(slugProblem('kube-anything')).toBe('"kube-anything" is reserved');
    expect(slugProblem('kubernetes')).toBeNull();
    expect(slugProblem('admins')).toBeNull();
    expect(RESERVED_SLUGS.size).toBe(25);
  });

  it('refuses input that is no string in the words of the API', () => {
    const parsed = slugSchema.safeParse(42);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((i) => i.message)).toEqual(['is required and must be a string']);
  });
});
