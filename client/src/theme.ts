import { createTheme, type MantineColorsTuple } from '@mantine/core';

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

export const theme = createTheme({
  primaryColor: 'brand',
  primaryShade: { light: 6, dark: 5 },
  colors: { brand },
  defaultRadius: 'md',
  fontFamily:
    'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, "JetBrains Mono", Menlo, Consolas, monospace',
  headings: { fontWeight: '650' },
  cursorType: 'pointer',
  components: {
    Card: { defaultProps: { withBorder: true, padding: 'lg', radius: 'md' } },
    Paper: { defaultProps: { radius: 'md' } },
    Badge: { defaultProps: { radius: 'sm', variant: 'light' } },
    Tooltip: { defaultProps: { withArrow: true, openDelay: 300 } },
    Modal: { defaultProps: { radius: 'md', centered: true } },
  },
});
