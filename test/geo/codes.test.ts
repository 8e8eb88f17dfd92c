import { describe, expect, it } from 'vitest';
import { ancestorCodes, levelOfCode, naturalCode, paddedCode, shortName } from '../../src/domains/geo/codes.ts';

describe('division codes', () => {
  it('turns the 12-digit padded form into the natural code of each level', () => {
    expect(naturalCode('110000000000')).toBe('11');
    expect(naturalCode('110100000000')).toBe('1101');
    expect(naturalCode('110106000000')).toBe('110106');
    expect(naturalCode('110106008000')).toBe('110106008');
    expect(naturalCode('110106008028')).toBe('110106008028');
  });

  it('keeps natural codes as they are and refuses what is no code', () => {
    expect(naturalCode('110106')).toBe('110106');
    expect(naturalCode(' 110106008 ')).toBe('110106008');
    expect(naturalCode('12345')).toBeUndefined();
    expect(naturalCode('11010600802x')).toBeUndefined();
    expect(naturalCode('')).toBeUndefined();
  });

  it('pads, levels and chains codes', () => {
    expect(paddedCode('110106')).toBe('110106000000');
    expect(levelOfCode('110106008')).toBe('street');
    expect(levelOfCode('1101060')).toBeUndefined();
    expect(ancestorCodes('110106008028')).toEqual(['11', '1101', '110106', '110106008']);
    expect(ancestorCodes('11')).toEqual([]);
  });
});

describe('short names', () => {
  it('strips the committee suffixes that hotline exports leave out', () => {
    expect(shortName('多福巷社区居委会')).toBe('多福巷社区');
    expect(shortName('大北家园社区居民委员会')).toBe('大北家园社区');
    expect(shortName('芍药居五社区居民居委会')).toBe('芍药居五社区');
    expect(shortName('新兴里居委会')).toBe('新兴里');
    expect(shortName('楼梓庄村委会')).toBe('楼梓庄村');
    expect(shortName('高井村委会')).toBe('高井村');
  });

  it('leaves names without a suffix alone', () => {
    expect(shortName('京铁家园社区')).toBe('京铁家园社区');
    expect(shortName('居委会')).toBe('居委会');
  });
});
