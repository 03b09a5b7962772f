import {
  type CSSVariablesResolver,
  createTheme,
  defaultVariantColorsResolver,
  type MantineColorsTuple,
  type MantineTheme,
  parseThemeColor,
  type VariantColorsResolver,
} from '@mantine/core';

// The JustIAM accent: a calm blue-violet that reads well on light and dark surfaces.
const brand: MantineColorsTuple = [
  '#eef0ff',
  '#dcdefa',
  '#b5baf0',
  '#8b93e7',
  '#6872df',
  '#525ddb',
  '#4652da',
  '#3743c2',
  '#303bae',
  '#25329a',
];

/** WCAG AA for body text: every colour of text below meets it on the surfaces it is shown on. */
export const AA_CONTRAST = 4.5;

type Rgb = readonly [number, number, number];

function rgbOf(hex: string): Rgb {
  const digits = hex.replace('#', '');
  const full = digits.length === 3 ? [...digits].map((d) => d + d).join('') : digits;
  return [0, 2, 4].map((i) => Number.parseInt(full.slice(i, i + 2), 16)) as unknown as Rgb;
}

function hexOf(rgb: Rgb): string {
  return `#${rgb.map((v) => Math.round(v).toString(16).padStart(2, '0')).join('')}`;
}

/** WCAG 2 relative luminance of a `#rrggbb` colour. */
export function relativeLuminance(hex: string): number {
  const [r, g, b] = rgbOf(hex).map((v) => {
    const c = v / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  }) as unknown as Rgb;
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

/** WCAG 2 contrast ratio of two `#rrggbb` colours (1 to 21). */
export function contrastRatio(a: string, b: string): number {
  const [high, low] = [relativeLuminance(a), relativeLuminance(b)].sort((x, y) => y - x) as [number, number];
  return (high + 0.05) / (low + 0.05);
}

/** `hex` moved `amount` (0–1) of the way to `toward`. */
export function mixColors(hex: string, toward: string, amount: number): string {
  const from = rgbOf(hex);
  const to = rgbOf(toward);
  return hexOf(from.map((v, i) => v + (to[i]! - v) * amount) as unknown as Rgb);
}

/**
 * The first of `candidates` that meets AA on every one of `backgrounds`; when none does, the last
 * one moved toward `toward` (black on light surfaces, white on dark ones) in 5 % steps until it does.
 */
export function readableOn(
  candidates: readonly string[],
  backgrounds: readonly string[],
  toward: string,
): string {
  const reads = (color: string) => backgrounds.every((bg) => contrastRatio(color, bg) >= AA_CONTRAST);
  const found = candidates.find(reads);
  if (found) return found;
  const last = candidates[candidates.length - 1]!;
  for (let step = 1; step <= 20; step++) {
    const moved = mixColors(last, toward, step * 0.05);
    if (reads(moved)) return moved;
  }
  return toward;
}

const WHITE = '#ffffff';
const BLACK = '#000000';

/**
 * The colours the UI puts text on. Light: the page and cards (white), the navigation and hovered
 * rows (gray 0), gray badges and striped rows (gray 1). Dark: the page (dark 7), cards and hovered
 * rows (dark 6), the navigation (dark 8), and hovered buttons (dark 5).
 */
function surfaces(theme: MantineTheme) {
  const { gray, dark } = theme.colors;
  return {
    light: [theme.white, gray[0], gray[1]],
    dark: [dark[7], dark[6], dark[8], dark[5]],
  } as const;
}

/** Mantine's own `darken` for hex colours (the dark theme's light-variant backgrounds). */
function darkenLikeMantine(hex: string, alpha: number): string {
  return hexOf(rgbOf(hex).map((v) => Math.round(v * (1 - alpha))) as unknown as Rgb);
}

/** Shades of a colour from `from` to `to` (either direction), as hex strings. */
function shades(tuple: readonly string[], from: number, to: number): string[] {
  const step = from <= to ? 1 : -1;
  const out: string[] = [];
  for (let i = from; i !== to + step; i += step) out.push(tuple[i]!);
  return out;
}

/** Whether white text reads on a filled shade of the colour (a darker shade where needed). */
function takesWhiteText(tuple: readonly string[], primaryShade: number): boolean {
  return shades(tuple, primaryShade, 9).some((shade) => contrastRatio(shade, WHITE) >= AA_CONTRAST);
}

/** Mantine's primary shade per scheme, as this theme sets it. */
const PRIMARY_SHADE = { light: 6, dark: 5 } as const;

/**
 * Text colours that meet WCAG AA in both themes, as CSS variables over Mantine's defaults (which
 * use shade 6 for coloured text and a gray 6 "dimmed" that reads at 3.3:1 on white). Computed
 * from the palettes, so a colour added to the theme gets readable variables too:
 * - `dimmed`, `anchor`, `error`, `success`;
 * - per colour: `-text` (`c="red"`), `-outline` (outline buttons), `-light-color` (light badges
 *   and buttons on their tinted background), and for filled buttons and badges `-filled` and
 *   `-filled-hover` dark enough for white text, or black text (`-contrast`) on colours no shade
 *   of which carries white (yellow, orange, lime).
 */
export const cssVariablesResolver: CSSVariablesResolver = (theme) => {
  const on = surfaces(theme);
  const light: Record<string, string> = {
    '--mantine-color-dimmed': readableOn([theme.colors.gray[6]], on.light, BLACK),
  };
  const dark: Record<string, string> = {
    '--mantine-color-dimmed': readableOn([theme.colors.dark[2]], on.dark, WHITE),
  };
  for (const [name, value] of Object.entries(theme.colors)) {
    const tuple = value as readonly string[];
    if (tuple.length !== 10) continue;
    const lightBackgrounds = [...on.light, tuple[1]!, tuple[2]!];
    const darkBackgrounds = [
      ...on.dark,
      darkenLikeMantine(tuple[9]!, 0.5),
      darkenLikeMantine(tuple[9]!, 0.3),
    ];
    const lightText = readableOn(shades(tuple, 6, 9), lightBackgrounds, BLACK);
    const darkText = readableOn(shades(tuple, 4, 0), darkBackgrounds, WHITE);
    light[`--mantine-color-${name}-text`] = lightText;
    light[`--mantine-color-${name}-outline`] = lightText;
    light[`--mantine-color-${name}-light-color`] = readableOn(shades(tuple, 9, 9), lightBackgrounds, BLACK);
    dark[`--mantine-color-${name}-text`] = darkText;
    dark[`--mantine-color-${name}-light-color`] = readableOn(shades(tuple, 0, 0), darkBackgrounds, WHITE);
    if (takesWhiteText(tuple, PRIMARY_SHADE.light)) {
      const lightIndex = tuple.findIndex(
        (s, i) => i >= PRIMARY_SHADE.light && contrastRatio(s, WHITE) >= AA_CONTRAST,
      );
      const darkIndex = tuple.findIndex(
        (s, i) => i >= PRIMARY_SHADE.dark && contrastRatio(s, WHITE) >= AA_CONTRAST,
      );
      const hover = (index: number) => (index < 9 ? tuple[index + 1]! : mixColors(tuple[9]!, BLACK, 0.1));
      light[`--mantine-color-${name}-filled`] = tuple[lightIndex]!;
      light[`--mantine-color-${name}-filled-hover`] = hover(lightIndex);
      dark[`--mantine-color-${name}-filled`] = tuple[darkIndex]!;
      dark[`--mantine-color-${name}-filled-hover`] = hover(darkIndex);
      light[`--mantine-color-${name}-contrast`] = 'var(--mantine-color-white)';
      dark[`--mantine-color-${name}-contrast`] = 'var(--mantine-color-white)';
    } else {
      light[`--mantine-color-${name}-contrast`] = 'var(--mantine-color-black)';
      dark[`--mantine-color-${name}-contrast`] = 'var(--mantine-color-black)';
    }
  }
  light['--mantine-color-anchor'] = light[`--mantine-color-${theme.primaryColor}-text`]!;
  dark['--mantine-color-anchor'] = dark[`--mantine-color-${theme.primaryColor}-text`]!;
  light['--mantine-color-error'] = light['--mantine-color-red-text']!;
  dark['--mantine-color-error'] = dark['--mantine-color-red-text']!;
  light['--mantine-color-success'] = light['--mantine-color-teal-text']!;
  dark['--mantine-color-success'] = dark['--mantine-color-teal-text']!;
  return { variables: {}, light, dark };
};

/**
 * Mantine's variant colours, except that filled buttons and badges of a theme colour take their
 * text colour from `--mantine-color-<name>-contrast` (white, or black where white cannot read).
 */
export const variantColorResolver: VariantColorsResolver = (input) => {
  const colors = defaultVariantColorsResolver(input);
  if (input.variant !== 'filled') return colors;
  const parsed = parseThemeColor({ color: input.color || input.theme.primaryColor, theme: input.theme });
  if (!parsed.isThemeColor || parsed.shade !== undefined) return colors;
  return { ...colors, color: `var(--mantine-color-${parsed.color}-contrast)` };
};

export const theme = createTheme({
  primaryColor: 'brand',
  primaryShade: PRIMARY_SHADE,
  colors: { brand },
  variantColorResolver,
  defaultRadius: 'md',
  fontFamily:
    'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, "JetBrains Mono", Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
  cursorType: 'pointer',
  // Modals, drawers and menus appear without sliding or fading for those who ask for less motion.
  respectReducedMotion: true,
  components: {
    Card: { defaultProps: { withBorder: true, padding: 'lg', radius: 'md' } },
    Paper: { defaultProps: { radius: 'md' } },
    Badge: { defaultProps: { radius: 'sm', variant: 'light' } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 300 } },
    // A dialog's or drawer's close button is an icon: it needs a name (a dialog may give its own).
    Modal: {
      defaultProps: { radius: 'md', centered: true, closeButtonProps: { 'aria-label': 'Close dialog' } },
    },
    Drawer: { defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } },
    // Focus goes to the first item when a menu opens: Mantine's focus placeholder instead is an
    // element a menu may not hold (it is neither a menu item nor ignorable).
    Menu: { defaultProps: { withInitialFocusPlaceholder: false } },
  },
});
