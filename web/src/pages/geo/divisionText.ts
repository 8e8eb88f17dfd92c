import type { ChainLink, Division, DivisionLevel } from '../../api.ts';
import type { TKey } from '../../i18n.tsx';

export function levelKey(level: DivisionLevel): TKey {
  return `level.${level}`;
}

// Beijing's city level is the placeholder "市辖区" (code 1101); it says nothing to a reader,
// so breadcrumbs skip it.
function isPlaceholderCity(link: ChainLink): boolean {
  return link.level === 'city' && link.name === '市辖区';
}

/** Ancestors and the division itself, as shown in a breadcrumb. */
export function breadcrumbLinks(division: Division): ChainLink[] {
  const self: ChainLink = { code: division.code, level: division.level, name: division.name };
  return [...division.chain, self].filter((link) => !isPlaceholderCity(link));
}

/** "丰台区 / 六里桥街道 / 京铁家园社区": from the district down, for search results. */
export function shortChainText(division: Division): string {
  return breadcrumbLinks(division)
    .filter((link) => link.level !== 'province' && link.level !== 'city')
    .map((link) => link.name)
    .join(' / ');
}

export const BEIJING_CITY_CODE = '1101';
