/**
 * Who is acting. Operators arrive through OIDC sessions or API tokens; `system` is the control
 * plane itself (reconcilers, pollers); `anonymous` exists only until operator login is in place.
 */
export type Actor =
  | { kind: 'operator'; id: string; label: string }
  /** `id` is the token's operator; `tokenId` the token itself. */
  | { kind: 'token'; id: string; label: string; tokenId?: string }
  | { kind: 'system'; id: string; label: string }
  | { kind: 'anonymous'; id: null; label: 'anonymous' };

export const SYSTEM_ACTOR: Actor = { kind: 'system', id: 'control-plane', label: 'control plane' };
export const ANONYMOUS_ACTOR: Actor = { kind: 'anonymous', id: null, label: 'anonymous' };
