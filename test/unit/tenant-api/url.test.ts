import { describe, expect, it } from 'vitest';
import { checkBaseUrlTemplate, tenantBaseUrl } from '../../../server/tenant-api/url.ts';

describe('tenantBaseUrl', () => {
  it('puts the slug where {slug} is and drops a trailing slash', () => {
    expect(tenantBaseUrl('http://backend:8080/t/{slug}', 'acme')).toBe('http://backend:8080/t/acme');
    expect(tenantBaseUrl('http://backend:8080/t/{slug}/', 'acme')).toBe('http://backend:8080/t/acme');
    expect(tenantBaseUrl('http://{slug}.backend.svc:8080', 'acme')).toBe('http://acme.backend.svc:8080');
  });

  it('escapes characters that would leave the path segment or change the URL', () => {
    expect(tenantBaseUrl('http://b/t/{slug}', 'a/b')).toBe('http://b/t/a%2Fb');
    expect(tenantBaseUrl('http://b/t/{slug}', 'a?x=1#y')).toBe('http://b/t/a%3Fx%3D1%23y');
    expect(tenantBaseUrl('http://b/t/{slug}', 'ü b')).toBe('http://b/t/%C3%BC%20b');
    expect(new URL(`${tenantBaseUrl('http://b/t/{slug}', '../admin')}/cp/v1/status`).pathname).toBe(
      '/t/..%2Fadmin/cp/v1/status',
    );
  });

  it('refuses slugs that are empty or a dot segment URL parsers would resolve away', () => {
    for (const slug of ['', '.', '..'])
      expect(() => tenantBaseUrl('http://b/t/{slug}', slug)).toThrow(TypeError);
  });
});

describe('checkBaseUrlTemplate', () => {
  it('accepts http and https templates with {slug}', () => {
    expect(() => checkBaseUrlTemplate('http://127.0.0.1:4010/t/{slug}')).not.toThrow();
    expect(() => checkBaseUrlTemplate('https://{slug}.tenants.example.com')).not.toThrow();
  });

  it.each([
    ['http://backend:8080/t/', 'must contain {slug}'],
    ['not a url {slug}', 'is not a URL'],
    ['ftp://backend/{slug}', 'must use http or https'],
    ['http://backend/t/{slug}?x=1', 'must not have a query'],
  ])('refuses %s (%s)', (template, message) => {
    expect(() => checkBaseUrlTemplate(template)).toThrow(message);
  });
});
