import { describe, expect, it } from 'vitest';
import { defaultProjectConfig } from '../../src/domains/projects/config.ts';
import { relativeChange, sumCounts } from '../../src/domains/projects/figures.ts';
import {
  consultationRequired,
  outputBoundProblem,
  progressOf,
  projectStatuses,
  transitions,
} from '../../src/domains/projects/lifecycle.ts';
import { mayManageProject, mayReadProject } from '../../src/domains/projects/policy.ts';
import { aroundDate, aroundWork, firstMonthAfter, monthsElapsed } from '../../src/domains/projects/windows.ts';
import { emptyCounts } from '../../src/domains/evaluation/rates.ts';
import type { Viewer } from '../../src/domains/accounts/viewer.ts';

describe('project lifecycle', () => {
  it('moves forward only, with completed and cancelled final', () => {
    expect(transitions.proposed).toEqual(['consulting', 'approved', 'cancelled']);
    expect(transitions.in_progress).toContain('stalled');
    expect(transitions.stalled).toContain('in_progress');
    expect(transitions.completed).toEqual([]);
    expect(transitions.cancelled).toEqual([]);
    for (const from of projectStatuses) expect(transitions[from]).not.toContain(from);
    // Every status can be reached from proposed.
    const reached = new Set(['proposed']);
    for (let grew = true; grew; ) {
      grew = false;
      for (const from of reached)
        for (const to of transitions[from as keyof typeof transitions])
          if (!reached.has(to)) {
            reached.add(to);
            grew = true;
          }
    }
    expect([...reached].sort()).toEqual([...projectStatuses].sort());
  });

  it('asks for a consultation by default, a project’s own rule first', () => {
    expect(consultationRequired(null, defaultProjectConfig)).toBe(true);
    expect(consultationRequired(false, defaultProjectConfig)).toBe(false);
    expect(consultationRequired(true, { ...defaultProjectConfig, requireConsultationForApproval: false })).toBe(true);
  });

  it('derives progress from weights, never from a typed number', () => {
    expect(progressOf([], 'in_progress')).toBeNull();
    expect(progressOf([], 'completed')).toBe(1);
    expect(
      progressOf(
        [
          { weight: 3, done_on: '2022-04-28' },
          { weight: 2, done_on: null },
          { weight: 2, done_on: null },
        ],
        'in_progress',
      ),
    ).toBeCloseTo(3 / 7, 12);
    expect(
      progressOf(
        [
          { weight: 1, done_on: '2023-01-20' },
          { weight: 3, done_on: '2023-06-30' },
        ],
        'in_progress',
      ),
    ).toBe(1);
  });

  it('bounds outputs: up to ten times the target and a million', () => {
    const bounds = defaultProjectConfig.outputBounds;
    expect(outputBoundProblem(791, 791, bounds)).toBeNull();
    expect(outputBoundProblem(50, 500, bounds)).toBeNull();
    expect(outputBoundProblem(50, 501, bounds)?.zh).toMatch(/10 倍/);
    expect(outputBoundProblem(1_000_000, 1_000_001, bounds)?.en).toMatch(/cannot exceed 1000000/);
    expect(outputBoundProblem(0, 0, bounds)).not.toBeNull();
    expect(outputBoundProblem(10, -1, bounds)).not.toBeNull();
  });
});

describe('before/after windows', () => {
  it('puts a date’s month on the side holding most of its days', () => {
    expect(firstMonthAfter('2021-11-30')).toBe('2021-12');
    expect(firstMonthAfter('2022-05-01')).toBe('2022-05');
    expect(firstMonthAfter('2022-05-15')).toBe('2022-05');
    expect(firstMonthAfter('2022-05-16')).toBe('2022-06');
    expect(firstMonthAfter('2023-12-20')).toBe('2024-01');
  });

  it('gives Fengtai’s first batch the year the demo world holds before it', () => {
    expect(aroundDate('2021-11-30', 12)).toEqual({ before: { from: '2020-12', to: '2021-11' }, after: { from: '2021-12', to: '2022-11' } });
    expect(aroundWork('2022-03-01', '2022-11-01', 12)).toEqual({
      before: { from: '2021-03', to: '2022-02' },
      after: { from: '2022-11', to: '2023-10' },
    });
  });

  it('counts the months of a window that have begun', () => {
    expect(monthsElapsed({ from: '2023-01', to: '2023-12' }, '2022-12')).toBe(0);
    expect(monthsElapsed({ from: '2023-01', to: '2023-12' }, '2023-03')).toBe(3);
    expect(monthsElapsed({ from: '2023-01', to: '2023-12' }, '2025-01')).toBe(12);
  });

  it('computes the article’s relative change and sums counts, not rates', () => {
    expect(relativeChange(26 / 35, 22 / 23)! * 100).toBeCloseTo(28.7625, 3);
    expect(relativeChange(0, 0.5)).toBeNull();
    expect(relativeChange(null, 0.5)).toBeNull();
    const a = { ...emptyCounts(), resolutionValid: 1, solved: 1 };
    const b = { ...emptyCounts(), resolutionValid: 9, solved: 0 };
    expect(sumCounts([a, b])).toMatchObject({ resolutionValid: 10, solved: 1 });
  });
});

describe('project policy', () => {
  const viewer = (role: Viewer['role'], scopeCode: string): Viewer => ({ userId: 1, actor: 'x', role, scopeCode });
  const project = { communityCode: '110106008028', leadCadreId: 7 };
  it('lets scoped managers in scope and secretaries on their own lead', () => {
    expect(mayManageProject(viewer('street_office', '110106008'), project, null)).toBe(true);
    expect(mayManageProject(viewer('street_office', '110106001'), project, null)).toBe(false);
    expect(mayManageProject(viewer('hotline_office', '110106'), project, null)).toBe(false);
    expect(mayManageProject(viewer('secretary', '110106008028'), project, 7)).toBe(true);
    expect(mayManageProject(viewer('secretary', '110106008028'), project, 8)).toBe(false);
    expect(mayReadProject(viewer('secretary', '110107'), project, 7)).toBe(true);
    expect(mayReadProject(viewer('viewer', '110107'), project, null)).toBe(false);
  });
});
