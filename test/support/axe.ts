import axe from 'axe-core';
import type { Page } from 'playwright-core';

/** The rule sets checked: WCAG 2.0 and 2.1, levels A and AA, and axe's best practices. */
export const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] as const;

/** The impacts that fail a page; moderate and minor findings are reported, not failed. */
export const FAILING_IMPACTS: readonly string[] = ['serious', 'critical'];

export type AxeFinding = {
  rule: string;
  impact: string;
  help: string;
  helpUrl: string;
  /** Each offending element: its CSS selector and axe's summary of what is wrong with it. */
  nodes: { target: string; summary: string; html: string }[];
};

/**
 * Runs axe-core on the document `page` shows, as it is now (dialogs and drawers included): the
 * rules of `AXE_TAGS`, or only the rules named in `rules`. The engine is evaluated into the page
 * through the DevTools protocol, which the page's Content-Security-Policy does not govern, so the
 * UI is checked under its real policy.
 */
export async function runAxe(page: Page, rules?: readonly string[]): Promise<AxeFinding[]> {
  const loaded = await page.evaluate(() => typeof (window as { axe?: unknown }).axe === 'object');
  if (!loaded) await page.evaluate(axe.source);
  return page.evaluate(
    async ({ tags, rules }) => {
      const engine = (window as unknown as { axe: typeof import('axe-core') }).axe;
      const result = await engine.run(document, {
        runOnly: rules ? { type: 'rule', values: rules } : { type: 'tag', values: tags },
        resultTypes: ['violations'],
      });
      return result.violations.map((violation) => ({
        rule: violation.id,
        impact: violation.impact ?? 'unknown',
        help: violation.help,
        helpUrl: violation.helpUrl,
        nodes: violation.nodes.map((node) => ({
          target: node.target.map(String).join(' '),
          summary: node.failureSummary ?? '',
          html: node.html.length > 200 ? `${node.html.slice(0, 200)}…` : node.html,
        })),
      }));
    },
    { tags: [...AXE_TAGS] as string[], rules: rules ? [...rules] : undefined },
  );
}

/** Findings as lines a person reads in a test failure: rule, impact, each element and why. */
export function formatFindings(where: string, findings: readonly AxeFinding[]): string {
  return findings
    .map((finding) =>
      [
        `${where}: [${finding.impact}] ${finding.rule}: ${finding.help} (${finding.helpUrl})`,
        ...finding.nodes.map(
          (node) =>
            `    at ${node.target}\n      ${node.html}\n      ${node.summary.replace(/\n/g, '\n      ')}`,
        ),
      ].join('\n'),
    )
    .join('\n');
}
