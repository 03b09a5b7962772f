import { gzipSync } from 'node:zlib';
import type { Logger, Plugin } from 'vite';

type BundleItem =
  | { type: 'chunk'; fileName: string; code: string; isEntry: boolean; imports: string[] }
  | { type: 'asset'; fileName: string };

/**
 * The chunks a browser must load before the first route can render: the entry chunks and,
 * transitively, what they import statically. Lazily imported chunks are left out.
 */
export function initialChunks(bundle: Record<string, BundleItem>): string[] {
  const seen = new Set<string>();
  const visit = (fileName: string) => {
    const item = bundle[fileName];
    if (item?.type !== 'chunk' || seen.has(fileName)) return;
    seen.add(fileName);
    for (const imported of item.imports) visit(imported);
  };
  for (const item of Object.values(bundle)) if (item.type === 'chunk' && item.isEntry) visit(item.fileName);
  return [...seen].sort();
}

/** Gzipped bytes of the initial chunks, each compressed on its own as a server would send it. */
export function initialGzipBytes(bundle: Record<string, BundleItem>): number {
  let total = 0;
  for (const fileName of initialChunks(bundle)) {
    const item = bundle[fileName];
    if (item?.type === 'chunk') total += gzipSync(item.code).length;
  }
  return total;
}

/** "61.2 kB", with kB = 1000 bytes as Vite prints sizes. */
export function formatKb(bytes: number): string {
  return `${(bytes / 1000).toFixed(1)} kB`;
}

/**
 * Prints the initial route's gzipped JavaScript after a build and fails the build when it is over
 * `budgetKb`, so a heavy dependency shows up in the change that adds it rather than months later.
 */
export function initialJsBudget({ budgetKb }: { budgetKb: number }): Plugin {
  let logger: Logger | undefined;
  return {
    name: 'justiam:initial-js-budget',
    apply: 'build',
    configResolved(config) {
      logger = config.logger;
    },
    generateBundle(_options, bundle) {
      const bytes = initialGzipBytes(bundle as Record<string, BundleItem>);
      const line = `initial JS: ${formatKb(bytes)} gzipped (budget ${budgetKb} kB)`;
      if (bytes > budgetKb * 1000) this.error(`${line}: over budget`);
      (logger ?? console).info(line);
    },
  };
}
