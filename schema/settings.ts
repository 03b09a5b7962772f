import { ValidationError } from '../server/domain/errors.ts';
import {
  type AlertSettingsView,
  getAlertSettings,
  updateAlertSettings,
} from '../server/domain/settings/alerts.ts';
import { builder } from './builder.ts';
import { mutationErrors } from './errors.ts';

const AlertSettings = builder.objectRef<AlertSettingsView>('AlertSettings').implement({
  description: 'Which operational events raise alerts, and where they are mailed.',
  fields: (t) => ({
    licenseExpiring: t.exposeBoolean('licenseExpiring', {
      description: 'Whether to alert before the deployment license expires. On by default.',
    }),
    capacityWarnings: t.exposeBoolean('capacityWarnings', {
      description: 'Whether to alert when user counts near the licensed maximum. On by default.',
    }),
    dailyReports: t.exposeBoolean('dailyReports', {
      description: 'Whether to mail a daily summary. Off by default.',
    }),
    alertEmail: t.exposeString('alertEmail', {
      nullable: true,
      description: 'Where alerts are mailed; null: nowhere yet.',
    }),
    licenseLeadDays: t.exposeIntList('licenseLeadDays', {
      description:
        'Days before the license expires at which an alert is mailed, one per lead time (default 30, 7, 1).',
    }),
    capacityThresholds: t.exposeIntList('capacityThresholds', {
      description:
        'Percentages of a cap (a tenant’s user cap, the license’s maximum) at which an alert is mailed (default 80, 100).',
    }),
    unhealthyMinutes: t.exposeInt('unhealthyMinutes', {
      description:
        'How long a tenant must stay unreachable or degraded before it is alerted on (default 10).',
    }),
    reportHour: t.exposeInt('reportHour', {
      description: 'The local hour (0–23) the daily report is mailed at, in reportTimeZone (default 8).',
    }),
    reportTimeZone: t.exposeString('reportTimeZone', {
      description: 'IANA time zone of reportHour (default UTC).',
    }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Last change; null while the defaults were never changed.',
      resolve: (s) => s.updatedAt,
    }),
    updatedBy: t.exposeString('updatedBy', {
      nullable: true,
      description: 'Who made the last change (AuditActor.label); null while never changed.',
    }),
  }),
});

const AlertSettingsInput = builder.inputType('AlertSettingsInput', {
  description: 'Fields left out keep their current value; alertEmail: null clears it.',
  fields: (t) => ({
    licenseExpiring: t.boolean({ description: 'Whether to alert before the license expires.' }),
    capacityWarnings: t.boolean({
      description: 'Whether to alert when user counts near the licensed maximum.',
    }),
    dailyReports: t.boolean({ description: 'Whether to mail a daily summary.' }),
    alertEmail: t.string({ description: 'An email address, at most 254 characters; null clears it.' }),
    licenseLeadDays: t.intList({
      description: '1 to 5 distinct lead times in days (1–365) before the license expires.',
    }),
    capacityThresholds: t.intList({ description: '1 to 5 distinct percentages (1–1000) of a cap.' }),
    unhealthyMinutes: t.int({
      description: 'Minutes (1–10080) a tenant must stay unhealthy before an alert.',
    }),
    reportHour: t.int({ description: 'The local hour (0–23) of the daily report.' }),
    reportTimeZone: t.string({ description: 'An IANA time zone such as Europe/Berlin or UTC.' }),
  }),
});

builder.queryField('alertSettings', (t) =>
  t.field({
    type: AlertSettings,
    description: 'The alert rules, defaults included until someone changes them. Any signed-in operator.',
    resolve: (_, __, ctx) => getAlertSettings(ctx.services.db),
  }),
);

builder.mutationField('updateAlertSettings', (t) =>
  t.field({
    type: AlertSettings,
    description:
      'Changes the alert rules; fields left out keep their value, and a change that changes nothing writes nothing. Admin role. Audited (settings.alerts.updated, with the names of the changed fields).',
    args: {
      input: t.arg({ type: AlertSettingsInput, required: true, description: 'The fields to change.' }),
    },
    errors: mutationErrors([ValidationError], 'The alert rules after the change.'),
    resolve: (_, { input }, ctx) =>
      updateAlertSettings(ctx.services, ctx, {
        ...dropNulls({
          licenseExpiring: input.licenseExpiring,
          capacityWarnings: input.capacityWarnings,
          dailyReports: input.dailyReports,
          licenseLeadDays: input.licenseLeadDays,
          capacityThresholds: input.capacityThresholds,
          unhealthyMinutes: input.unhealthyMinutes,
          reportHour: input.reportHour,
          reportTimeZone: input.reportTimeZone,
        }),
        ...(input.alertEmail !== undefined ? { alertEmail: input.alertEmail } : {}),
      }),
  }),
);

/** GraphQL gives `null` for an explicit null; for booleans that means "leave as is". */
function dropNulls<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as never;
}
