import type { LicenseState, LicenseSyncState } from '../gql/graphql.ts';

type Look = { label: string; color: string };

/** How each license state shows: a word and a colour. */
export const LICENSE_STATE_LOOK: Record<LicenseState, Look> = {
  FREE: { label: 'Free tier', color: 'gray' },
  ACTIVE: { label: 'Active', color: 'teal' },
  EXPIRING: { label: 'Expiring', color: 'yellow' },
  EXPIRED: { label: 'Expired', color: 'red' },
};

/** How each tenant's sync state shows. */
export const SYNC_LOOK: Record<LicenseSyncState, Look> = {
  PENDING: { label: 'Pending', color: 'blue' },
  SYNCED: { label: 'Synced', color: 'teal' },
  FAILED: { label: 'Failed', color: 'red' },
};

const days = (n: number) => `${n.toLocaleString()} ${n === 1 ? 'day' : 'days'}`;

/**
 * The time to expiry in words, from the API's `daysLeft` (whole days, rounded down, so 0 is less
 * than a day left and -1 less than a day since it expired): "42 days left", "expired 3 days ago".
 * Null when there is no expiry (the free tier).
 */
export function expiryCountdown(daysLeft: number | null | undefined): string | null {
  if (daysLeft === null || daysLeft === undefined) return null;
  if (daysLeft >= 1) return `${days(daysLeft)} left`;
  if (daysLeft === 0) return 'less than a day left';
  if (daysLeft === -1) return 'expired less than a day ago';
  return `expired ${days(-daysLeft - 1)} ago`;
}

export type Usage = {
  /** Share of the maximum for a progress bar, 0–100. */
  percent: number;
  color: string;
  /** "12 of 100", for the bar's label. */
  text: string;
};

/**
 * How much of `max` is used: the bar's width (capped at 100) and a colour that warns from 80 %
 * and turns red past the maximum.
 */
export function usage(used: number, max: number): Usage {
  const ratio = max > 0 ? used / max : used > 0 ? Number.POSITIVE_INFINITY : 0;
  const color = ratio > 1 ? 'red' : ratio >= 0.9 ? 'orange' : ratio >= 0.8 ? 'yellow' : 'teal';
  return {
    percent: Math.min(100, Math.round(ratio * 100)),
    color,
    text: `${used.toLocaleString()} of ${max.toLocaleString()}`,
  };
}

/** What the dashboard's license card reads. */
export type LicenseCardFigures = {
  state: LicenseState;
  licensee?: string | null;
  daysLeft?: number | null;
  usersInUse: number;
  maxUsers?: number | null;
  freeTierMaxUsers: number;
  sync: { failed: number };
};

export type LicenseCardSummary = {
  /** The headline: the state in a word. */
  figure: string;
  /** Set when the state needs attention. */
  color: string | undefined;
  /** Who it is for and how long it lasts, or the free tier's limit. */
  detail: string;
  /** Users in use against what the license allows. */
  users: string;
  /** Tenants whose backend failed to take the license; null when none. */
  problem: string | null;
};

/** The dashboard's license card: state, licensee and days left, users against the maximum, sync failures. */
export function licenseCardSummary(license: LicenseCardFigures): LicenseCardSummary {
  const look = LICENSE_STATE_LOOK[license.state];
  const failed = license.sync.failed;
  const problem =
    failed > 0 ? `${failed.toLocaleString()} ${failed === 1 ? 'tenant' : 'tenants'} failed to sync` : null;
  if (license.state === 'FREE' || license.maxUsers === null || license.maxUsers === undefined) {
    return {
      figure: look.label,
      color: undefined,
      detail: `No license: up to ${license.freeTierMaxUsers.toLocaleString()} users per tenant`,
      users: `${license.usersInUse.toLocaleString()} users in use`,
      problem,
    };
  }
  const countdown = expiryCountdown(license.daysLeft);
  return {
    figure: look.label,
    color: license.state === 'ACTIVE' ? undefined : look.color,
    detail: [license.licensee, countdown].filter(Boolean).join(' · '),
    users: `${usage(license.usersInUse, license.maxUsers).text} users`,
    problem,
  };
}
