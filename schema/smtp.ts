import { DependencyError, ValidationError } from '../server/domain/errors.ts';
import { sendSmtpTestEmail, type TestEmailResult } from '../server/domain/mail/test-email.ts';
import {
  clearSmtpSettings,
  getSmtpSettings,
  type SmtpSettingsView,
  updateSmtpSettings,
} from '../server/domain/settings/smtp.ts';
import { builder } from './builder.ts';
import { mutationErrors } from './errors.ts';

const SmtpTls = builder.enumType('SmtpTls', {
  description: 'How the relay is reached.',
  values: {
    STARTTLS: {
      value: 'starttls',
      description: 'A plain connection upgraded with STARTTLS, required (default; port 587).',
    },
    TLS: { value: 'tls', description: 'TLS from the first byte (port 465).' },
    NONE: { value: 'none', description: 'No TLS: only for a relay on a trusted network.' },
  },
});

const SmtpSync = builder.objectRef<SmtpSettingsView['sync']>('SmtpSync').implement({
  description: 'How far active tenants are with the current relay settings.',
  fields: (t) => ({
    total: t.exposeInt('total', { description: 'Active tenants.' }),
    pending: t.exposeInt('pending', { description: 'Being told (or about to be) of the latest change.' }),
    synced: t.exposeInt('synced', { description: 'Hold the current settings.' }),
    failed: t.exposeInt('failed', { description: 'Telling them failed; retried with backoff.' }),
  }),
});

const SmtpSettings = builder.objectRef<SmtpSettingsView>('SmtpSettings').implement({
  description:
    'The SMTP relay every tenant sends password-reset and notification e-mails through, and alerts and reports go out by. The password is write-only.',
  fields: (t) => ({
    configured: t.boolean({
      description: 'Whether a relay is configured; while not, the embedded stack catches mail (Mail page).',
      resolve: (s) => s.relay !== null,
    }),
    host: t.string({ nullable: true, description: 'Relay host.', resolve: (s) => s.relay?.host ?? null }),
    port: t.int({
      nullable: true,
      description: 'Relay port (1–65535).',
      resolve: (s) => s.relay?.port ?? null,
    }),
    username: t.string({
      nullable: true,
      description: 'User name for SMTP authentication; null: none.',
      resolve: (s) => s.relay?.username ?? null,
    }),
    passwordSet: t.boolean({
      description: 'Whether a password is stored (in Secret cp-smtp). The password itself is never answered.',
      resolve: (s) => s.relay?.passwordSet ?? false,
    }),
    from: t.string({ nullable: true, description: 'Sender address.', resolve: (s) => s.relay?.from ?? null }),
    tls: t.field({
      type: SmtpTls,
      nullable: true,
      description: 'How the relay is reached.',
      resolve: (s) => s.relay?.tls ?? null,
    }),
    sync: t.field({ type: SmtpSync, description: 'The fan-out to tenant backends.', resolve: (s) => s.sync }),
    updatedAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'Last change; null while never configured.',
      resolve: (s) => s.updatedAt,
    }),
    updatedBy: t.exposeString('updatedBy', { nullable: true, description: 'Who made the last change.' }),
  }),
});

const SmtpSettingsInput = builder.inputType('SmtpSettingsInput', {
  description: 'The whole relay; password left out keeps the stored one.',
  fields: (t) => ({
    host: t.string({ required: true, description: 'Host name or IP address, at most 253 characters.' }),
    port: t.int({ required: true, description: 'Port, 1–65535.' }),
    username: t.string({ description: 'User name for SMTP authentication; null or left out: none.' }),
    password: t.string({
      description: 'Password, stored in Secret cp-smtp and never answered; left out keeps the stored one.',
    }),
    from: t.string({ required: true, description: 'Sender address (an e-mail address).' }),
    tls: t.field({ type: SmtpTls, description: 'How the relay is reached; default STARTTLS.' }),
  }),
});

const SmtpTestResult = builder.objectRef<TestEmailResult>('SmtpTestResult').implement({
  description: 'A test e-mail the relay took.',
  fields: (t) => ({
    to: t.exposeString('to', { description: 'The recipient.' }),
    from: t.exposeString('from', { description: 'The sender address used.' }),
    via: t.exposeString('via', {
      description: 'host:port it was sent through (the mail catcher’s while no relay is set).',
    }),
    response: t.exposeString('response', { description: 'What the server answered, e.g. "250 OK: queued".' }),
    messageId: t.exposeString('messageId', { description: 'The Message-ID header of the message.' }),
  }),
});

builder.queryField('smtpSettings', (t) =>
  t.field({
    type: SmtpSettings,
    description: 'The SMTP relay (never its password). Any signed-in operator.',
    resolve: (_, __, ctx) => getSmtpSettings(ctx.services.db),
  }),
);

builder.mutationField('updateSmtpSettings', (t) =>
  t.field({
    type: SmtpSettings,
    description:
      'Sets the SMTP relay and tells every tenant backend (a recorded, retried fan-out; new tenants get it when provisioned). Admin role. Audited (settings.smtp.updated, with the names of the changed fields, never the password). Errors: ValidationError (nothing changed), DependencyError SECRET_UPDATE_FAILED.',
    args: { input: t.arg({ type: SmtpSettingsInput, required: true, description: 'The relay.' }) },
    errors: mutationErrors([ValidationError, DependencyError], 'The relay after the change.'),
    resolve: (_, { input }, ctx) =>
      updateSmtpSettings(ctx.services, ctx, {
        host: input.host,
        port: input.port,
        username: input.username ?? null,
        ...(input.password !== null && input.password !== undefined ? { password: input.password } : {}),
        from: input.from,
        ...(input.tls ? { tls: input.tls } : {}),
      }),
  }),
);

builder.mutationField('sendSmtpTestEmail', (t) =>
  t.field({
    type: SmtpTestResult,
    description:
      'Sends a real test e-mail through the relay (the mail catcher while none is configured) and answers what the server said, within SMTP_TIMEOUT_MS per step. Admin role. Audited (settings.smtp.tested). Errors: ValidationError; DependencyError with SMTP_AUTHENTICATION_FAILED, SMTP_CONNECTION_REFUSED, SMTP_TLS_ERROR, SMTP_TIMEOUT, SMTP_REJECTED, SMTP_NOT_CONFIGURED or SMTP_FAILED and the server’s words.',
    args: { to: t.arg.string({ required: true, description: 'Recipient address.' }) },
    errors: mutationErrors([ValidationError, DependencyError], 'What the relay answered.'),
    resolve: (_, { to }, ctx) => sendSmtpTestEmail(ctx.services, ctx, { to }),
  }),
);

builder.mutationField('clearSmtpSettings', (t) =>
  t.field({
    type: SmtpSettings,
    description:
      'Removes the SMTP relay: every tenant backend is told it has none, and Secret cp-smtp is deleted; mail then goes to the built-in catcher where it runs. Admin role. Audited (settings.smtp.cleared). Errors: DependencyError SECRET_UPDATE_FAILED.',
    errors: mutationErrors([DependencyError], 'The relay settings after the change (not configured).'),
    resolve: (_, __, ctx) => clearSmtpSettings(ctx.services, ctx),
  }),
);
