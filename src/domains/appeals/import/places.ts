import type { Kysely } from 'kysely';
import type { Tables } from '../../../db/tables.ts';
import { naturalCode, shortName } from '../../geo/codes.ts';
import { placesWithin, type PlaceEntry } from '../../geo/queries.ts';

/**
 * Finds the community an export row means, by code, by name within its street, or by a
 * community name inside its address: in memory, from one read of the province's divisions
 * (Beijing: 16 districts, 349 streets, 7,535 communities), so that a million rows cost no query.
 */
export interface PlaceMatch {
  districtCode: string;
  streetCode: string | null;
  communityCode: string | null;
  /** Why the community stays open, for the unmatched queue; null when it was found. */
  unmatchedReason: string | null;
}

export interface PlaceProblem {
  column: 'district' | 'street' | 'community' | 'communityCode';
  zh: string;
  en: string;
}

/** A district, street or community as the gazetteer indexes it. */
export type DivisionEntry = PlaceEntry;

export interface PlaceRow {
  district: string;
  street: string;
  community: string;
  communityCode: string;
  address: string;
}

interface Named {
  code: string;
  name: string;
  short: string;
  /** The name without its level word (社区, 村, 街道, 乡, 镇, 区): what people shorten it to. */
  core: string;
}

class NameIndex {
  readonly all: Named[] = [];
  /** Every entry's name, short name and core, in that order, that is long enough to look for in an address. */
  readonly inAddress: Array<{ name: string; code: string }> = [];
  private readonly byName = new Map<string, string[]>();
  private readonly byCore = new Map<string, string[]>();

  add(entry: Named): void {
    this.all.push(entry);
    for (const name of [entry.name, entry.short, entry.core]) {
      if (name.length >= MIN_CORE_IN_ADDRESS) this.inAddress.push({ name, code: entry.code });
    }
    this.addByName(entry);
  }

  /** As `add`, without the address list: the province-wide indexes are never searched in addresses. */
  addByName(entry: Named): void {
    for (const [map, key] of [
      [this.byName, entry.name],
      [this.byName, entry.short],
      [this.byCore, entry.core],
    ] as const) {
      const list = map.get(key) ?? [];
      if (!list.includes(entry.code)) list.push(entry.code);
      map.set(key, list);
    }
  }

  /** The codes a name may mean: by its full or short form first, by its core only if that finds none. */
  find(text: string, core: (name: string) => string): string[] {
    return this.byName.get(text) ?? this.byName.get(shortName(text)) ?? this.byCore.get(core(text)) ?? [];
  }
}

/** Address matching uses cores only this long: 和平 would be found inside too many addresses. */
const MIN_CORE_IN_ADDRESS = 3;

const squeeze = (text: string) => text.normalize('NFKC').replace(/\s+/g, '');
const communityCore = (name: string) => shortName(squeeze(name)).replace(/(社区|村)$/, '');
const streetCore = (name: string) =>
  squeeze(name)
    .replace(/办事处$/, '')
    .replace(/(街道|地区|乡|镇)$/, '');
const districtCore = (name: string) => squeeze(name).replace(/(区|县)$/, '');

/**
 * What the names of a row decide before its address is read: the final answer, or the district,
 * street and communities to search the address in (steps 1–4 of `match`).
 */
type ByNames =
  | PlaceMatch
  | PlaceProblem
  | { within: NameIndex | undefined; districtCode: string; streetCode: string | null; reason: string | null };

/** Distinct name combinations remembered; an export repeats a few thousand, garbage could repeat none. */
const MAX_REMEMBERED = 50_000;

export class Gazetteer {
  private readonly districts = new NameIndex();
  private readonly streets = new Map<string, NameIndex>();
  private readonly communitiesOfStreet = new Map<string, NameIndex>();
  private readonly communitiesOfDistrict = new Map<string, NameIndex>();
  private readonly levels = new Map<string, 'district' | 'street' | 'community'>();
  /** Steps 1–4 of `match` by the row's names (and default district): a big export names the same places again and again. */
  private readonly byNames = new Map<string, ByNames>();
  /** The province's streets and communities in one index each: for rows that name no district. */
  private readonly allStreets = new NameIndex();
  private readonly allCommunities = new NameIndex();
  private readonly names = new Map<string, string>();
  /** The districts the rest of the file lies in (see `preferDistricts`). */
  private preferred: ReadonlySet<string> = new Set();

