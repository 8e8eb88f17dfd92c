import { describe, expect, it } from 'vitest';
import { categoryLineage, dueTimes, fallbackRule, pickRule, type DeadlineRule } from '../../src/domains/appeals/deadlines.ts';
import { decodeCursor, encodeCursor, maskName, maskPhone } from '../../src/domains/appeals/present.ts';
import { maySeePersonalData, mayTake } from '../../src/domains/appeals/policy.ts';
import { queryWords, searchWords, searchWordsOfMany } from '../../src/domains/appeals/search.ts';
import { roles } from '../../src/domains/accounts/viewer.ts';

describe('deadline rules', () => {
  const rules: DeadlineRule[] = [
    { categoryCode: null, urgency: null, respondHours: 2, handleHours: 168 },
    { categoryCode: null, urgency: 'urgent', respondHours: 2, handleHours: 24 },
    { categoryCode: 'heating', urgency: null, respondHours: 2, handleHours: 72 },
    { categoryCode: 'gas.safety', urgency: null, respondHours: 1, handleHours: 24 },
    { categoryCode: 'gas.safety', urgency: 'urgent', respondHours: 0.5, handleHours: 4 },
  ];

  it('lists a category with everything above it', () => {
    expect(categoryLineage('heating.outage')).toEqual(['heating', 'heating.outage']);
    expect(categoryLineage('other')).toEqual(['other']);
  });

  it('picks the most specific rule: urgency first, then the deepest category', () => {
    expect(pickRule(rules, 'parking.shortage', 'normal').handleHours).toBe(168);
    expect(pickRule(rules, 'heating.outage', 'normal').handleHours).toBe(72);
    // An urgent heating appeal must not inherit heating's relaxed normal limit.
    expect(pickRule(rules, 'heating.outage', 'urgent').handleHours).toBe(24);
    expect(pickRule(rules, 'gas.safety', 'normal')).toMatchObject({ respondHours: 1, handleHours: 24 });
    expect(pickRule(rules, 'gas.safety', 'urgent')).toMatchObject({ respondHours: 0.5, handleHours: 4 });
    // A rule on a child category does not reach up to its parent.
    expect(pickRule(rules, 'gas', 'normal').handleHours).toBe(168);
  });

  it('falls back to 2 hours / 7 days when no rule is configured', () => {
    expect(pickRule([], 'other', 'normal')).toEqual(fallbackRule);
  });

  it('counts due times from the dispatch, in hours that may be fractional', () => {
    const from = new Date('2023-02-01T01:00:00Z');
    expect(dueTimes(from, { categoryCode: null, urgency: null, respondHours: 0.5, handleHours: 24 })).toEqual({
      responseDueAt: new Date('2023-02-01T01:30:00Z'),
      handlingDueAt: new Date('2023-02-02T01:00:00Z'),
    });
  });
});

describe('personal data', () => {
  it('masks names and phones', () => {
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName('欧阳娜娜')).toBe('欧**');
    expect(maskName(null)).toBeNull();
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('861****5678');
    expect(maskPhone('010-63201234')).toBe('010****1234');
    expect(maskPhone('12345')).toBe('****2345');
    expect(maskPhone(null)).toBeNull();
  });

  it('lets only the roles that work cases see them', () => {
    const may = roles.filter((role) => maySeePersonalData({ role }));
    expect(may.sort()).toEqual(['admin', 'community_committee', 'hotline_office', 'street_office']);
  });

  it('gives each step to the roles that take it', () => {
    expect(mayTake({ role: 'hotline_office' }, 'appeal.dispatch')).toBe(true);
    expect(mayTake({ role: 'street_office' }, 'appeal.dispatch')).toBe(false);
    expect(mayTake({ role: 'street_office' }, 'appeal.respond')).toBe(true);
    expect(mayTake({ role: 'viewer' }, 'appeal.read')).toBe(true);
    expect(mayTake({ role: 'viewer' }, 'appeal.create')).toBe(false);
  });
});

describe('cursor', () => {
  it('round-trips and refuses anything else', () => {
    const cursor = encodeCursor({ received_key: '2023-02-01T01:00:00.123456Z', id: 42 });
    expect(decodeCursor(cursor)).toEqual({ receivedKey: '2023-02-01T01:00:00.123456Z', id: 42 });
    expect(decodeCursor('nonsense')).toBeUndefined();
    expect(decodeCursor(Buffer.from("2023-02-01T01:00:00.123456Z|1' OR 1=1").toString('base64url'))).toBeUndefined();
  });
});

describe('search words', () => {
  it('cuts 小区停车难 so that 停车 is one of its words', () => {
    expect(searchWords('小区停车难')).toEqual(expect.arrayContaining(['小区', '停车', '停车难']));
    expect(searchWords('楼道堆物，消防通道被占')).not.toContain('停车');
  });

  it('drops punctuation, folds full-width characters and case, keeps each word once', () => {
    const words = searchWords('３号楼ＡＢＣ，停车！停车', null, undefined);
    expect(words).toContain('3');
    expect(words).toContain('abc');
    expect(words).not.toContain('，');
    expect(words.filter((w) => w === '停车')).toHaveLength(1);
  });

  it('cuts a batch of texts into the words each gets alone', () => {
    const texts: Array<[string | null, string | null]> = [
      ['小区停车难，车位不够', '丰台区六里桥街道京铁家园社区3号楼'],
      ['', null],
      ['ＡＢＣ全角字母ａｂｃ１２３ and English Words_x-y', '  '],
      ['夜间施工噪声\r\n多行\t内容', 'e\u0301 Straße İstanbul 😀'],
      [null, '3号楼'],
      ['1.5元 100% a&b c#d', '北京市丰台区人民政府'],
    ];
    const alone = texts.map((t) => searchWords(...t));
    expect(searchWordsOfMany(texts)).toEqual(alone);
    // A text holding the separator itself: the batch is cut text by text, to the same words.
    const odd: Array<[string, string]> = [...texts.map(([d, a]): [string, string] => [d ?? '', a ?? '']), ['私用\uE000字符', '']];
    expect(searchWordsOfMany(odd)).toEqual(odd.map((t) => searchWords(...t)));
    expect(searchWordsOfMany([])).toEqual([]);
  });

  it('cuts queries precisely', () => {
    expect(queryWords('停车')).toEqual(['停车']);
    expect(queryWords(' 小区 停车 ')).toEqual(['小区', '停车']);
    expect(queryWords('！？')).toEqual([]);
  });
});
