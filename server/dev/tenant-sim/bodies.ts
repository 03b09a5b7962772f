import { z } from 'zod';

/** Request bodies of the tenant API as the backend accepts them (snake_case, unknown keys refused). */

const secretValue = z.string().min(16, 'must be at least 16 characters').max(4096);

export const licenseBody = z.strictObject({
  license: z.string().min(1, 'must not be empty').max(16_384),
  user_cap: z.number().int().nonnegative().nullable(),
});

export const workerConfigBody = z
  .strictObject({
    task_worker: z.strictObject({
      mode: z.enum(['inline', 'agent']),
      concurrency: z.number().int().min(1).max(1000),
    }),
    login_worker: z.strictObject({
      mode: z.enum(['inline', 'shared', 'dedicated']),
      url: z.url({ protocol: /^https?$/ }).nullable(),
      max_concurrent: z.number().int().min(1).max(1000),
    }),
    pool: z.string().min(1).max(253).nullable(),
  })
  .superRefine((body, ctx) => {
    if (body.login_worker.mode !== 'inline' && body.login_worker.url === null)
      ctx.addIssue({
        code: 'custom',
        path: ['login_worker', 'url'],
        message: `is required in ${body.login_worker.mode} mode`,
      });
  });

export const smtpBody = z.strictObject({
  host: z.string().min(1, 'must not be empty').max(253),
  port: z.number().int().min(1).max(65_535),
  username: z.string().max(320).nullable(),
  password: z.string().max(1024).nullable(),
  from: z.string().min(3).max(320),
  tls: z.enum(['starttls', 'tls', 'none']),
});

export const adminPasswordBody = z.strictObject({
  password: z.string().min(8, 'must be at least 8 characters').max(1024),
});

export const secretsBody = z
  .strictObject({
    jwt_secret: secretValue.optional(),
    login_worker_token: secretValue.optional(),
    proxy_token: secretValue.optional(),
    cp_token: secretValue.regex(/^[\x21-\x7e]+$/, 'must be printable ASCII without spaces').optional(),
    grace_seconds: z
      .number()
      .int()
      .min(0)
      .max(30 * 24 * 3600)
      .optional(),
  })
  .refine((b) => b.jwt_secret ?? b.login_worker_token ?? b.proxy_token ?? b.cp_token, {
    message: 'give at least one of jwt_secret, login_worker_token, proxy_token, cp_token',
  });

/** The secrets `PUT /cp/v1/secrets` can rotate (the body keys, also the `secrets_state` names). */
export const ROTATABLE = ['jwt_secret', 'login_worker_token', 'proxy_token', 'cp_token'] as const;

/** `task_worker.mode: Invalid option: …; password: must be at least 8 characters` (first three issues). */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
}
