import type { ComponentType } from 'react';
import {
  IconCpu,
  IconDashboard,
  IconDatabase,
  IconDownload,
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
  | 'cp-token'
  | 'workers'
  | 'backups';

export type TenantSection = {
  id: TenantSectionId;
  label: string;
  icon: ComponentType<{ size?: number }>;
  /** What the section is for, shown while the tenant is not active yet. */
  description: string;
};

/** The sections of a tenant's page, as the spec lists them; each is a tab. */
export const TENANT_SECTIONS: readonly TenantSection[] = [
  {
    id: 'overview',
    label: 'Overview',
    icon: IconDashboard,
    description: 'Figures, backend status and details of the tenant.',
  },
  {
    id: 'admin-password',
    label: 'Admin password',
    icon: IconLock,
    description:
      'View the initial admin password once, or reset it to a new one the backend applies at once.',
  },
  {
    id: 'database',
    label: 'Database',
    icon: IconDatabase,
    description:
      'Connection details of the tenant database and its migrations: applied, pending, and applying them.',
  },
  {
    id: 'secrets',
    label: 'Secrets',
    icon: IconKey,
    description:
      'Rotate the JWT secret, the login-worker token and the proxy token. The backend accepts the previous value for a grace period.',
  },
  {
    id: 'bootstrap-token',
    label: 'Bootstrap token',
    icon: IconTicket,
    description: 'Show or replace the token Terraform uses to bootstrap this tenant.',
  },
  {
    id: 'cp-token',
    label: 'CP token',
    icon: IconShield,
    description: "Rotate the token the control plane uses to call this tenant's API.",
  },
  {
    id: 'workers',
    label: 'Workers',
    icon: IconCpu,
    description:
      'Where tasks and login scripts run: inline, on an agent pool, or in a shared or dedicated login worker.',
  },
  {
    id: 'backups',
    label: 'Backups',
    icon: IconDownload,
    description:
      'Back up the tenant database, download, verify and delete backups, and set their schedule and retention.',
  },
];

export function sectionOf(value: string | null): TenantSectionId {
  return TENANT_SECTIONS.find((section) => section.id === value)?.id ?? 'overview';
}
