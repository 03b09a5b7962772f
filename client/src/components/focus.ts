/**
 * A callback ref that moves focus to its element when the element appears: the next action after
 * a submit (the new tenant's link once it is created). Module-level, so React calls it once per
 * element rather than on every render.
 */
export function focusOnMount(element: HTMLElement | null): void {
  element?.focus();
}
