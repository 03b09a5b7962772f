import type { ComponentType, ReactNode } from 'react';
import {
  IconDashboard,
  IconDatabase,
  IconKey,
  IconLock,
  IconShield,
  IconTicket,
} from '../components/icons.tsx';

export type TenantSectionId =
  | 'overview'
  | 'admin-password'
  | 'database'
  | 'secrets'
  | 'bootstrap-token'
  | 'cp-token';

export type TenantSection = {
  id: TenantSectionId;
  label: string;
  icon: ComponentType<{ size?: number }>;
  /**
   * What the section will offer, shown while the API lacks its operations. A section that works
   * has no `pending` text; its panel is rendered by the tenant page.
   */
  pending?: ReactNode;
};

/**
 * The sections of a tenant's page, as the spec lists them. Admin password, database, secrets and
 * tokens wait for the tenant-operations API; each becomes a panel when its fields exist.
 */
export const TENANT_SECTIONS: readonly TenantSection[] = [
  { id: 'overview', label: 'Overview', icon: IconDashboard },
  {
    id: 'admin-password',
    label: 'Admin password',
    icon: IconLock,
    pending: 'View the initial admin password once, or reset it to a new one the backend applies at once.',
  },
  {
    id: 'database',
    label: 'Database',
    icon: IconDatabase,
    pending:
      'Connection details of the tenant database and its migrations: applied, pending, and applying them.',
  },
  {
    id: 'secrets',
    label: 'Secrets',
    icon: IconKey,
    pending:
      'Rotate the JWT secret, the login-worker token and the proxy token. The backend accepts the previous value for a grace period.',
  },
  {
    id: 'bootstrap-token',
    label: 'Bootstrap token',
    icon: IconTicket,
    pending: 'Show or replace the token Terraform uses to bootstrap this tenant.',
  },
  {
    id: 'cp-token',
    label: 'CP token',
    icon: IconShield,
    pending: "Rotate the token the control plane uses to call this tenant's API.",
  },
];

export function sectionOf(value: string | null): TenantSectionId {
  return TENANT_SECTIONS.find((section) => section.id === value)?.id ?? 'overview';
}
