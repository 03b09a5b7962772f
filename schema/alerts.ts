import type { CaughtMailRow } from '../server/db/schema.ts';
import { type AlertHistoryRow, type AlertKey, listAlerts } from '../server/domain/alerts/history.ts';
import { ValidationError } from '../server/domain/errors.ts';
import { listCaughtMail } from '../server/domain/mail/caught.ts';
import { builder } from './builder.ts';
import { keysetConnection, keysetCursor } from './connection.ts';

const AlertHistoryState = builder.enumType('AlertHistoryState', {
  description: 'Where an alert stands.',
  values: {
    OPEN: { value: 'open', description: 'The condition holds; mailed once when it opened.' },
    RESOLVED: { value: 'resolved', description: 'The condition cleared; a "resolved" message was mailed.' },
  },
});

const AlertSeverity = builder.enumType('AlertSeverity', {
  description: 'How urgent an alert is.',
  values: {
    CRITICAL: { value: 'critical', description: 'Needs action now.' },
    WARNING: { value: 'warning', description: 'Needs action soon.' },
  },
});

const Alert = builder.objectRef<AlertHistoryRow>('Alert').implement({
  description:
    'An alert the leader opened: one per condition and threshold (license lead time, capacity percentage, unhealthy tenant, failed operation), mailed once when it opens and once when it resolves.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'The alert id.' }),
    key: t.exposeString('key', {
      description:
        'The condition and its threshold, e.g. license_expiring:lic-2026:7; one unresolved alert per key.',
    }),
    kind: t.exposeString('kind', {
      description:
        'license_expiring, license_expired, license_renewal_failed, capacity_deployment, capacity_tenant, tenant_unreachable, tenant_degraded or operation_failed.',
    }),
    severity: t.field({ type: AlertSeverity, description: 'How urgent.', resolve: (a) => a.severity }),
    state: t.field({
      type: AlertHistoryState,
      description: 'Open or resolved.',
      resolve: (a) => a.state as 'open' | 'resolved',
    }),
    tenantSlug: t.string({
      nullable: true,
      description: 'The tenant it is about; null for deployment-wide alerts.',
      resolve: (a) => a.slug,
    }),
    subject: t.exposeString('subject', { description: 'One line: what happened.' }),
    detail: t.exposeString('detail', { description: 'Figures and errors as found.' }),
    openedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it opened.',
      resolve: (a) => a.opened_at,
    }),
    resolvedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it resolved; null while open.',
      resolve: (a) => a.resolved_at,
    }),
    sentAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it was mailed; null while not (no alert e-mail set, or sending fails).',
      resolve: (a) => a.sent_at,
    }),
    sentTo: t.exposeString('sent_to', { nullable: true, description: 'Whom it was mailed to.' }),
    resolvedSentAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When its "resolved" message was mailed.',
      resolve: (a) => a.resolved_sent_at,
    }),
    sendError: t.exposeString('send_error', {
      nullable: true,
      description: 'Why mailing it last failed (it is retried); null when it did not.',
    }),
  }),
});

const alertCursor = keysetCursor<AlertHistoryRow, AlertKey>(
  'alert history',
  (row) => ({ at: (row.opened_at ?? row.observed_at).toISOString(), id: row.id }),
  (value) => {
    const v = value as Partial<AlertKey> | null;
    return typeof v?.at === 'string' && typeof v.id === 'string' && !Number.isNaN(Date.parse(v.at))
      ? { at: v.at, id: v.id }
      : undefined;
  },
);

builder.queryField('alertHistory', (t) =>
  t.connection(
    {
      type: Alert,
      description: 'Alerts, newest first (open and resolved). Any signed-in operator.',
      args: {
        state: t.arg({ type: AlertHistoryState, description: 'Only alerts in this state.' }),
      },
      resolve: (_, args, ctx) =>
        keysetConnection(args, alertCursor, ({ after, before, limit, inverted }) =>
          listAlerts(ctx.services.db, { after, before, limit, inverted, state: args.state ?? undefined }),
        ),
    },
    { description: 'A page of alerts, newest first.' },
    { description: 'An alert and its cursor.' },
  ),
);

const CaughtMail = builder.objectRef<CaughtMailRow>('CaughtMail').implement({
  description: 'A message the embedded mail catcher received (no relay configured, outside production).',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Its number, increasing.' }),
    receivedAt: t.field({ type: 'DateTime', description: 'When it arrived.', resolve: (m) => m.received_at }),
    from: t.exposeString('mail_from', { description: 'Envelope sender.' }),
    to: t.stringList({ description: 'Envelope recipients.', resolve: (m) => m.rcpt_to }),
    subject: t.exposeString('subject', { description: 'Subject line.' }),
    body: t.exposeString('body', { description: 'Plain-text body (at most 64 KiB kept).' }),
    size: t.exposeInt('size', { description: 'Size of the message as received, in bytes.' }),
  }),
});

builder.queryField('caughtMail', (t) =>
  t.field({
    type: [CaughtMail],
    description:
      'What the embedded mail catcher received, newest first (the last 200 kept); empty when it does not run. Any signed-in operator.',
    args: {
      first: t.arg.int({ description: 'How many, 1–200 (default 50).' }),
    },
    resolve: (_, { first }, ctx) => {
      const limit = first ?? 50;
      if (limit < 1 || limit > 200)
        throw new ValidationError(`first must be between 1 and 200 (got ${limit})`, [
          { path: 'first', message: 'must be between 1 and 200' },
        ]);
      return listCaughtMail(ctx.services.db, limit);
    },
  }),
);
