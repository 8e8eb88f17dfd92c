import type { DivisionLevel } from '../../db/tables.ts';

const levelByLength: Record<number, DivisionLevel> = {
  2: 'province',
  4: 'city',
  6: 'district',
  9: 'street',
  12: 'community',
};

/** Each level's code is its parent's code plus this many digits. */
const segments: Array<[number, number]> = [
  [12, 9],
  [9, 6],
  [6, 4],
  [4, 2],
];

export function levelOfCode(code: string): DivisionLevel | undefined {
  return /^\d+$/.test(code) ? levelByLength[code.length] : undefined;
}

/**
 * Accepts a division code in its natural length (2/4/6/9/12 digits) or in the 12-digit
 * zero-padded form (`110106000000` for Fengtai) and returns the natural code, or undefined when
 * the text is no division code at all.
 */
export function naturalCode(input: string): string | undefined {
  const code = input.trim();
  if (!/^\d+$/.test(code) || levelByLength[code.length] === undefined) return undefined;
  if (code.length !== 12) return code;
  let natural = code;
  for (const [length, parentLength] of segments) {
    if (natural.length === length && /^0+$/.test(natural.slice(parentLength))) {
      natural = natural.slice(0, parentLength);
    }
  }
  return natural;
}

export function paddedCode(code: string): string {
  return code.padEnd(12, '0');
}

export function parentCodeOf(code: string): string | null {
  for (const [length, parentLength] of segments) {
    if (code.length === length) return code.slice(0, parentLength);
  }
  return null;
}

/** The codes of a division's ancestors, from the province down to its parent. */
export function ancestorCodes(code: string): string[] {
  const chain: string[] = [];
  for (let parent = parentCodeOf(code); parent; parent = parentCodeOf(parent)) chain.unshift(parent);
  return chain;
}

// Longest first, so that 社区居委会 is stripped whole rather than leaving 社区 behind by accident.
const committeeSuffixes = [
  '社区居民居委会',
  '社区居民委员会',
  '居民居委会',
  '社区居委会',
  '村民委员会',
  '居民委员会',
  '村委会',
  '居委会',
  '委员会',
];

/**
 * The name as residents and hotline exports write it: 3,525 Beijing names end in 居委会/委员会,
 * and exports carry them with or without it. 社区 and 村 stay, since they tell community from
 * village.
 */
export function shortName(name: string): string {
  const trimmed = name.trim();
  for (const suffix of committeeSuffixes) {
    if (trimmed.endsWith(suffix) && trimmed.length > suffix.length) {
      const rest = trimmed.slice(0, -suffix.length);
      if (suffix.startsWith('社区')) return `${rest}社区`;
      if (suffix.startsWith('村')) return rest.endsWith('村') ? rest : `${rest}村`;
      return rest;
    }
  }
  return trimmed;
}
