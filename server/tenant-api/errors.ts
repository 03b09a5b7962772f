/** How a tenant API call failed: no answer in time, no connection, an error status, or a reply that breaks the contract. */
export type TenantApiErrorKind = 'timeout' | 'network' | 'http' | 'invalid-response';

export type TenantApiErrorInit = {
  slug: string;
  /** Method and path, e.g. `GET /cp/v1/status`. */
  endpoint: string;
  kind: TenantApiErrorKind;
  /** What went wrong, after the endpoint: `timed out after 3000 ms`. Must not hold secret values. */
  detail: string;
  status?: number;
  /** The backend's error code (`{error:{code}}`), when it sent one. */
  code?: string;
  attempts: number;
  cause?: unknown;
};

/**
 * A failed call to a tenant backend. The message names the tenant and the endpoint and never
 * carries the CP token or request bodies, so it is safe to log and to show to an operator.
 */
export class TenantApiError extends Error {
  override name = 'TenantApiError';
  readonly slug: string;
  readonly endpoint: string;
  readonly kind: TenantApiErrorKind;
  readonly status: number | undefined;
  readonly code: string | undefined;
  /** How many requests were made before giving up. */
  readonly attempts: number;

  constructor(init: TenantApiErrorInit) {
    const tries = init.attempts > 1 ? ` (${init.attempts} attempts)` : '';
    super(`tenant ${init.slug}: ${init.endpoint} ${init.detail}${tries}`, { cause: init.cause });
    this.slug = init.slug;
    this.endpoint = init.endpoint;
    this.kind = init.kind;
    this.status = init.status;
    this.code = init.code;
    this.attempts = init.attempts;
  }
}
