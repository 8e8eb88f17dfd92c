import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import zlib from 'node:zlib';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemViewer, type Viewer } from '../../../src/domains/accounts/viewer.ts';
import { importAppeals, listUnmatched, previewImport } from '../../../src/domains/appeals/import/service.ts';
import { checkRollups } from '../../../src/domains/evaluation/rollup.ts';
import { backends, useTestDatabase } from '../../support/databases.ts';
import { dir } from './fixtures.ts';

/**
 * Exports as district offices really send them, made here: no 所属区 column and the streets of two
 * districts, 诉求类型 holding the problem category in everyday words, the same rows as an XLSX
 * with a title row and as a GBK CSV; then the bad rows and hostile files real exports bring.
 */
const admin: Viewer = { ...systemViewer, actor: 'city-hotline' };
const now = new Date('2024-01-01T00:00:00Z');

const messyHeader = ['工单编号', '受理时间', '诉求类型', '诉求内容', '所属街道', '所属社区', '联系电话'];
/** [category as the office wrote it, the code it must land as, street, community, the community it must land in] */
const messyCases: Array<[string, string, string, string, string]> = [
  ['供水', 'water', '六里桥街道', '京铁家园社区居委会', '110106008028'],
  ['燃气', 'gas', '广宁街道', '高井路社区', '110107009011'],
  ['违法建设', 'city_management.illegal_construction', '六里桥', '京铁家园', '110106008028'],
  ['噪音', 'noise', '广宁', '高井路社区居委会', '110107009011'],
  ['违建', 'city_management.illegal_construction', '六里桥街道', '京铁家园社区', '110106008028'],
  ['停车难', 'parking.shortage', '广宁街道', '高井路', '110107009011'],
  ['暖气不热', 'heating.insufficient', '六里桥街道', '京铁家园社区', '110106008028'],
  ['没水了', 'water.outage', '广宁街道', '高井路社区', '110107009011'],
];
const messyRows = (prefix: string) =>
  messyCases.map(([category, , street, community], i) => [
    `${prefix}${String(i + 1).padStart(4, '0')}`,
    `2021-03-${String(i + 5).padStart(2, '0')} 10:00`,
    category,
    `${category}的诉求`,
    street,
    community,
    '13812345678',
  ]);

