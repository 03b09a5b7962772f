/**
 * The one place that decides when the operator must sign in again and sends them there. The
 * GraphQL exchange, the WebSocket transport and any future fetch call it; nothing else redirects.
 */

/** Where the server starts an OIDC login; it sends the browser back to `return_to` afterwards. */
export const LOGIN_PATH = '/auth/login';

/** graphql-ws close code for a connection the server refused to authenticate. */
export const WS_UNAUTHORIZED_CLOSE = 4401;

type ErrorLike = {
  response?: { status?: number } | undefined;
  graphQLErrors?: readonly { extensions?: Readonly<Record<string, unknown>> | undefined }[];
};

/** Whether a failed request means "no valid session": HTTP 401 or a GraphQL `UNAUTHENTICATED` error. */
export function isUnauthenticated(error: ErrorLike): boolean {
  if (error.response?.status === 401) return true;
  return (error.graphQLErrors ?? []).some((e) => e.extensions?.code === 'UNAUTHENTICATED');
}

/**
 * The login URL that brings the operator back to where they were. Only a path on this origin is
 * passed on, so the login flow can never be used to send someone elsewhere.
 */
export function loginUrl(current: { pathname: string; search: string }): string {
  const returnTo = `${current.pathname}${current.search}`;
  const safe = returnTo.startsWith('/') && !returnTo.startsWith('//') ? returnTo : '/ui/';
  return `${LOGIN_PATH}?return_to=${encodeURIComponent(safe)}`;
}

let redirecting = false;

/** Sends the browser to the login page once, however many requests fail at the same moment. */
export function redirectToLogin(): void {
  if (redirecting) return;
  redirecting = true;
  window.location.assign(loginUrl(window.location));
}

/**
 * Ends the session and leaves the UI: to the issuer's sign-out when it has one (which returns to
 * /auth/signed-out), else straight to /auth/signed-out. The CSRF header proves the request comes from our own pages.
 */
export async function signOut(): Promise<void> {
  // Ending the session closes the live socket (4401) and fails queries in flight (401) while the
  // logout request is still under way: those must not start a sign-in that races this navigation.
  redirecting = true;
  const res = await fetch('/auth/logout', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'x-graphql-yoga-csrf': '1', accept: 'application/json' },
  }).catch(() => undefined);
  const body = (await res?.json().catch(() => ({}))) as { end_session_url?: string | null } | undefined;
  // Without an issuer sign-out, to our own "signed out" page: the login page would sign the user
  // straight back in with the issuer's session.
  window.location.assign(body?.end_session_url ?? '/auth/signed-out');
}
