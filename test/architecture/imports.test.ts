import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

/**
 * The import graph of src/, type-only imports included: a cycle between modules makes the order
 * in which they run depend on who is imported first, and a type-only one is the first step of
 * such a cycle. dependency-cruiser reads the files as they are; nothing runs.
 */
async function importGraph(): Promise<ICruiseResult> {
  const { output } = await cruise(['src'], {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    validate: true,
    ruleSet: { forbidden: [{ name: 'no-cycle', severity: 'error', from: {}, to: { circular: true } }] },
  });
  if (typeof output === 'string') throw new Error('dependency-cruiser answered with text, not a result');
  return output;
}

describe('the import graph of src/', () => {
  it('has no cycle', async () => {
    const graph = await importGraph();
    // A graph of a handful of modules would mean the files were not found, not that all is well.
    expect(graph.summary.totalCruised).toBeGreaterThan(150);
    const cycles = graph.summary.violations.map((v) => [v.from, ...(v.cycle ?? []).map((step) => step.name)].join(' → '));
    expect(cycles).toEqual([]);
  });
});
