import { useSyncExternalStore } from 'react';
import { mayLeave } from './leave-guard.ts';

const listeners = new Set<() => void>();

function subscribe(onChange: () => void): () => void {
  listeners.add(onChange);
  window.addEventListener('popstate', onChange);
  return () => {
    listeners.delete(onChange);
    window.removeEventListener('popstate', onChange);
  };
}

function notify(): void {
  for (const onChange of listeners) onChange();
}

/** Goes to `href` inside the app without a page load; back and forward keep working. */
export function navigate(href: string): void {
  if (href === window.location.pathname + window.location.search) return;
  // A form with unsaved changes asks before the page it is on goes away.
  if (!mayLeave()) return;
  window.history.pushState(null, '', href);
  window.scrollTo(0, 0);
  notify();
}

/**
 * Replaces the query string of the current page (filters, the open tab) without adding a history
 * entry for every keystroke; values that are empty are left out.
 */
export function replaceQuery(params: Readonly<Record<string, string | null | undefined>>): void {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) if (value) query.set(key, value);
  const text = query.toString();
  const href = `${window.location.pathname}${text ? `?${text}` : ''}`;
  if (href === window.location.pathname + window.location.search) return;
  window.history.replaceState(null, '', href);
  notify();
}

/** The current pathname; re-renders on `navigate` and on back/forward. */
export function usePathname(): string {
  return useSyncExternalStore(subscribe, () => window.location.pathname);
}

/** The current query string (with its `?`, or empty); re-renders when it changes. */
export function useSearch(): string {
  return useSyncExternalStore(subscribe, () => window.location.search);
}

export type ClickLike = {
  button: number;
  metaKey: boolean;
  ctrlKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
  defaultPrevented: boolean;
};

/**
 * Whether a click on a link should be handled by the router. Modified or middle clicks are left to
 * the browser so "open in new tab" and friends behave as on any other link.
 */
export function isPlainLeftClick(event: ClickLike): boolean {
  return (
    event.button === 0 &&
    !event.defaultPrevented &&
    !event.metaKey &&
    !event.ctrlKey &&
    !event.shiftKey &&
    !event.altKey
  );
}
