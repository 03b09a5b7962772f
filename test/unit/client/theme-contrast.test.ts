import { DEFAULT_THEME, mergeMantineTheme } from '@mantine/core';
import { describe, expect, it } from 'vitest';
import {
  AA_CONTRAST,
  contrastRatio,
  cssVariablesResolver,
  mixColors,
  readableOn,
  theme,
  variantColorResolver,
} from '../../../client/src/theme.ts';

const full = mergeMantineTheme(DEFAULT_THEME, theme);
const { light, dark } = cssVariablesResolver(full);
const palettes = Object.entries(full.colors) as [string, readonly string[]][];
const { gray, dark: darks } = full.colors;

/** A variable's colour: its hex value, or the shade or colour it names. */
function resolve(value: string): string {
  const shade = /^var\(--mantine-color-(\w+)-(\d)\)$/.exec(value);
  if (shade) return full.colors[shade[1]!]![Number(shade[2])]!;
  if (value === 'var(--mantine-color-white)') return full.white;
  if (value === 'var(--mantine-color-black)') return full.black;
  return value;
}

/** Mantine's dark-theme light-variant background: shade 9 darkened by `alpha`. */
const darkened = (hex: string, alpha: number) => mixColors(hex, '#000000', alpha);

describe('WCAG contrast arithmetic', () => {
  it('measures the ratios WCAG gives as examples', () => {
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#777777', '#ffffff')).toBeCloseTo(4.48, 2);
    expect(contrastRatio('#ffffff', '#777777')).toBe(contrastRatio('#777777', '#ffffff'));
    // Mantine's own "dimmed" gray on white, what axe reported before the theme set its own.
    expect(contrastRatio('#868e96', '#ffffff')).toBeCloseTo(3.32, 2);
  });

  it('takes the first readable candidate, or darkens the last until it reads', () => {
    expect(readableOn(['#eeeeee', '#595959', '#000000'], ['#ffffff'], '#000000')).toBe('#595959');
    const moved = readableOn(['#ffd43b'], ['#ffffff'], '#000000');
    expect(moved).not.toBe('#ffd43b');
    expect(contrastRatio(moved, '#ffffff')).toBeGreaterThanOrEqual(AA_CONTRAST);
  });
});

describe('the theme’s text colours meet WCAG AA', () => {
  it('dims text without falling below 4.5:1 on the page, cards, navigation and gray surfaces', () => {
    for (const bg of [full.white, gray[0], gray[1]])
      expect(contrastRatio(light['--mantine-color-dimmed']!, bg)).toBeGreaterThanOrEqual(AA_CONTRAST);
    for (const bg of [darks[7], darks[6], darks[8], darks[5]])
      expect(contrastRatio(dark['--mantine-color-dimmed']!, bg)).toBeGreaterThanOrEqual(AA_CONTRAST);
  });

  it.each(palettes)(
    '%s: coloured text, outlines and light variants read on their backgrounds',
    (name, shades) => {
      const lightSurfaces = [full.white, gray[0], gray[1], shades[1]!, shades[2]!];
      const darkSurfaces = [
        darks[7],
        darks[6],
        darks[8],
        darks[5],
        darkened(shades[9]!, 0.5),
        darkened(shades[9]!, 0.3),
      ];
      for (const variable of ['text', 'outline', 'light-color'])
        for (const bg of lightSurfaces)
          expect(
            contrastRatio(resolve(light[`--mantine-color-${name}-${variable}`]!), bg),
            `${variable} on ${bg}`,
          ).toBeGreaterThanOrEqual(AA_CONTRAST);
      for (const variable of ['text', 'light-color'])
        for (const bg of darkSurfaces)
          expect(
            contrastRatio(resolve(dark[`--mantine-color-${name}-${variable}`]!), bg),
            `${variable} on ${bg}`,
          ).toBeGreaterThanOrEqual(AA_CONTRAST);
    },
  );

  it.each(palettes)('%s: filled buttons and badges carry white or black text that reads', (name, shades) => {
    for (const [scheme, variables, primary] of [
      ['light', light, 6],
      ['dark', dark, 5],
    ] as const) {
      const filled = resolve(
        variables[`--mantine-color-${name}-filled`] ?? `var(--mantine-color-${name}-${primary})`,
      );
      const text = resolve(variables[`--mantine-color-${name}-contrast`]!);
      expect(contrastRatio(filled, text), `${scheme}: ${text} on ${filled}`).toBeGreaterThanOrEqual(
        AA_CONTRAST,
      );
      expect(shades).toContain(filled);
    }
  });

  it('keeps the accent as it was where it already reads: brand buttons stay brand 6 with white text', () => {
    expect(light['--mantine-color-brand-filled']).toBe(full.colors.brand![6]);
    expect(light['--mantine-color-brand-contrast']).toBe('var(--mantine-color-white)');
    expect(light['--mantine-color-error']).toBe(light['--mantine-color-red-text']);
    expect(dark['--mantine-color-anchor']).toBe(dark['--mantine-color-brand-text']);
  });

  it('gives filled variants of theme colours the colour’s contrast text, and leaves other variants alone', () => {
    expect(variantColorResolver({ color: 'red', theme: full, variant: 'filled' }).color).toBe(
      'var(--mantine-color-red-contrast)',
    );
    expect(variantColorResolver({ color: 'yellow', theme: full, variant: 'filled' }).color).toBe(
      'var(--mantine-color-yellow-contrast)',
    );
    expect(light['--mantine-color-yellow-contrast']).toBe('var(--mantine-color-black)');
    expect(variantColorResolver({ color: 'red', theme: full, variant: 'light' }).color).toBe(
      'var(--mantine-color-red-light-color)',
    );
    // An explicit shade or a CSS colour is the caller's choice.
    expect(variantColorResolver({ color: 'red.9', theme: full, variant: 'filled' }).color).toBe(
      'var(--mantine-color-white)',
    );
  });
});