  /** The province's districts, streets and communities, as Gazetteer.of takes them (and a worker receives them). */
  static async rowsOf(db: Kysely<Tables>, province: string): Promise<DivisionEntry[]> {
    return placesWithin(db, province);
  }

  static of(rows: readonly DivisionEntry[]): Gazetteer {
    const gazetteer = new Gazetteer();
    for (const row of rows) gazetteer.add(row.code, row.level as 'district' | 'street' | 'community', row.name, row.short_name);
    return gazetteer;
  }

  private add(code: string, level: 'district' | 'street' | 'community', name: string, short: string): void {
    this.levels.set(code, level);
    const clean = squeeze(name);
    this.names.set(code, clean);
    if (level === 'district') {
      this.districts.add({ code, name: clean, short: clean, core: districtCore(clean) });
    } else if (level === 'street') {
      const index = this.streets.get(code.slice(0, 6)) ?? new NameIndex();
      const entry = { code, name: clean, short: clean, core: streetCore(clean) };
      index.add(entry);
      this.streets.set(code.slice(0, 6), index);
      this.allStreets.addByName(entry);
    } else {
      const entry = { code, name: clean, short: squeeze(short), core: communityCore(clean) };
      for (const [map, key] of [
        [this.communitiesOfStreet, code.slice(0, 9)],
        [this.communitiesOfDistrict, code.slice(0, 6)],
      ] as const) {
        const index = map.get(key) ?? new NameIndex();
        index.add(entry);
        map.set(key, index);
      }
      this.allCommunities.addByName(entry);
    }
  }

  /** A division's full name, district first (丰台区六里桥街道京铁家园社区), as a person tells namesakes apart. */
  fullName(code: string): string {
    const parts = [code.slice(0, 6), code.length >= 9 ? code.slice(0, 9) : '', code.length === 12 ? code : ''];
    return parts
      .filter(Boolean)
      .map((c) => this.names.get(c) ?? c)
      .join('');
  }

  /** How many districts, streets or communities of the province a text may name: how the inference reads a column. */
  districtHits(text: string): number {
    return this.district(text).length;
  }

  streetHits(text: string): number {
    return this.allStreets.find(squeeze(text), streetCore).length;
  }

  communityHits(text: string): number {
    return this.allCommunities.find(squeeze(text), communityCore).length;
  }

  nameOf(code: string): string | undefined {
    return this.names.get(code);
  }

  /**
   * The districts the file's other rows lie in, as the sample showed them: a row that names no
   * district and a street or community with namesakes in several districts is placed in the one
   * of them the file is about (and waits in the unmatched queue for its community).
   */
  preferDistricts(codes: Iterable<string>): void {
    this.preferred = new Set(codes);
    this.byNames.clear();
  }

  isEmpty(): boolean {
    return this.levels.size === 0;
  }

  levelOf(code: string): 'district' | 'street' | 'community' | undefined {
    return this.levels.get(code);
  }

  /** A district code or name ("丰台区", "丰台", "110106", "110106000000"). */
  private district(text: string): string[] {
    const code = naturalCode(text);
    if (code) return this.levels.get(code) === 'district' ? [code] : [];
    return this.districts.find(squeeze(text), districtCore);
  }

  private street(districtCode: string, text: string): string[] {
    const code = naturalCode(text);
    if (code) return this.levels.get(code) === 'street' && code.startsWith(districtCode) ? [code] : [];
    return this.streets.get(districtCode)?.find(squeeze(text), streetCore) ?? [];
  }

  private community(within: NameIndex | undefined, text: string): string[] {
    return within?.find(squeeze(text), communityCore) ?? [];
  }

  /** The community whose name the address holds, longest name first; ambiguous → none. */
  private byAddress(within: NameIndex | undefined, address: string): string[] {
    if (!within || address === '') return [];
    const text = squeeze(address);
    let best: string[] = [];
    let bestLength = 0;
    for (const { name, code } of within.inAddress) {
      if (name.length < bestLength || !text.includes(name)) continue;
      if (name.length > bestLength) {
        best = [code];
        bestLength = name.length;
      } else if (!best.includes(code)) {
        best.push(code);
      }
    }
    return best;
  }

