import { useEffect } from 'react';

/** Forms with changes not yet saved, by an id of their own. */
const unsaved = new Set<symbol>();

const QUESTION = 'You have settings that are not saved. Leave this page and lose them?';

/**
 * Whether leaving the page may go ahead: yes when nothing is unsaved, else as the operator answers
 * (`ask`, `window.confirm` in the app). Called by `navigate` before moving within the app.
 */
export function mayLeave(ask: (question: string) => boolean = (q) => window.confirm(q)): boolean {
  return unsaved.size === 0 || ask(QUESTION);
}

function onBeforeUnload(event: BeforeUnloadEvent) {
  if (unsaved.size === 0) return;
  event.preventDefault();
  // Older browsers show the prompt only when returnValue is set.
  event.returnValue = '';
}

/** Marks a form as holding unsaved changes while `dirty`: leaving the page (in the app or the browser) asks first. */
export function useUnsavedChanges(dirty: boolean): void {
  useEffect(() => {
    if (!dirty) return;
    const id = Symbol('unsaved form');
    if (unsaved.size === 0) window.addEventListener('beforeunload', onBeforeUnload);
    unsaved.add(id);
    return () => {
      unsaved.delete(id);
      if (unsaved.size === 0) window.removeEventListener('beforeunload', onBeforeUnload);
    };
  }, [dirty]);
}

/** For tests: marks or clears an unsaved form without React. */
export function markUnsaved(dirty: boolean): () => void {
  const id = Symbol('unsaved form');
  if (dirty) unsaved.add(id);
  return () => unsaved.delete(id);
}
