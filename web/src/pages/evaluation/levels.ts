import type { TKey } from '../../i18n.tsx';
import type { PlaceLevel } from './api.ts';

export type RankLevel = Exclude<PlaceLevel, 'city'>;
export const RANK_LEVELS: readonly RankLevel[] = ['district', 'street', 'community'];

/** A division's level from its natural code: 11, 1101, 110106, 110106008, 110106008028. */
export function levelOfCode(code: string): 'province' | 'city' | RankLevel {
  if (code.length <= 2) return 'province';
  if (code.length <= 4) return 'city';
  if (code.length <= 6) return 'district';
  if (code.length <= 9) return 'street';
  return 'community';
}

/** The levels that can be listed inside a division: those below it (a community lists itself). */
export function levelsWithin(code: string): RankLevel[] {
  const level = levelOfCode(code);
  if (level === 'province' || level === 'city') return ['district', 'street', 'community'];
  if (level === 'district') return ['street', 'community'];
  return ['community'];
}

/** The level just below a division (a community: itself). */
export function levelBelow(code: string): RankLevel {
  return levelsWithin(code)[0] ?? 'community';
}

/** The level below a rank level, for the treemap's second ring. */
export function nextLevel(level: RankLevel): RankLevel | null {
  return level === 'district' ? 'street' : level === 'street' ? 'community' : null;
}

/** The noun for places of a level, as counted: "个社区" / "communities". */
export function placeNounKey(level: RankLevel): TKey {
  return `eval.noun.${level}`;
}

export function levelNameKey(level: RankLevel): TKey {
  return `eval.level.${level}`;
}