  /** The answers are shared between rows that name the same places: read them, never change them. */
  match(row: PlaceRow, defaultDistrict: string | undefined): PlaceMatch | PlaceProblem {
    // Lengths first, so that no two rows' names run together into one key.
    const dd = defaultDistrict ?? '';
    const key = `${row.communityCode.length},${row.community.length},${row.district.length},${row.street.length},${dd.length}:${row.communityCode}${row.community}${row.district}${row.street}${dd}`;
    let known = this.byNames.get(key);
    if (known === undefined) {
      known = this.matchNames(row, defaultDistrict);
      if (this.byNames.size >= MAX_REMEMBERED) this.byNames.clear();
      this.byNames.set(key, known);
    }
    if (!('within' in known)) return known;
    const { within, districtCode, streetCode } = known;
    let reason = known.reason;

    // 5. A community name inside the address.
    const fromAddress = this.byAddress(within, row.address);
    if (fromAddress.length === 1) return placed(fromAddress[0]!);
    // The name the row gave says more than an ambiguous address does.
    if (fromAddress.length > 1 && !reason) reason = `地址中的社区名不唯一（${fromAddress.length} 个）`;

    return {
      districtCode,
      streetCode,
      communityCode: null,
      unmatchedReason: reason ?? (row.community === '' ? '未给出社区，地址中也找不到社区名' : `社区“${row.community}”找不到`),
    };
  }

  /**
   * The place of a row that names no district, from its street or community name looked up in the
   * whole province. A name with namesakes in several districts is narrowed by the districts the
   * rest of the file lies in; one left → the row lands there and waits in the unmatched queue,
   * its reason listing the namesakes; several → the row is refused, naming them.
   */
  private inProvince(row: Omit<PlaceRow, 'address'>): PlaceMatch | PlaceProblem | { inferred: string } {
    const noDistrict = '无法确定所属区：本行没有所属区、街道或社区，文件也未指定默认区（加所属区列，或导入时选择默认区 --district）';
    const noDistrictEn =
      'No district: the row names no district, street or community and the import has no default district (add a 所属区 column or choose a default district, --district)';
    if (row.street === '' && row.community === '') return { column: 'district', zh: noDistrict, en: noDistrictEn };
    const streets = row.street === '' ? [] : this.allStreets.find(squeeze(row.street), streetCore);
    if (streets.length === 1) return { inferred: streets[0]!.slice(0, 6) };
    if (streets.length > 1 && row.community !== '') {
      // Namesake streets: the one whose communities include the row's.
      const withCommunity = streets.filter((code) => this.community(this.communitiesOfStreet.get(code), row.community).length > 0);
      if (withCommunity.length === 1) return { inferred: withCommunity[0]!.slice(0, 6) };
    }
    let what = row.street;
    let hits = streets;
    let column: 'street' | 'community' = 'street';
    if (streets.length === 0) {
      if (row.community === '') {
        return {
          column: 'street',
          zh: `街道“${row.street}”在全市找不到，无法确定所属区（加所属区列，或选择默认区 --district）`,
          en: `No street "${row.street}" in the province, so no district (add a 所属区 column or choose a default district, --district)`,
        };
      }
      hits = this.allCommunities.find(squeeze(row.community), communityCore);
      what = row.community;
      column = 'community';
      if (hits.length === 1) return placed(hits[0]!);
      if (hits.length === 0) {
        return {
          column: 'community',
          zh: `社区“${row.community}”在全市找不到，无法确定所属区（加所属区列，或选择默认区 --district）`,
          en: `No community "${row.community}" in the province, so no district (add a 所属区 column or choose a default district, --district)`,
        };
      }
    }
    const districts = [...new Set(hits.map((code) => code.slice(0, 6)))];
    const narrowed = districts.length === 1 ? districts : districts.filter((d) => this.preferred.has(d));
    const namesakes =
      hits
        .slice(0, 6)
        .map((code) => `${this.fullName(code)}（${code}）`)
        .join('、') + (hits.length > 6 ? '…' : '');
    if (narrowed.length !== 1) {
      const kind = column === 'street' ? '街道' : '社区';
      return {
        column,
        zh: `${kind}“${what}”在全市有 ${hits.length} 处同名：${namesakes}；无法确定所属区（加所属区列，或选择默认区 --district）`,
        en: `${column === 'street' ? 'Street' : 'Community'} "${what}" has ${hits.length} namesakes in the province: ${namesakes}; no district (add a 所属区 column or choose a default district, --district)`,
      };
    }
    const reason = `${column === 'street' ? '街道' : '社区'}“${what}”在全市有 ${hits.length} 处同名（${namesakes}），按本文件所在区记入，请选定社区 / ${hits.length} namesakes in the province`;
    return { districtCode: narrowed[0]!, streetCode: null, communityCode: null, unmatchedReason: reason };
  }