const csvLine = (cells: readonly string[]) => cells.map((c) => (/[",\r\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',');

function writeMessyCsv(name: string, header: readonly string[], rows: readonly string[][], encoding: 'utf8' | 'gbk' = 'utf8'): string {
  const file = path.join(dir, name);
  const text = `${[header, ...rows].map(csvLine).join('\r\n')}\r\n`;
  fs.writeFileSync(file, encoding === 'gbk' ? iconv.encode(text, 'gbk') : text);
  return file;
}

async function writeMessyXlsx(name: string, prefix: string): Promise<string> {
  const file = path.join(dir, name);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('导出');
  sheet.addRow(['12345 工单明细（2021 年 3 月）']);
  sheet.addRow(['导出时间：2021-04-01']);
  sheet.addRow(messyHeader);
  for (const row of messyRows(prefix)) sheet.addRow(row);
  await workbook.xlsx.writeFile(file);
  return file;
}

/** A zip with one part of `size` zero bytes that says it holds `declared`: what a zip bomb is. */
function writeZipBomb(name: string, size: number, declared: number): string {
  const data = zlib.deflateRawSync(Buffer.alloc(size), { level: 9 });
  const entry = Buffer.from('xl/worksheets/sheet1.xml');
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(data.length, 18);
  local.writeUInt32LE(declared, 22);
  local.writeUInt16LE(entry.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(20, 4);
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(data.length, 20);
  central.writeUInt32LE(declared, 24);
  central.writeUInt16LE(entry.length, 28);
  central.writeUInt32LE(0, 42);
  const dirOffset = local.length + entry.length + data.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + entry.length, 12);
  end.writeUInt32LE(dirOffset, 16);
  const file = path.join(dir, name);
  fs.writeFileSync(file, Buffer.concat([local, entry, data, central, entry, end]));
  return file;
}

describe.each(backends)('messy real exports on %s', (backend) => {
  const t = useTestDatabase(backend);
  const db = () => t.db;
  const appealsOf = (prefix: string) =>
    db()
      .kysely.selectFrom('appeal')
      .select(['ticket_no', 'kind', 'category_code', 'district_code', 'community_code', 'reporter_phone', 'description'])
      .where('ticket_no', 'like', `${prefix}%`)
      .orderBy('ticket_no')
      .execute();
  const countAppeals = async () =>
    Number(
      (
        await db()
          .kysely.selectFrom('appeal')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  const expectLanded = async (prefix: string) => {
    const rows = await appealsOf(prefix);
    expect(rows.map((r) => [r.category_code, r.community_code])).toEqual(messyCases.map(([, code, , , community]) => [code, community]));
    // 诉求类型 held categories: the kind falls back to complaint, never an error.
    expect(new Set(rows.map((r) => r.kind))).toEqual(new Set(['complaint']));
    expect(new Set(rows.map((r) => r.district_code))).toEqual(new Set(['110106', '110107']));
  };

  it('previews a file with no 所属区 whose 诉求类型 holds categories: roles with evidence, districts inferred, nothing written', async () => {
    const file = writeMessyCsv('preview.csv', messyHeader, messyRows('PV'));
    const before = await countAppeals();
    const preview = await previewImport(db(), file, admin, { now });
    expect(await countAppeals()).toBe(before);
    expect(preview).toMatchObject({ format: 'csv', encoding: 'utf-8', headerRow: 1, sampledRows: 8, problems: [] });
    const roles = Object.fromEntries(preview.columns.map((c) => [c.header, c.role]));
    expect(roles).toEqual({
      工单编号: 'ticketNo',
      受理时间: 'receivedAt',
      诉求类型: 'category',
      诉求内容: 'description',
      所属街道: 'street',
      所属社区: 'community',
      联系电话: 'reporterPhone',
    });
    const kindColumn = preview.columns.find((c) => c.header === '诉求类型')!;
    expect(kindColumn.by).toBe('values');
    expect(kindColumn.evidence.zh).toContain('8/8 个值是问题分类');
    expect(preview.columns.find((c) => c.header === '受理时间')!.evidence.zh).toContain('8/8 个值可读为时间');
    expect(preview.places).toMatchObject({ withoutDistrict: 8, ambiguous: [], unplaced: [] });
    expect(preview.places.districts).toEqual([
      { code: '110106', name: '丰台区', rows: 4 },
      { code: '110107', name: '石景山区', rows: 4 },
    ]);
    expect(preview.preview[0]).toEqual({ rowNo: 2, cells: messyRows('PV')[0] });
  });

  it('imports that file with no options: both districts, every row matched, categories from everyday names', async () => {
    const summary = await importAppeals(db(), writeMessyCsv('two-districts.csv', messyHeader, messyRows('MC')), admin, { now });
    expect(summary).toMatchObject({ status: 'done', rowsTotal: 8, inserted: 8, badRows: 0, warnings: 0, unmatched: 0 });
    await expectLanded('MC');
    expect(await checkRollups(db().kysely)).toEqual([]);
  });

  it('imports the same rows as an XLSX with a title block and as a GBK CSV, every row matched', async () => {
    const xlsx = await importAppeals(db(), await writeMessyXlsx('two-districts.xlsx', 'MX'), admin, { now });
    expect(xlsx).toMatchObject({ format: 'xlsx', inserted: 8, badRows: 0, warnings: 0, unmatched: 0 });
    await expectLanded('MX');
    const gbk = await importAppeals(db(), writeMessyCsv('two-districts-gbk.csv', messyHeader, messyRows('MG'), 'gbk'), admin, { now });
    expect(gbk).toMatchObject({ encoding: 'gbk', inserted: 8, badRows: 0, warnings: 0, unmatched: 0 });
    await expectLanded('MG');
    // The XLSX preview finds the header under the title rows.
    expect((await previewImport(db(), await writeMessyXlsx('title-again.xlsx', 'MY'), admin, { now })).headerRow).toBe(3);
  });

  it('sends a community with namesakes in other districts to the unmatched queue, listing them; refuses it when the file cannot tell', async () => {
    // 青年湖社区 is in 东城 (和平里街道) and in 西城; the file's other rows are all in 东城.
    const rows = [
      ['NS0001', '2021-03-05 10:00', '投诉', '楼道堆物', '和平里街道', '小黄庄社区', ''],
      ['NS0002', '2021-03-05 11:00', '投诉', '楼道堆物', '和平里街道', '安德路社区', ''],
      ['NS0003', '2021-03-05 12:00', '投诉', '路灯不亮', '', '青年湖社区', ''],
    ];
    const preview = await previewImport(db(), writeMessyCsv('namesake.csv', messyHeader, rows), admin, { now });
    expect(preview.places.ambiguous).toHaveLength(1);
    expect(preview.places.ambiguous[0]!.rowNo).toBe(4);
    expect(preview.places.ambiguous[0]!.reason.zh).toContain('110102020002');

    const summary = await importAppeals(db(), writeMessyCsv('namesake.csv', messyHeader, rows), admin, { now });
    expect(summary).toMatchObject({ inserted: 3, badRows: 0, unmatched: 1 });
    const queue = await listUnmatched(db().kysely, { importId: summary.id }, admin);
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ ticketNo: 'NS0003', districtCode: '110101', givenCommunity: '青年湖社区' });
    expect(queue.items[0]!.reason).toMatch(/青年湖.*110101010026.*110102020002/);
    expect(queue.items[0]!.candidates.map((c) => c.code)).toContain('110101010026');

    // Alone, the name could be either district's: the row is refused, naming both.
    const alone = await importAppeals(
      db(),
      writeMessyCsv('namesake-alone.csv', messyHeader, [
        ['NA0001', '2021-03-05 10:00', '投诉', '楼道堆物', '六里桥街道', '京铁家园社区', ''],
        ['NA0002', '2021-03-05 12:00', '投诉', '路灯不亮', '', '青年湖社区', ''],
      ]),
      admin,
      { now },
    );
    expect(alone).toMatchObject({ inserted: 1, badRows: 1 });
    expect(alone.problems[0]).toMatchObject({ rowNo: 3, column: '所属社区', severity: 'error' });
    expect(alone.problems[0]!.reason).toMatch(/2 处同名.*110101010026.*110102020002/);
  });

  it('reuses a confirmed mapping saved for its source', async () => {
    const file = writeMessyCsv(
      'confirmed.csv',
      [...messyHeader, '备注'],
      messyRows('CF').map((r) => [...r, '2021-03-01']),
    );
    const summary = await importAppeals(db(), file, admin, {
      now,
      source: 'fengtai-export',
      mapping: { columns: { 诉求类型: 'category', 备注: 'ignore', 联系电话: 'ignore' } },
    });
    expect(summary).toMatchObject({ inserted: 8, badRows: 0 });
    expect((await appealsOf('CF')).map((r) => r.reporter_phone)).toEqual(Array(8).fill(null));
    const again = await previewImport(db(), file, admin, { now, source: 'fengtai-export' });
    expect(again.savedMapping).toBe(true);
    expect(again.columns.find((c) => c.header === '诉求类型')).toMatchObject({ role: 'category', by: 'saved' });
    expect(again.columns.find((c) => c.header === '联系电话')).toMatchObject({ role: null, by: 'saved' });
  });

  it('refuses a file it cannot understand with one message naming the column and the fix, not an error per row', async () => {
    const noTime = writeMessyCsv(
      'no-time.csv',
      ['工单编号', '日子', '诉求内容', '所属区'],
      [
        ['NT1', '三月五日', '停水', '丰台区'],
        ['NT2', '三月六日', '停电', '丰台区'],
      ],
    );
    const refused = importAppeals(db(), noTime, admin, { now });
    await expect(refused).rejects.toMatchObject({ kind: 'invalid', errors: [expect.objectContaining({ field: 'receivedAt' })] });
    await expect(importAppeals(db(), noTime, admin, { now })).rejects.toThrow(
      /找不到受理时间列.*“日子”.*预览中为它选择“受理时间”.*--mapping/,
    );

    const garbage = messyRows('GB').map((r) => [r[0]!, '见附件', ...r.slice(2)]);
    const before = await countAppeals();
    await expect(importAppeals(db(), writeMessyCsv('garbage-time.csv', messyHeader, garbage), admin, { now })).rejects.toMatchObject({
      kind: 'invalid',
      zh: expect.stringContaining('“受理时间”列被读作受理时间，但样本中只有 0/8 个值是时间'),
      errors: [expect.objectContaining({ field: 'receivedAt' })],
    });
    expect(await countAppeals()).toBe(before);
  });

  it('lands one row of a repeated ticket and names the others; warns of odd phones and cut descriptions, storing them as written', async () => {
    const header = ['工单编号', '受理时间', '诉求内容', '所属区', '所属街道', '所属社区', '联系电话'];
    const place = ['丰台区', '六里桥街道', '京铁家园社区'];
    const long = '楼'.repeat(4100);
    const summary = await importAppeals(
      db(),
      writeMessyCsv('bad-rows.csv', header, [
        ['BR0001', '2021-03-05 10:00', '第一次', ...place, '13812345678'],
        ['BR0002', '2021-03-05 10:00', '分机', ...place, '010-63261234转8012'],
        ['BR0001', '2021-03-06 10:00', '第二次', ...place, '13812345678'],
        ['BR0003', '2021-03-05 10:00', '空格', ...place, '138 1234 5678'],
        ['BR0004', '2021-03-05 10:00', '少一位', ...place, '1381234567'],
        ['BR0005', '2021-03-05 10:00', long, ...place, ''],
        ['BR0001', '2021-03-07 10:00', '第三次', ...place, '13812345678'],
      ]),
      admin,
      { now },
    );
    expect(summary).toMatchObject({ rowsTotal: 7, inserted: 5, badRows: 0, warnings: 6 });
    const byRow = Object.fromEntries(summary.problems.map((p) => [`${p.rowNo}`, p]));
    expect(byRow['4']).toMatchObject({ column: '工单编号', severity: 'warning', ticketNo: 'BR0001' });
    expect(byRow['4']!.reason).toContain('第 2 行也是它');
    expect(byRow['8']!.reason).toContain('第 2、4 行也是它');
    expect(byRow['3']).toMatchObject({ column: '联系电话', severity: 'warning', reason: expect.stringContaining('分机') });
    expect(byRow['5']!.reason).toContain('空格');
    expect(byRow['6']!.reason).toContain('位数不对（10 位）');
    expect(byRow['7']).toMatchObject({
      column: '诉求内容',
      severity: 'warning',
      reason: expect.stringContaining('4100 字，超过 4000 字上限，已截断'),
    });
    const rows = Object.fromEntries((await appealsOf('BR')).map((r) => [r.ticket_no, r]));
    expect(rows.BR0001!.description).toBe('第三次');
    expect(rows.BR0002!.reporter_phone).toBe('010-63261234转8012');
    expect(rows.BR0003!.reporter_phone).toBe('138 1234 5678');
    expect(rows.BR0004!.reporter_phone).toBe('1381234567');
    expect(rows.BR0005!.description).toHaveLength(4000);
  });

  it('refuses an unclosed quote with its row, on this thread and in the reader’s worker', async () => {
    const header = ['工单编号', '受理时间', '诉求内容', '所属区'];
    const lines = [
      csvLine(header),
      'UQ1,2021-03-05 10:00,好的,丰台区',
      'UQ2,2021-03-05 10:00,"没有闭合的引号,丰台区',
      'UQ3,2021-03-05 10:00,好的,丰台区',
    ];
    const file = path.join(dir, 'unclosed.csv');
    fs.writeFileSync(file, lines.join('\n'));
    for (const parallel of [false, true]) {
      await expect(importAppeals(db(), file, admin, { now, parallel })).rejects.toMatchObject({
        kind: 'invalid',
        zh: expect.stringContaining('第 3 行的引号没有闭合'),
        en: expect.stringContaining('line 3'),
      });
    }
  });

  it('refuses a broken XLSX and a zip bomb at once, as one problem, without inflating it into memory', async () => {
    const good = await writeMessyXlsx('whole.xlsx', 'ZB');
    const bytes = fs.readFileSync(good);
    const truncated = path.join(dir, 'truncated.xlsx');
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(importAppeals(db(), truncated, admin, { now })).rejects.toMatchObject({
      kind: 'invalid',
      zh: expect.stringContaining('XLSX 文件已损坏'),
    });

    // 64 MB of zeros deflate to about 64 KB: past the limit (50 times the file, at least 16 MB), whether the part declares its size or lies.
    for (const declared of [64 * 1024 * 1024, 1000]) {
      const bomb = writeZipBomb(`bomb-${declared}.xlsx`, 64 * 1024 * 1024, declared);
      const rss = process.memoryUsage().rss;
      const started = performance.now();
      await expect(importAppeals(db(), bomb, admin, { now })).rejects.toMatchObject({
        kind: 'invalid',
        zh: expect.stringContaining('解压后超过'),
      });
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(process.memoryUsage().rss - rss).toBeLessThan(64 * 1024 * 1024);
    }
  });

  describe('formulas and links in a spreadsheet', () => {
    let server: http.Server;
    let requests = 0;
    let base = '';
    beforeAll(async () => {
      server = http.createServer((_req, res) => {
        requests++;
        res.end('fetched');
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
    });
    afterAll(async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    });

    it('reads the cached results, never evaluates a formula and never fetches a link', async () => {
      const file = path.join(dir, 'formulas.xlsx');
      const workbook = new ExcelJS.Workbook();
      const sheet = workbook.addWorksheet('工单');
      sheet.addRow(['工单编号', '受理时间', '诉求内容', '所属区', '所属街道', '所属社区', '地址']);
      sheet.addRow([
        'FX0001',
        '2021-03-05 10:00',
        { formula: `WEBSERVICE("${base}/ws")`, result: '缓存的内容' },
        '丰台区',
        '六里桥街道',
        '京铁家园社区',
        { text: '链接', hyperlink: `${base}/link` },
      ]);
      sheet.addRow([
        'FX0002',
        '2021-03-05 10:00',
        { formula: `'${base}/[book.xlsx]Sheet1'!A1`, result: '外部引用的缓存' },
        '丰台区',
        '六里桥街道',
        '京铁家园社区',
        { formula: '1+1' },
      ]);
      await workbook.xlsx.writeFile(file);
      const summary = await importAppeals(db(), file, admin, { now });
      expect(summary).toMatchObject({ inserted: 2, badRows: 0 });
      const rows = await db()
        .kysely.selectFrom('appeal')
        .select(['description', 'address'])
        .where('ticket_no', 'like', 'FX%')
        .orderBy('ticket_no')
        .execute();
      expect(rows).toEqual([
        { description: '缓存的内容', address: '链接' },
        // A formula without a cached result stays empty: 1+1 is not worked out.
        { description: '外部引用的缓存', address: null },
      ]);
      expect(requests).toBe(0);
    });
  });
});
