import { mapExchange } from 'urql';
import { isUnauthenticated, redirectToLogin } from './login.ts';

/**
 * The auth step of the exchange chain. Sessions are cookies today, so requests need nothing added;
 * a failed one that says the session is missing or over leads to the login page. When operator
 * sign-in lands, token refresh or headers belong here too.
 */
export const authExchange = mapExchange({
  onError(error) {
    if (isUnauthenticated(error)) redirectToLogin();
  },
});