  /** Steps 1–4: everything but the address. */
  private matchNames(row: Omit<PlaceRow, 'address'>, defaultDistrict: string | undefined): ByNames {
    // 1. A community code decides everything, when it is one we know.
    const byCode = naturalCode(row.communityCode) ?? (/^\d{12}$/.test(row.community) ? naturalCode(row.community) : undefined);
    if (byCode && this.levels.get(byCode) === 'community') {
      return { districtCode: byCode.slice(0, 6), streetCode: byCode.slice(0, 9), communityCode: byCode, unmatchedReason: null };
    }
    if (row.communityCode !== '' && !byCode) {
      return { column: 'communityCode', zh: `“${row.communityCode}”不是区划代码`, en: `"${row.communityCode}" is not a division code` };
    }

    // 2. The district: its column, else the street's or the code's, else the file's default.
    let districtCode: string | undefined;
    if (row.district !== '') {
      const found = this.district(row.district);
      if (found.length !== 1) {
        return found.length === 0
          ? { column: 'district', zh: `找不到所属区“${row.district}”`, en: `No district "${row.district}"` }
          : { column: 'district', zh: `所属区“${row.district}”不唯一`, en: `District "${row.district}" is ambiguous` };
      }
      districtCode = found[0]!;
    } else if (byCode && byCode.length >= 6 && this.levels.has(byCode.slice(0, 6))) {
      districtCode = byCode.slice(0, 6);
    } else if (defaultDistrict) {
      districtCode = defaultDistrict;
    } else {
      // No district anywhere: the street or community name, unique within the province, says it.
      const found = this.inProvince(row);
      if (!('inferred' in found)) return found;
      districtCode = found.inferred;
    }
    if (defaultDistrict && row.district !== '' && districtCode !== defaultDistrict && !districtCode.startsWith(defaultDistrict)) {
      return {
        column: 'district',
        zh: `所属区“${row.district}”不是本次导入的区 ${defaultDistrict}`,
        en: `District "${row.district}" is not this import's district ${defaultDistrict}`,
      };
    }

    // 3. The street, within the district.
    let streetCode: string | null =
      byCode?.length === 9 && byCode.startsWith(districtCode) && this.levels.get(byCode) === 'street' ? byCode : null;
    let reason: string | null = null;
    if (!streetCode && row.street !== '') {
      const found = this.street(districtCode, row.street);
      if (found.length === 1) streetCode = found[0]!;
      else reason = found.length === 0 ? `街道“${row.street}”在本区找不到` : `街道“${row.street}”不唯一`;
    }

    // 4. The community by name, within the street (or the district when the street is unknown).
    const within = streetCode ? this.communitiesOfStreet.get(streetCode) : this.communitiesOfDistrict.get(districtCode);
    const where = streetCode ? '本街道' : '本区';
    if (row.community !== '') {
      const found = this.community(within, row.community);
      if (found.length === 1) return placed(found[0]!);
      reason = found.length === 0 ? `社区“${row.community}”在${where}找不到` : `社区“${row.community}”在${where}不唯一`;
    }
    return { within, districtCode, streetCode, reason };
  }
}

function placed(communityCode: string): PlaceMatch {
  return { districtCode: communityCode.slice(0, 6), streetCode: communityCode.slice(0, 9), communityCode, unmatchedReason: null };
}

export function isProblem(result: PlaceMatch | PlaceProblem): result is PlaceProblem {
  return 'column' in result;
}
