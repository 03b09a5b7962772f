import { describe, expect, it } from 'vitest';
import {
  formatSelector,
  matchesFields,
  matchesLabels,
  parseFieldSelector,
  parseLabelSelector,
  requirementsOf,
  SelectorError,
} from '../../../../server/dev/kube-sim/selectors.ts';

const labels = { app: 'web', tier: 'front', 'justiam.io/tenant': 'acme' };
const match = (selector: string, l: Record<string, string> = labels) =>
  matchesLabels(parseLabelSelector(selector), l);

describe('label selectors', () => {
  it('equality with =, == and != (a missing key satisfies !=)', () => {
    expect(match('app=web')).toBe(true);
    expect(match('app==web')).toBe(true);
    expect(match('app=api')).toBe(false);
    expect(match('app!=api')).toBe(true);
    expect(match('app!=web')).toBe(false);
    expect(match('missing!=x')).toBe(true);
  });

  it('set-based in / notin, including values with spaces around commas', () => {
    expect(match('tier in (front, back)')).toBe(true);
    expect(match('tier in (back)')).toBe(false);
    expect(match('tier notin (back,db)')).toBe(true);
    expect(match('tier notin (front)')).toBe(false);
    expect(match('missing notin (x)')).toBe(true);
    expect(match('missing in (x)')).toBe(false);
  });

  it('exists and !key', () => {
    expect(match('justiam.io/tenant')).toBe(true);
    expect(match('!justiam.io/tenant')).toBe(false);
    expect(match('!missing')).toBe(true);
    expect(match('missing')).toBe(false);
  });

  it('requires every comma-separated term and splits only outside parentheses', () => {
    expect(match('app=web,tier in (front,back),!missing')).toBe(true);
    expect(match('app=web,tier in (back,db)')).toBe(false);
    expect(parseLabelSelector('a in (x,y),b')).toHaveLength(2);
  });

  it('an empty selector matches everything, even objects without labels', () => {
    expect(match('', {})).toBe(true);
    expect(matchesLabels(parseLabelSelector(undefined), undefined)).toBe(true);
  });

  it('rejects malformed selectors', () => {
    expect(() => parseLabelSelector('app in web')).toThrow(SelectorError);
    expect(() => parseLabelSelector('a=b c')).toThrow(SelectorError);
    expect(() => parseLabelSelector('-bad=x')).toThrow(SelectorError);
  });

  it('converts matchLabels/matchExpressions and formats them as Scale.status.selector', () => {
    const spec = {
      matchLabels: { app: 'web' },
      matchExpressions: [
        { key: 'tier', operator: 'In', values: ['front'] },
        { key: 'legacy', operator: 'DoesNotExist' },
      ],
    };
    expect(matchesLabels(requirementsOf(spec), labels)).toBe(true);
    expect(matchesLabels(requirementsOf(spec), { ...labels, legacy: 'y' })).toBe(false);
    expect(formatSelector(spec)).toBe('app=web,tier in (front),!legacy');
  });
});

describe('field selectors', () => {
  const supported = ['metadata.name', 'metadata.namespace', 'status.phase'];
  const pod = { metadata: { name: 'p1', namespace: 'ns' }, status: { phase: 'Running' } };

  it('matches = and != on supported fields', () => {
    expect(matchesFields(parseFieldSelector('metadata.name=p1', supported), pod)).toBe(true);
    expect(matchesFields(parseFieldSelector('metadata.name==p2', supported), pod)).toBe(false);
    expect(
      matchesFields(parseFieldSelector('status.phase!=Pending,metadata.namespace=ns', supported), pod),
    ).toBe(true);
  });

  it('rejects fields the resource does not index, like the API server', () => {
    expect(() => parseFieldSelector('spec.foo=bar', supported)).toThrow(
      'field label not supported: spec.foo',
    );
  });
});
