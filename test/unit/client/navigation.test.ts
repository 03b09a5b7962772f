import { describe, expect, it } from 'vitest';
import { type ClickLike, isPlainLeftClick } from '../../../client/src/router/navigation.ts';

const plain: ClickLike = {
  button: 0,
  metaKey: false,
  ctrlKey: false,
  shiftKey: false,
  altKey: false,
  defaultPrevented: false,
};

describe('isPlainLeftClick', () => {
  it('lets the router take a plain left click', () => {
    expect(isPlainLeftClick(plain)).toBe(true);
  });

  it('leaves modified, middle and already-handled clicks to the browser (new tab, new window, download)', () => {
    expect(isPlainLeftClick({ ...plain, metaKey: true })).toBe(false);
    expect(isPlainLeftClick({ ...plain, ctrlKey: true })).toBe(false);
    expect(isPlainLeftClick({ ...plain, shiftKey: true })).toBe(false);
    expect(isPlainLeftClick({ ...plain, altKey: true })).toBe(false);
    expect(isPlainLeftClick({ ...plain, button: 1 })).toBe(false);
    expect(isPlainLeftClick({ ...plain, defaultPrevented: true })).toBe(false);
  });
});
