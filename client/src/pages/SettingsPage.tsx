import { type FormEvent, useId, useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { formatTime } from '../audit/format.ts';
import type { SettingsPage_AlertSettingsFragment } from '../gql/graphql.ts';
import { graphql } from '../gql/index.ts';
import { describeError } from '../graphql/errors.ts';
import {
  type AlertForm,
  type AlertFormField,
  checkAlertEmail,
  type FieldIssue,
  formFromSettings,
  inputFromForm,
  issuesByField,
} from '../settings/alert-form.ts';

graphql(`
  fragment SettingsPage_AlertSettings on AlertSettings {
    licenseExpiring
    capacityWarnings
    dailyReports
    alertEmail
    updatedAt
    updatedBy
  }
`);

const SettingsPage_Alerts = graphql(`
  query SettingsPage_Alerts {
    alertSettings {
      ...SettingsPage_AlertSettings
    }
  }
`);

const SettingsPage_UpdateAlerts = graphql(`
  mutation SettingsPage_UpdateAlerts($input: AlertSettingsInput!) {
    updateAlertSettings(input: $input) {
      __typename
      ... on MutationUpdateAlertSettingsSuccess {
        data {
          ...SettingsPage_AlertSettings
        }
      }
      ... on ValidationError {
        message
        issues {
          path
          message
        }
      }
      ... on BaseError {
        message
      }
    }
  }
`);

export function SettingsPage() {
  const [result] = useQuery({ query: SettingsPage_Alerts });
  const settings = result.data?.alertSettings;
  return (
    <>
      <h1>Settings</h1>
      <section aria-labelledby="alerts-heading" className="card">
        <h2 id="alerts-heading">Alerts</h2>
        {settings ? (
          <>
            <AlertSettingsForm initial={settings} />
            <LastChange settings={settings} />
          </>
        ) : result.error ? (
          <p role="alert" className="error">
            {describeError(result.error)}
          </p>
        ) : (
          <p role="status">Loading…</p>
        )}
      </section>
    </>
  );
}

function LastChange({ settings }: { settings: SettingsPage_AlertSettingsFragment }) {
  if (!settings.updatedAt) return <p className="hint">Never changed: these are the defaults.</p>;
  return (
    <p className="hint">
      Last changed <time dateTime={settings.updatedAt}>{formatTime(settings.updatedAt)}</time>
      {settings.updatedBy ? ` by ${settings.updatedBy}` : ''}.
    </p>
  );
}

type Outcome =
  | { kind: 'saved' }
  | { kind: 'failed'; message: string; fields: Partial<Record<AlertFormField, string>>; other: FieldIssue[] };

const SWITCHES: readonly { field: Exclude<AlertFormField, 'alertEmail'>; label: string; hint: string }[] = [
  { field: 'licenseExpiring', label: 'License expiring', hint: 'Before the deployment license runs out.' },
  {
    field: 'capacityWarnings',
    label: 'Capacity warnings',
    hint: 'When the deployment nears a capacity limit.',
  },
  { field: 'dailyReports', label: 'Daily reports', hint: 'A summary of the day, once a day.' },
];

/**
 * The alert rules. It keeps what the operator typed until they save; the saved values then come
 * back from the API, so the form shows what is stored rather than what was sent.
 */
function AlertSettingsForm({ initial }: { initial: SettingsPage_AlertSettingsFragment }) {
  const ids = useId();
  const [form, setForm] = useState<AlertForm>(() => formFromSettings(initial));
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [saving, save] = useMutation(SettingsPage_UpdateAlerts);

  function change<K extends AlertFormField>(field: K, value: AlertForm[K]) {
    setForm((current) => ({ ...current, [field]: value }));
    setOutcome(null);
  }

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const emailProblem = checkAlertEmail(form.alertEmail);
    if (emailProblem) {
      setOutcome({
        kind: 'failed',
        message: 'The alert email needs fixing before it can be saved.',
        fields: { alertEmail: emailProblem },
        other: [],
      });
      return;
    }
    const result = await save({ input: inputFromForm(form) });
    const payload = result.data?.updateAlertSettings;
    if (!payload) {
      const message = result.error ? describeError(result.error) : 'The API sent no answer.';
      setOutcome({ kind: 'failed', message, fields: {}, other: [] });
      return;
    }
    switch (payload.__typename) {
      case 'MutationUpdateAlertSettingsSuccess':
        setForm(formFromSettings(payload.data));
        setOutcome({ kind: 'saved' });
        return;
      case 'ValidationError':
        setOutcome({ kind: 'failed', message: payload.message, ...issuesByField(payload.issues) });
        return;
      case 'BaseError':
        setOutcome({ kind: 'failed', message: payload.message, fields: {}, other: [] });
        return;
    }
  }

  const fieldErrors = outcome?.kind === 'failed' ? outcome.fields : {};
  const emailId = `${ids}-email`;
  const emailHintId = `${ids}-email-hint`;
  const emailErrorId = `${ids}-email-error`;

  return (
    <form className="stack" onSubmit={submit} noValidate aria-busy={saving.fetching}>
      <fieldset>
        <legend>Raise an alert for</legend>
        {SWITCHES.map(({ field, label, hint }) => (
          <div className="check" key={field}>
            <input
              id={`${ids}-${field}`}
              type="checkbox"
              checked={form[field]}
              onChange={(event) => change(field, event.target.checked)}
              aria-describedby={`${ids}-${field}-hint`}
            />
            <label htmlFor={`${ids}-${field}`}>{label}</label>
            <span id={`${ids}-${field}-hint`} className="hint">
              {hint}
            </span>
            {fieldErrors[field] && <span className="error">{fieldErrors[field]}</span>}
          </div>
        ))}
      </fieldset>
      <div className="field">
        <label htmlFor={emailId}>Alert email</label>
        <input
          id={emailId}
          type="email"
          value={form.alertEmail}
          onChange={(event) => change('alertEmail', event.target.value)}
          autoComplete="email"
          aria-invalid={fieldErrors.alertEmail ? true : undefined}
          aria-describedby={fieldErrors.alertEmail ? `${emailHintId} ${emailErrorId}` : emailHintId}
        />
        <span id={emailHintId} className="hint">
          Where alerts are mailed. Leave empty to mail nobody.
        </span>
        {fieldErrors.alertEmail && (
          <span id={emailErrorId} className="error">
            {fieldErrors.alertEmail}
          </span>
        )}
      </div>
      <div className="actions">
        <button type="submit" disabled={saving.fetching}>
          {saving.fetching ? 'Saving…' : 'Save'}
        </button>
        <output aria-live="polite">{outcome?.kind === 'saved' ? 'Saved.' : ''}</output>
      </div>
      {outcome?.kind === 'failed' && (
        <div role="alert" className="error-summary">
          <p>{outcome.message}</p>
          {outcome.other.length > 0 && (
            <ul>
              {outcome.other.map((issue) => (
                <li key={`${issue.path}:${issue.message}`}>
                  <code>{issue.path}</code>: {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </form>
  );
}
