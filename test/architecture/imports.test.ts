import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { describe, expect, it } from 'vitest';

/**
 * The import graph of src/, type-only imports included: a cycle between modules makes the order
 * in which they run depend on who is imported first, and a type-only one is the first step of
 * such a cycle. dependency-cruiser reads the files as they are; nothing runs.
 */
const rules = [
  { name: 'no-cycle', severity: 'error', from: {}, to: { circular: true } },
  // Every domain uses accounts (viewers, roles, the audit log), so accounts uses none of them but
  // geo, the divisions a user's scope names; the table of every domain's actions is src/http/'s.
  {
    name: 'accounts-above-no-domain',
    severity: 'error',
    from: { path: '^src/domains/accounts/' },
    to: { path: '^src/domains/(?!accounts/|geo/)' },
  },
] as const;

async function cruiseSrc(): Promise<ICruiseResult> {
  const { output } = await cruise(['src'], {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    validate: true,
    ruleSet: { forbidden: rules.map((rule) => ({ ...rule, from: { ...rule.from }, to: { ...rule.to } })) },
  });
  if (typeof output === 'string') throw new Error('dependency-cruiser answered with text, not a result');
  return output;
}

let cruised: Promise<ICruiseResult> | undefined;
const importGraph = () => (cruised ??= cruiseSrc());

describe('the import graph of src/', () => {
  it('has no cycle', async () => {
    const graph = await importGraph();
    // A graph of a handful of modules would mean the files were not found, not that all is well.
    expect(graph.summary.totalCruised).toBeGreaterThan(150);
    const cycles = graph.summary.violations
      .filter((v) => v.rule.name === 'no-cycle')
      .map((v) => [v.from, ...(v.cycle ?? []).map((step) => step.name)].join(' → '));
    expect(cycles).toEqual([]);
  });

  it('has accounts import no domain but geo', async () => {
    const graph = await importGraph();
    const wrong = graph.summary.violations.filter((v) => v.rule.name === 'accounts-above-no-domain').map((v) => `${v.from} → ${v.to}`);
    expect(wrong).toEqual([]);
  });
});
