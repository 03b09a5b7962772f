import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { formatKb, initialChunks, initialGzipBytes } from '../../../client/build/initial-js-budget.ts';

const chunk = (fileName: string, imports: string[], isEntry = false) => ({
  type: 'chunk' as const,
  fileName,
  code: `/* ${fileName} */ export const x = ${JSON.stringify('y'.repeat(200))};`,
  isEntry,
  imports,
});

const bundle = {
  'assets/index.js': chunk('assets/index.js', ['assets/vendor.js'], true),
  'assets/vendor.js': chunk('assets/vendor.js', ['assets/shared.js']),
  'assets/shared.js': chunk('assets/shared.js', []),
  'assets/AuditPage.js': chunk('assets/AuditPage.js', ['assets/shared.js']),
  'assets/index.css': { type: 'asset' as const, fileName: 'assets/index.css' },
};

describe('initial JS budget', () => {
  it('counts the entry and everything it imports statically, not lazily loaded chunks or CSS', () => {
    expect(initialChunks(bundle)).toEqual(['assets/index.js', 'assets/shared.js', 'assets/vendor.js']);
  });

  it('sums the gzipped size of each initial chunk', () => {
    const initial = [bundle['assets/index.js'], bundle['assets/vendor.js'], bundle['assets/shared.js']];
    const expected = initial.map((c) => gzipSync(c.code).length).reduce((a, b) => a + b, 0);
    expect(initialGzipBytes(bundle)).toBe(expected);
  });

  it('survives an import cycle between chunks', () => {
    const cyclic = {
      'a.js': chunk('a.js', ['b.js'], true),
      'b.js': chunk('b.js', ['a.js']),
    };
    expect(initialChunks(cyclic)).toEqual(['a.js', 'b.js']);
  });

  it('prints sizes in kB of 1000 bytes, as Vite does', () => {
    expect(formatKb(61_234)).toBe('61.2 kB');
  });
});
