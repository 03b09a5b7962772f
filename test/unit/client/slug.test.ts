import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { slugFromName } from '../../../client/src/tenants/slug.ts';
import { slugSchema } from '../../../server/domain/tenants/slug.ts';
import { RESERVED_SLUGS, slugProblem } from '../../../server/domain/tenants/slug-rules.ts';

const serverMessages = (slug: string) => {
  const parsed = slugSchema.safeParse(slug);
  return parsed.success ? [] : parsed.error.issues.map((issue) => issue.message);
};

describe('slug rules (shared by the API and the UI)', () => {
  it('accepts DNS labels of 3 to 40 lowercase letters, digits and single hyphens', () => {
    for (const slug of ['abc', 'acme', 'acme-corp', 'a1b', 'x'.repeat(40), 'team-42-eu']) {
      expect(slugProblem(slug), slug).toBeNull();
    }
  });

  it('says what is wrong, in the words the API uses', () => {
    expect(slugProblem('ab')).toBe('must be at least 3 characters');
    expect(slugProblem('x'.repeat(41))).toBe('must be at most 40 characters');
    expect(slugProblem('Acme')).toMatch(/^must be lowercase letters, digits and hyphens/);
    expect(slugProblem('-acme')).toMatch(/starting and ending with a letter or digit/);
    expect(slugProblem('acme-')).toMatch(/starting and ending with a letter or digit/);
    expect(slugProblem('ac me')).toMatch(/lowercase letters, digits and hyphens/);
    expect(slugProblem('ac--me')).toBe('must not contain two hyphens in a row');
    expect(slugProblem('admin')).toBe('"admin" is reserved');
    expect(slugProblem('kube-system')).toBe('"kube-system" is reserved');
  });

  it('the API schema refuses exactly what slugProblem refuses, with its message', () => {
    const slugish = fc.stringMatching(/^[a-zA-Z0-9 _.-]{0,44}$/);
    const near = fc.oneof(
      slugish,
      fc.constantFrom(...RESERVED_SLUGS),
      fc.string().map((s) => `kube-${s}`),
      fc.string({ maxLength: 45 }),
    );
    fc.assert(
      fc.property(near, (slug) => {
        const problem = slugProblem(slug);
        const server = serverMessages(slug);
        expect(problem === null, `${JSON.stringify(slug)}: ${problem} vs ${server.join('; ')}`).toBe(
          server.length === 0,
        );
        if (problem) expect(server).toContain(problem);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('slugFromName', () => {
  it('turns a name into a slug the operator can keep', () => {
    expect(slugFromName('Acme Corp.')).toBe('acme-corp');
    expect(slugFromName('  Zürich Öffentliche Dienste ')).toBe('zurich-offentliche-dienste');
    expect(slugFromName('R&D -- Labs')).toBe('r-d-labs');
    expect(slugFromName('')).toBe('');
  });

  it('never suggests more than 40 characters or a trailing hyphen', () => {
    const slug = slugFromName('The Very Long Name Of A Company That Goes On And On');
    expect(slug.length).toBeLessThanOrEqual(40);
    expect(slug.endsWith('-')).toBe(false);
    expect(slugProblem(slug)).toBeNull();
  });
});
