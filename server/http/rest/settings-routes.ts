import { z } from 'zod';
import { isTimeZone } from '../../domain/settings/alerts.ts';
import { mutation } from './documents.ts';
import { route } from './route.ts';

/** REST routes of the SMTP relay and the alert history (spec: "Settings"). */

const SMTP = `configured host port username passwordSet from tls updatedAt updatedBy sync { total pending synced failed }`;
const ALERT = `id key kind severity state tenantSlug subject detail openedAt resolvedAt sentAt sentTo resolvedSentAt sendError`;

export const settingsRoutes = [
  route({
    method: 'GET',
    path: '/settings/smtp',
    summary: 'Read the SMTP relay (password_set, never the password) and its fan-out to tenants',
    tag: 'settings',
    document: `query Rest_SmtpSettings { smtpSettings { ${SMTP} } }`,
    field: 'smtpSettings',
    variables: () => ({}),
  }),
  route({
    method: 'PUT',
    path: '/settings/smtp',
    summary: 'Set the SMTP relay every tenant uses (password left out keeps the stored one)',
    tag: 'settings',
    body: z
      .object({
        host: z.string({ message: 'is required' }).trim().min(1, 'must not be empty').max(253),
        port: z
          .number({ message: 'must be a number' })
          .int('must be a whole number')
          .min(1, 'must be between 1 and 65535')
          .max(65_535, 'must be between 1 and 65535'),
        username: z.string().max(320).nullable().optional(),
        password: z
          .string()
          .min(1, 'must not be empty (leave it out to keep the stored one)')
          .max(1024)
          .optional(),
        from: z.email({ message: 'must be an email address' }).max(254),
        tls: z.enum(['starttls', 'tls', 'none'], { message: 'must be starttls, tls or none' }).optional(),
      })
      .strict(),
    document: mutation(
      'Rest_UpdateSmtpSettings',
      'updateSmtpSettings',
      SMTP,
      '$input: SmtpSettingsInput!',
      'input: $input',
    ),
    field: 'updateSmtpSettings',
    variables: ({ body }) => ({
      input: {
        host: body.host,
        port: body.port,
        username: body.username,
        password: body.password,
        from: body.from,
        tls: body.tls?.toUpperCase(),
      },
    }),
  }),
  route({
    method: 'DELETE',
    path: '/settings/smtp',
    summary: 'Remove the SMTP relay: tenants are told they have none, and its password Secret is deleted',
    tag: 'settings',
    document: mutation('Rest_ClearSmtpSettings', 'clearSmtpSettings', SMTP, '', '', false),
    field: 'clearSmtpSettings',
    variables: () => ({}),
  }),
  route({
    method: 'POST',
    path: '/settings/smtp/test',
    summary:
      'Send a real test e-mail through the relay; answers the server’s reply, or 502 with the exact failure (authentication, connection refused, TLS, timeout)',
    tag: 'settings',
    body: z.object({ to: z.email({ message: 'must be an email address' }).max(254) }).strict(),
    document: mutation(
      'Rest_SendSmtpTestEmail',
      'sendSmtpTestEmail',
      'to from via response messageId',
      '$to: String!',
      'to: $to',
    ),
    field: 'sendSmtpTestEmail',
    variables: ({ body }) => ({ to: body.to }),
  }),
  route({
    method: 'GET',
    path: '/alerts',
    summary: 'Alert history, newest first: open and resolved alerts, when and to whom they were mailed',
    tag: 'settings',
    query: z
      .object({
        first: z.coerce.number().int().min(1).max(500).optional(),
        after: z.string().max(500).optional(),
        status: z.enum(['open', 'resolved'], { message: 'must be open or resolved' }).optional(),
      })
      .strict(),
    document: `query Rest_Alerts($first: Int, $after: String, $status: AlertHistoryState) {
      alertHistory(first: $first, after: $after, state: $status) {
        edges { node { ${ALERT} } }
        pageInfo { hasNextPage endCursor }
      }
    }`,
    field: 'alertHistory',
    variables: ({ query }) => ({
      first: query.first,
      after: query.after,
      status: query.status?.toUpperCase(),
    }),
    respond: (value) => {
      const connection = value as { edges: { node: unknown }[]; pageInfo: unknown };
      return { alerts: connection.edges.map((e) => e.node), pageInfo: connection.pageInfo };
    },
  }),
];

/** Fields of `PUT /settings/alerts` beyond the spec's four. */
export const alertRuleFields = {
  license_lead_days: z.array(z.number().int().min(1).max(365)).min(1).max(5).optional(),
  capacity_thresholds: z.array(z.number().int().min(1).max(1000)).min(1).max(5).optional(),
  unhealthy_minutes: z.number().int().min(1).max(10_080).optional(),
  report_hour: z
    .number()
    .int()
    .min(0, 'must be between 0 and 23')
    .max(23, 'must be between 0 and 23')
    .optional(),
  report_time_zone: z
    .string()
    .max(64)
    .refine(isTimeZone, 'must be an IANA time zone such as Europe/Berlin or UTC')
    .optional(),
};
