import { z } from 'zod';

/** Slugs no tenant may take: they name system things in URLs, databases or the cluster. */
export const RESERVED_SLUGS = new Set([
  'admin',
  'administrator',
  'api',
  'auth',
  'cp',
  'control-plane',
  'default',
  'graphql',
  'internal',
  'justiam',
  'login',
  'metrics',
  'postgres',
  'public',
  'registry',
  'root',
  'shared',
  'static',
  'system',
  'template0',
  'template1',
  'tenant',
  'tenants',
  'ui',
  'www',
]);

/**
 * A tenant slug: a DNS-1123 label (it names Kubernetes objects and a database) of 3–40 characters,
 * no double hyphens, and not reserved.
 */
export const slugSchema = z
  .string({ message: 'is required and must be a string' })
  .min(3, 'must be at least 3 characters')
  .max(40, 'must be at most 40 characters')
  .regex(
    /^[a-z0-9]([a-z0-9-]*[a-z0-9])?$/,
    'must be lowercase letters, digits and hyphens, starting and ending with a letter or digit',
  )
  .refine((s) => !s.includes('--'), 'must not contain two hyphens in a row')
  .superRefine((s, ctx) => {
    if (RESERVED_SLUGS.has(s) || s.startsWith('kube-'))
      ctx.addIssue({ code: 'custom', message: `"${s}" is reserved` });
  });
