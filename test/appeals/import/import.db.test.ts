import crypto from 'node:crypto';
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { systemViewer, type Viewer } from '../../../src/domains/accounts/viewer.ts';
import {
  importAppealFiles,
  importAppeals,
  listUnmatched,
  matchUnmatched,
  importProblemsCsv,
} from '../../../src/domains/appeals/import/service.ts';
import { replayStored } from '../../../src/domains/appeals/service.ts';
import { checkRollups } from '../../../src/domains/evaluation/rollup.ts';
import { backends, useTestDatabase } from '../../support/databases.ts';
import { fengtaiRows, writeCsv, writeXlsx } from './fixtures.ts';

const fengtaiOffice: Viewer = { userId: null, actor: 'fengtai-hotline', role: 'hotline_office', scopeCode: '110106' };
const now = new Date('2024-01-01T00:00:00Z');

describe.each(backends)('importing hotline exports on %s', (backend) => {
  const t = useTestDatabase(backend);
  const db = () => t.db;
  const appealsOf = (prefix: string) =>
    db().kysely.selectFrom('appeal').selectAll().where('ticket_no', 'like', `${prefix}%`).orderBy('ticket_no').execute();

  it('reads a UTF-8 CSV with BOM under the default mapping: full-width digits, names with or without 居委会, address matching', async () => {
    const file = writeCsv('bom.csv', fengtaiRows('A21'));
    const summary = await importAppeals(db(), file, fengtaiOffice, { now });
    expect(summary).toMatchObject({
      status: 'done',
      format: 'csv',
      encoding: 'utf-8',
      rowsTotal: 3,
      inserted: 3,
      badRows: 0,
      unmatched: 0,
    });
    const rows = await appealsOf('A21');
    expect(rows.map((r) => r.ticket_no)).toEqual(['A210001', 'A210002', 'A210003']);
    expect(rows.map((r) => r.community_code)).toEqual(['110106008028', '110106008028', '110106008028']);
    expect(rows[0]).toMatchObject({
      category_code: 'parking.shortage',
      kind: 'complaint',
      status: 'closed',
      contacted: true,
      solved: true,
      satisfaction: 'satisfied',
      reporter_phone: '13812345678',
    });
    expect(rows[0]!.received_at.toISOString()).toBe('2021-03-05T02:22:13.000Z');
    expect(rows[1]).toMatchObject({
      category_code: 'heating.insufficient',
      urgency: 'urgent',
      status: 'dispatched',
      dispatched_unit_type: 'utility',
    });
    expect(rows[2]!.received_at.toISOString()).toBe('2021-03-06T01:05:00.000Z');
    expect(rows[2]).toMatchObject({ kind: 'consultation', category_code: 'noise', status: 'received' });
    for (const row of rows) {
      const { stored, replayed } = await replayStored(db().kysely, row.id);
      expect(replayed).toEqual({ ok: true, state: stored });
    }
    expect(await checkRollups(db().kysely)).toEqual([]);
  });

  it('reads a GBK CSV', async () => {
    const summary = await importAppeals(db(), writeCsv('gbk.csv', fengtaiRows('G21'), 'gbk'), fengtaiOffice, { now });
    expect(summary).toMatchObject({ encoding: 'gbk', inserted: 3, badRows: 0 });
    expect((await appealsOf('G21'))[0]).toMatchObject({ description: '小区停车难，车位不够', community_code: '110106008028' });
  });

  it('reads an XLSX with a title row above the header and dates as serial numbers and date cells', async () => {
    const summary = await importAppeals(db(), await writeXlsx('title.xlsx', 'X21'), fengtaiOffice, { now });
    expect(summary).toMatchObject({ format: 'xlsx', inserted: 2, badRows: 0 });
    const [serial, dated] = await appealsOf('X21');
    expect(serial!.received_at.toISOString()).toBe('2021-03-05T04:00:00.000Z');
    expect(serial!.last_callback_at!.toISOString()).toBe('2021-03-08T01:00:00.000Z');
    expect(serial).toMatchObject({ category_code: 'property.service', solved: true, contacted: true });
    expect(dated!.received_at.toISOString()).toBe('2021-03-06T00:30:00.000Z');
    expect(dated).toMatchObject({ category_code: 'water.outage', community_code: '110106008028', satisfaction: 'unsatisfied' });
  });

  it('leaves the same rows when the same file comes twice, and updates outcomes from a newer export', async () => {
    const file = writeCsv('twice.csv', fengtaiRows('T21'));
    await importAppeals(db(), file, fengtaiOffice, { now, parallel: true });
    const before = await appealsOf('T21');
    const again = await importAppeals(db(), file, fengtaiOffice, { now });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 3 });
    expect(await appealsOf('T21')).toEqual(before);

    // The newer export has the callback of the second appeal.
    const newer = fengtaiRows('T21');
    newer[1] = newer[1]!.replace(/,,,,,$/, ',是,否,基本满意,2021-03-09 10:00,2021-03-10 08:00');
    const update = await importAppeals(db(), writeCsv('newer.csv', newer), fengtaiOffice, { now });
    expect(update).toMatchObject({ inserted: 0, updated: 1, unchanged: 2 });
    const second = (await appealsOf('T21'))[1]!;
    expect(second).toMatchObject({ status: 'closed', solved: false, satisfaction: 'basically', version: 2 });
    const events = await db()
      .kysely.selectFrom('appeal_event')
      .select(['seq', 'type'])
      .where('appeal_id', '=', second.id)
      .orderBy('seq')
      .execute();
    expect(events).toEqual([
      { seq: 1, type: 'imported' },
      { seq: 2, type: 'imported' },
    ]);
    const { stored, replayed } = await replayStored(db().kysely, second.id);
    expect(replayed).toEqual({ ok: true, state: stored });
    expect(await checkRollups(db().kysely)).toEqual([]);
  });

  it('imports several exports as one batch: a record and a digest each, a later file’s state winning, and nothing from a batch with a bad file', async () => {
    const newer = fengtaiRows('M21');
    newer[1] = newer[1]!.replace(/,,,,,$/, ',是,否,基本满意,2021-03-09 10:00,2021-03-10 08:00');
    const files = [
      writeCsv('batch-1.csv', fengtaiRows('M21')),
      writeCsv('batch-2.csv', newer),
      writeCsv('batch-3.csv', fengtaiRows('M22')),
    ];
    // The files arrive one by one, as the demo writes them; a worker reads each while the one before is imported.
    async function* arriving() {
      for (const file of files) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        yield { file };
      }
    }
    const summaries = await importAppealFiles(db(), arriving(), fengtaiOffice, { now, parallel: true, chunkRows: 2 });
    expect(summaries.map((s) => [s.fileName, s.status, s.inserted, s.updated, s.unchanged])).toEqual([
      ['batch-1.csv', 'done', 3, 0, 0],
      ['batch-2.csv', 'done', 0, 1, 2],
      ['batch-3.csv', 'done', 3, 0, 0],
    ]);
    const recorded = await db()
      .kysely.selectFrom('appeal_import')
      .select(['file_name', 'file_bytes', 'file_sha256'])
      .where(
        'id',
        'in',
        summaries.map((s) => s.id),
      )
      .orderBy('id')
      .execute();
    expect(recorded).toEqual(
      files.map((file) => {
        const bytes = fs.readFileSync(file);
        return {
          file_name: file.split('/').pop(),
          file_bytes: bytes.length,
          file_sha256: crypto.createHash('sha256').update(bytes).digest('hex'),
        };
      }),
    );
    const second = (await appealsOf('M21'))[1]!;
    expect(second).toMatchObject({ solved: false, satisfaction: 'basically', version: 2 });
    expect(await checkRollups(db().kysely)).toEqual([]);

    const bad = writeCsv('batch-bad.csv', []);
    fs.writeFileSync(bad, '\uFEFF编号,内容\r\n1,x\r\n');
    const failing = importAppealFiles(db(), [{ file: writeCsv('batch-4.csv', fengtaiRows('M23')) }, { file: bad }], fengtaiOffice, {
      now,
      parallel: true,
    });
    await expect(failing).rejects.toMatchObject({
      kind: 'invalid',
      zh: expect.stringContaining('batch-bad.csv'),
      en: expect.stringContaining('batch-bad.csv'),
    });
    expect(await appealsOf('M23')).toEqual([]);
    const last = await db()
      .kysely.selectFrom('appeal_import')
      .select(['file_name', 'status'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(last).toEqual({ file_name: 'batch-4.csv', status: 'failed' });
    expect(await checkRollups(db().kysely)).toEqual([]);
  });

  it('reports bad rows with row, column and reason while the good rows land', async () => {
    const rows = [
      ...fengtaiRows('B21').slice(0, 1),
      ',2021-03-05 10:00,投诉,停车难,没有编号,丰台区,六里桥街道,京铁家园社区,,,,,,,,,,',
      'B210003,明天,投诉,停车难,时间不对,丰台区,六里桥街道,京铁家园社区,,,,,,,,,,',
      'B210004,2021-03-05 10:00,抱怨,停车难,类型不对,丰台区,六里桥街道,京铁家园社区,,,,,,,,,,',
      'B210005,2021-03-05 10:00,投诉,外星人入侵,分类不认识,丰台区,六里桥街道,京铁家园社区,,,,,,,,,,',
      'B210006,2021-03-05 10:00,投诉,停车难,满意度不对,丰台区,六里桥街道,京铁家园社区,,,,,,,,很好,,',
    ];
    const summary = await importAppeals(db(), writeCsv('bad.csv', rows), fengtaiOffice, { now });
    expect(summary).toMatchObject({ rowsTotal: 6, inserted: 2, badRows: 4, warnings: 1 });
    const problems = summary.problems.map((p) => [p.rowNo, p.column, p.severity, p.reason.split(' / ')[0]]);
    expect(problems).toEqual([
      [3, '工单编号', 'error', '缺少工单编号'],
      [4, '受理时间', 'error', '无法识别的时间“明天”'],
      [5, '诉求类型', 'error', expect.stringContaining('无法识别的诉求类型“抱怨”')],
      [6, '问题分类', 'warning', '未识别的问题分类“外星人入侵”，已记为“其他”'],
      [7, '满意度', 'error', expect.stringContaining('无法识别的满意度“很好”')],
    ]);
    expect((await appealsOf('B21')).map((r) => [r.ticket_no, r.category_code])).toEqual([
      ['B210001', 'parking.shortage'],
      ['B210005', 'other'],
    ]);
    const report = await importProblemsCsv(db().kysely, summary.id, fengtaiOffice);
    expect(report.csv.startsWith('\uFEFF行号 row,列 column')).toBe(true);
    expect(report.csv).toContain('4,受理时间,明天,B210003,错误 error,');
  });

  it('refuses rows outside the importer’s scope: a Fengtai office cannot import Shijingshan', async () => {
    const rows = [
      ...fengtaiRows('S21').slice(0, 1),
      'S210002,2021-03-05 10:00,投诉,燃气入户,19号楼燃气入户,石景山区,广宁街道,高井路社区,,,,,,,,,,',
    ];
    const summary = await importAppeals(db(), writeCsv('scope.csv', rows), fengtaiOffice, { now });
    expect(summary).toMatchObject({ inserted: 1, badRows: 1 });
    expect(summary.problems[0]!.reason).toContain('不在您的管辖范围 110106 内');
    expect((await appealsOf('S21')).map((r) => r.ticket_no)).toEqual(['S210001']);
  });

  it('leaves exactly one copy of every good row after a crash halfway and a rerun', async () => {
    const rows = [...fengtaiRows('C21'), ...fengtaiRows('C22')];
    const file = writeCsv('crash.csv', rows);
    let chunks = 0;
    // Parsed in a worker thread, as big files are: the abort must stop it too.
    await expect(
      importAppeals(db(), file, fengtaiOffice, {
        now,
        parallel: true,
        chunkRows: 2,
        onProgress: () => {
          if (++chunks === 2) throw new Error('power cut');
        },
      }),
    ).rejects.toThrow('power cut');
    expect(await appealsOf('C2')).toEqual([]);
    const failed = await db()
      .kysely.selectFrom('appeal_import')
      .select(['status', 'failure'])
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(failed).toEqual({ status: 'failed', failure: 'power cut' });

    const rerun = await importAppeals(db(), file, fengtaiOffice, { now, chunkRows: 2 });
    expect(rerun).toMatchObject({ status: 'done', inserted: 6 });
    const counted = await sql<{
      ticket_no: string;
      n: number;
    }>`SELECT ticket_no, count(*)::int AS n FROM appeal WHERE ticket_no LIKE 'C2%' GROUP BY ticket_no`.execute(db().kysely);
    expect(counted.rows.map((r) => r.n)).toEqual([1, 1, 1, 1, 1, 1]);
    expect(await checkRollups(db().kysely)).toEqual([]);
  });

  it('queues rows no community matches, and a manual match moves the appeal and its rollups', async () => {
    const rows = ['U210001,2021-04-02 10:00,投诉,停车难,找不到的社区,丰台区,六里桥街道,不存在社区,某路边,,,,,是,是,满意,2021-04-05 10:00,'];
    const summary = await importAppeals(db(), writeCsv('unmatched.csv', rows), fengtaiOffice, { now });
    expect(summary).toMatchObject({ inserted: 1, unmatched: 1 });
    const [appeal] = await appealsOf('U21');
    expect(appeal).toMatchObject({ community_code: null, street_code: '110106008', district_code: '110106' });
    const page = await listUnmatched(db().kysely, { importId: summary.id }, fengtaiOffice);
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ ticketNo: 'U210001', givenCommunity: '不存在社区', streetName: '六里桥街道' });
    expect(page.items[0]!.reason).toContain('不存在社区');
    expect(page.items[0]!.candidates.length).toBeGreaterThan(0);
    expect(await checkRollups(db().kysely)).toEqual([]);

    await expect(matchUnmatched(db().kysely, page.items[0]!.id, '110107009011', fengtaiOffice)).rejects.toMatchObject({ kind: 'invalid' });
    const matched = await matchUnmatched(db().kysely, page.items[0]!.id, '110106008028', fengtaiOffice);
    expect(matched).toMatchObject({
      communityCode: '110106008028',
      communityName: expect.stringContaining('京铁家园'),
      resolvedBy: 'fengtai-hotline',
    });
    expect((await appealsOf('U21'))[0]!.community_code).toBe('110106008028');
    expect((await listUnmatched(db().kysely, { importId: summary.id }, fengtaiOffice)).total).toBe(0);
    await expect(matchUnmatched(db().kysely, page.items[0]!.id, '110106008028', fengtaiOffice)).rejects.toThrow(/已处理/);
    expect(await checkRollups(db().kysely)).toEqual([]);
    const audit = await db().kysely.selectFrom('audit_log').select('action').where('action', 'like', 'appeal.import%').execute();
    expect(audit.map((a) => a.action)).toContain('appeal.import.match');
  });

  it('refuses a file without the required columns, and roles that may not import', async () => {
    const file = writeCsv('nocols.csv', []);
    fs.writeFileSync(file, '\uFEFF编号,内容,地址,所属区\r\n1,x,y,丰台区\r\n');
    await expect(importAppeals(db(), file, fengtaiOffice, { now })).rejects.toMatchObject({ kind: 'invalid' });
    const street: Viewer = { ...fengtaiOffice, role: 'street_office' };
    await expect(importAppeals(db(), writeCsv('x.csv', fengtaiRows('Z21')), street, { now })).rejects.toMatchObject({ kind: 'forbidden' });
    void systemViewer;
  });
});
