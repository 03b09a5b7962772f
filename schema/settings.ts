import { ValidationError } from '../server/domain/errors.ts';
import {
  type AlertSettingsView,
  getAlertSettings,
  updateAlertSettings,
} from '../server/domain/settings/alerts.ts';
import { builder } from './builder.ts';

const AlertSettings = builder.objectRef<AlertSettingsView>('AlertSettings').implement({
  description: 'Which operational events raise alerts, and where they are mailed.',
  fields: (t) => ({
    licenseExpiring: t.exposeBoolean('licenseExpiring'),
    capacityWarnings: t.exposeBoolean('capacityWarnings'),
    dailyReports: t.exposeBoolean('dailyReports'),
    alertEmail: t.exposeString('alertEmail', { nullable: true }),
    updatedAt: t.field({ type: 'DateTime', nullable: true, resolve: (s) => s.updatedAt }),
    updatedBy: t.exposeString('updatedBy', { nullable: true }),
  }),
});

const AlertSettingsInput = builder.inputType('AlertSettingsInput', {
  description: 'Fields left out keep their current value; alertEmail: null clears it.',
  fields: (t) => ({
    licenseExpiring: t.boolean(),
    capacityWarnings: t.boolean(),
    dailyReports: t.boolean(),
    alertEmail: t.string(),
  }),
});

builder.queryField('alertSettings', (t) =>
  t.field({ type: AlertSettings, resolve: (_, __, ctx) => getAlertSettings(ctx.services.db) }),
);

builder.mutationField('updateAlertSettings', (t) =>
  t.field({
    type: AlertSettings,
    args: { input: t.arg({ type: AlertSettingsInput, required: true }) },
    errors: { types: [ValidationError] },
    resolve: (_, { input }, ctx) =>
      updateAlertSettings(ctx.services, ctx, {
        ...dropNulls({
          licenseExpiring: input.licenseExpiring,
          capacityWarnings: input.capacityWarnings,
          dailyReports: input.dailyReports,
        }),
        ...(input.alertEmail !== undefined ? { alertEmail: input.alertEmail } : {}),
      }),
  }),
);

/** GraphQL gives `null` for an explicit null; for booleans that means "leave as is". */
function dropNulls<T extends Record<string, unknown>>(o: T): { [K in keyof T]?: NonNullable<T[K]> } {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined)) as never;
}
