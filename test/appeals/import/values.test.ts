import { describe, expect, it } from 'vitest';
import { bad, clean, parseKind, parseSatisfaction, parseTime, parseYesNo, unitTypeOf } from '../../../src/domains/appeals/import/values.ts';
import { sniffEncoding } from '../../../src/domains/appeals/import/files.ts';
import { CategoryResolver } from '../../../src/domains/appeals/import/categories.ts';
import { defaultMapping, headerScore, locateColumns, mergeMapping } from '../../../src/domains/appeals/import/mapping.ts';
import iconv from 'iconv-lite';

const iso = (value: unknown) => (value instanceof Date ? value.toISOString() : value);

describe('what the cells of real exports say', () => {
  it('folds full-width digits and letters and spaces, but keeps Chinese punctuation', () => {
    expect(clean('　２０２１ＡＢ　号，')).toBe('2021AB 号，');
  });

  it('reads times as text in Beijing time, as spreadsheet serials, and refuses nonsense', () => {
    expect(iso(parseTime('2021-03-05 10:22:13'))).toBe('2021-03-05T02:22:13.000Z');
    expect(iso(parseTime('2021/3/5 8:05'))).toBe('2021-03-05T00:05:00.000Z');
    expect(iso(parseTime('2021年3月5日 10时22分'))).toBe('2021-03-05T02:22:00.000Z');
    expect(iso(parseTime('20210305102213'))).toBe('2021-03-05T02:22:13.000Z');
    expect(iso(parseTime('2021-03-05'))).toBe('2021-03-04T16:00:00.000Z');
    expect(iso(parseTime(44260.5))).toBe('2021-03-05T04:00:00.000Z');
    expect(iso(parseTime('44260.5'))).toBe('2021-03-05T04:00:00.000Z');
    expect(parseTime('')).toBeUndefined();
    expect(parseTime('2021-02-30 10:00')).toBe(bad);
    expect(parseTime('明天')).toBe(bad);
  });

  it('reads 是/否, satisfaction, kinds and unit types', () => {
    expect([parseYesNo('是'), parseYesNo('否'), parseYesNo('Y'), parseYesNo('已解决'), parseYesNo(''), parseYesNo('也许')]).toEqual([
      true,
      false,
      true,
      true,
      undefined,
      bad,
    ]);
    expect([parseSatisfaction('满意'), parseSatisfaction('基本满意'), parseSatisfaction('不满意'), parseSatisfaction('很好')]).toEqual([
      'satisfied',
      'basically',
      'unsatisfied',
      bad,
    ]);
    expect([parseKind('投诉'), parseKind('求助类'), parseKind('表扬'), parseKind('抱怨')]).toEqual(['complaint', 'help', 'praise', bad]);
    expect([
      unitTypeOf('六里桥街道办事处'),
      unitTypeOf('北京市热力集团'),
      unitTypeOf('区住房和城乡建设委员会'),
      unitTypeOf('某物业公司'),
    ]).toEqual(['street_office', 'utility', 'department', 'company']);
  });

  it('tells UTF-8 (with or without BOM) from GBK', () => {
    expect(sniffEncoding(Buffer.from('\uFEFF工单编号', 'utf8'))).toEqual({ encoding: 'utf-8', bom: 3 });
    expect(sniffEncoding(Buffer.from('工单编号', 'utf8'))).toEqual({ encoding: 'utf-8', bom: 0 });
    // Cut inside a character: still UTF-8.
    expect(sniffEncoding(Buffer.from('工单编号', 'utf8').subarray(0, 7)).encoding).toBe('utf-8');
    expect(sniffEncoding(iconv.encode('工单编号,受理时间', 'gbk')).encoding).toBe('gb18030');
  });

  it('maps category names onto the tree, with the source’s own words first and other as the fallback', () => {
    const tree = [
      { code: 'parking', name_zh: '停车管理' },
      { code: 'parking.shortage', name_zh: '停车难' },
      { code: 'heating.insufficient', name_zh: '供暖不热' },
      { code: 'heating', name_zh: '供暖' },
      { code: 'other', name_zh: '其他' },
    ];
    const resolver = new CategoryResolver(tree, { 小区车位: 'parking.shortage' });
    expect(resolver.resolve('城乡建设/停车管理/停车难')).toEqual({ code: 'parking.shortage', recognized: true });
    expect(resolver.resolve('小区供暖不热问题')).toEqual({ code: 'heating.insufficient', recognized: true });
    expect(resolver.resolve('小区车位')).toEqual({ code: 'parking.shortage', recognized: true });
    expect(resolver.resolve('外星人')).toEqual({ code: 'other', recognized: false });
  });

  it('finds the header by the default Chinese names, whatever their spacing, and takes a saved override', () => {
    const header = [' 工单编号 ', '受理时间*', '诉求内容', '所属社区', '问题类型'];
    expect(locateColumns(header, defaultMapping)).toEqual({ ticketNo: 0, receivedAt: 1, description: 2, community: 3, category: 4 });
    expect(headerScore(['丰台区12345工单导出'], defaultMapping)).toBe(0);
    const custom = mergeMapping({ fields: { ticketNo: '单号' } });
    expect(locateColumns(['单号', '受理时间'], custom)).toEqual({ ticketNo: 0, receivedAt: 1 });
    expect(() => mergeMapping({ fields: { nonsense: 'x' } })).toThrow(/列映射有误/);
  });
});
