import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CategoryResolver, loadCategorySynonyms } from '../../../src/domains/appeals/import/categories.ts';
import { phoneIssue } from '../../../src/domains/appeals/import/values.ts';
import { dir } from './fixtures.ts';

const tree = [
  { code: 'noise', name_zh: '噪声' },
  { code: 'noise.construction', name_zh: '施工噪声' },
  { code: 'water', name_zh: '供水' },
  { code: 'water.outage', name_zh: '停水' },
  { code: 'heating.insufficient', name_zh: '供暖不热' },
  { code: 'city_management.illegal_construction', name_zh: '违法建设' },
  { code: 'parking.shortage', name_zh: '停车难' },
  { code: 'other', name_zh: '其他' },
];

describe('category synonyms', () => {
  it('match the everyday names of the shipped list, inside longer texts too, and never hide a name of the tree', () => {
    const resolver = new CategoryResolver(tree);
    const code = (text: string) => resolver.resolve(text);
    expect(code('噪音')).toEqual({ code: 'noise', recognized: true });
    expect(code('违建')).toEqual({ code: 'city_management.illegal_construction', recognized: true });
    expect(code('暖气不热')).toEqual({ code: 'heating.insufficient', recognized: true });
    expect(code('没水了')).toEqual({ code: 'water.outage', recognized: true });
    expect(code('小区停车难')).toEqual({ code: 'parking.shortage', recognized: true });
    expect(code('城建/夜间施工噪音')).toEqual({ code: 'noise.construction', recognized: true });
    expect(code('供水')).toEqual({ code: 'water', recognized: true });
    expect(code('外星人入侵')).toEqual({ code: 'other', recognized: false });
    // Without the list the same words fall to 其他: the list is what matches them.
    expect(new CategoryResolver(tree, {}, {}).resolve('噪音')).toEqual({ code: 'other', recognized: false });
  });

  it('are configuration: an edited file is read as it is, notes and codes outside the tree left out', () => {
    const file = path.join(dir, 'synonyms.json');
    fs.writeFileSync(file, JSON.stringify({ _comment: '说明', 闹心: 'noise', 飞船: 'spaceship.landing', 没水了: 'water' }));
    const synonyms = loadCategorySynonyms(file);
    expect(synonyms).toEqual({ 闹心: 'noise', 飞船: 'spaceship.landing', 没水了: 'water' });
    const resolver = new CategoryResolver(tree, {}, synonyms);
    expect(resolver.resolve('闹心')).toEqual({ code: 'noise', recognized: true });
    expect(resolver.resolve('没水了')).toEqual({ code: 'water', recognized: true });
    expect(resolver.resolve('飞船')).toEqual({ code: 'other', recognized: false });
    // A source's own words stand over the list.
    expect(new CategoryResolver(tree, { 闹心: 'noise.construction' }, synonyms).resolve('闹心')).toEqual({
      code: 'noise.construction',
      recognized: true,
    });
  });
});

describe('phone numbers as exports write them', () => {
  it('passes numbers that are numbers and names what is odd about the rest', () => {
    for (const ok of ['13812345678', '+8613812345678', '010-63261234', '01063261234', '63261234', '12345', ''])
      expect(phoneIssue(ok), ok).toBeUndefined();
    expect(phoneIssue('010-63261234转8012')?.zh).toContain('分机');
    expect(phoneIssue('63261234 ext 12')?.zh).toContain('分机');
    expect(phoneIssue('138 1234 5678')?.zh).toContain('空格');
    expect(phoneIssue('1381234567')?.zh).toContain('位数不对（10 位）');
    expect(phoneIssue('138123456789')?.zh).toContain('位数不对（12 位）');
    expect(phoneIssue('无')?.zh).toContain('非数字');
  });
});
