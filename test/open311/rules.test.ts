import { describe, expect, it } from 'vitest';
import { list, render, renderError, Open311Error } from '../../src/domains/open311/format.ts';
import { KeyRateLimit } from '../../src/domains/open311/keys.ts';
import { scrub, w3cTime } from '../../src/domains/open311/present.ts';
import { parseXml } from './support.ts';

describe('Open311 rules', () => {
  it('masks phone numbers and house, building, unit and room numbers in public text, and nothing else', () => {
    expect(scrub('丰台区京铁家园3号楼2单元501室，电话13812345678')).toBe('丰台区京铁家园*号楼*单元***室，电话***********');
    expect(scrub('联系 010-6388 1234 或 ＋86 138 1234 5678')).toBe('联系 ***-**** **** 或 ＋** *** **** ****');
    expect(scrub('全角１３８１２３４５６７８，１２号')).toBe('全角***********，**号');
    expect(scrub('8栋1单元，楼道堆物')).toBe('*栋*单元，楼道堆物');
    // Counts, years and amounts stay: they are not an address.
    expect(scrub('2023年共有50多部电梯需要更新，每户300元')).toBe('2023年共有50多部电梯需要更新，每户300元');
  });

  it('writes W3C datetimes with Beijing’s offset', () => {
    expect(w3cTime(new Date('2023-03-01T01:00:00.456Z'))).toBe('2023-03-01T09:00:00+08:00');
    expect(w3cTime(new Date('2023-12-31T16:30:00Z'))).toBe('2024-01-01T00:30:00+08:00');
  });

  it('escapes XML and drops characters XML cannot hold; empty lists and nulls are empty elements', () => {
    const body = render('xml', 'service_requests', list('request', [{ description: 'a < b & "c" \u0001', status_notes: null }]));
    expect(body).toContain('<description>a &lt; b &amp; &quot;c&quot; </description><status_notes></status_notes>');
    expect(parseXml(body)).toEqual({ service_requests: { request: [{ description: 'a < b & "c" ', status_notes: '' }] } });
    expect(render('xml', 'services', list('service', []))).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<services></services>\n');
    expect(render('json', 'services', list('service', []))).toBe('[]');
    expect(JSON.parse(renderError('json', [new Open311Error(404, 'x')]))).toEqual([{ code: 404, description: 'x' }]);
  });

  it('counts each key in its own window of a minute', () => {
    const limits = new KeyRateLimit();
    const t = 1_000_000;
    expect(limits.take(1, 2, t)).toEqual({ ok: true });
    expect(limits.take(1, 2, t + 10)).toEqual({ ok: true });
    expect(limits.take(1, 2, t + 20_000)).toEqual({ ok: false, retryAfter: 40 });
    expect(limits.take(2, 2, t + 20_000)).toEqual({ ok: true });
    expect(limits.take(1, 2, t + 60_000)).toEqual({ ok: true });
  });
});
