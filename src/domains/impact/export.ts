import ExcelJS from 'exceljs';
import { csvDocument } from '../../csv.ts';
import { monthIndex, type PanelRow } from './panel.ts';
import { panelColumns, panelTable, type PanelCell, type Prepared } from './service.ts';
import type { ImpactReport } from './schemas.ts';

/**
 * The panel as CSV (through the product's one CSV writer, which neutralises formula-like cells)
 * and as a workbook with the method and the estimate beside it: what an analyst needs to rerun
 * the estimate in R or Python.
 */
export function panelCsv(p: Prepared): string {
  return csvDocument(panelColumns, panelTable(p));
}

export async function panelWorkbook(p: Prepared, report: ImpactReport): Promise<Buffer> {
  const zh = report.lang === 'zh';
  const wb = new ExcelJS.Workbook();
  wb.creator = 'mustanswer';
  const panel = wb.addWorksheet(zh ? '面板 panel' : 'panel');
  panel.addRow([...panelColumns]);
  panel.getRow(1).font = { bold: true };
  // Text cells as text values: a spreadsheet never evaluates them as formulas.
  for (const row of panelTable(p)) panel.addRow(row.map((c) => c ?? ''));
  panel.views = [{ state: 'frozen', ySplit: 1 }];

  const est = wb.addWorksheet(zh ? '估计 estimate' : 'estimate');
  est.addRow(
    zh
      ? ['指标', '估计', '95% 下限', '95% 上限', '选派社区', '对照社区', '有效回访（选派后）', '结论', '朴素前', '朴素后', '朴素差']
      : [
          'outcome',
          'estimate',
          'low',
          'high',
          'treated',
          'comparison',
          'treated weight',
          'verdict',
          'naive before',
          'naive after',
          'naive change',
        ],
  );
  est.getRow(1).font = { bold: true };
  for (const o of report.outcomes) {
    est.addRow([
      o.label,
      o.overall.estimate,
      o.overall.low,
      o.overall.high,
      o.overall.treated,
      o.overall.controls,
      o.overall.treatedWeight,
      o.overall.verdictText,
      o.naive.before,
      o.naive.after,
      o.naive.change,
    ]);
  }
  est.addRow([]);
  est.addRow(
    zh ? ['事件研究（解决率）', '相对月份', '估计', '下限', '上限'] : ['event study (resolution)', 'e', 'estimate', 'low', 'high'],
  );
  for (const e of report.outcomes[0]!.event) est.addRow(['', e.e, e.estimate, e.low, e.high]);

  const method = wb.addWorksheet(zh ? '方法 method' : 'method');
  method.getColumn(1).width = 24;
  method.getColumn(2).width = 120;
  for (const [k, v] of [
    [zh ? '标题' : 'title', report.title],
    [zh ? '评估期' : 'period', report.period.text],
    [zh ? '数据' : 'data', `${report.data.source} ${report.data.from} … ${report.data.to}`],
    [zh ? '估计方法' : 'estimator', report.method.estimator],
    [zh ? '对照匹配' : 'matching', report.method.matching],
    [zh ? '不确定性' : 'uncertainty', report.method.uncertainty],
    [
      zh ? '参数' : 'parameters',
      `draws=${report.method.draws} seed=${report.method.seed} k=${report.method.k} months=${report.method.months} pool=${report.method.pool}`,
    ],
    ...report.notes.map((n) => [zh ? '说明' : 'note', n]),
  ] as Array<[string, string]>) {
    const row = method.addRow([k, v]);
    row.getCell(2).alignment = { wrapText: true, vertical: 'top' };
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/** Reads the panel CSV back: the rows and each community's treatment, as an analyst's script would. */
export function readPanelCsv(csv: string): {
  rows: PanelRow[];
  treatment: Map<string, { cohort: number | null; lastTreated: number | null }>;
} {
  const lines = parseCsv(csv.replace(/^\uFEFF/, ''));
  const header = lines[0]!;
  const col = (name: string) => header.indexOf(name);
  const rows: PanelRow[] = [];
  const treatment = new Map<string, { cohort: number | null; lastTreated: number | null }>();
  const num = (v: string | undefined) => Number(v ?? 0);
  for (const cells of lines.slice(1)) {
    if (cells.length < header.length) continue;
    const code = cells[col('community_code')]!;
    const first = cells[col('first_treated_month')]!;
    const last = cells[col('last_treated_month')]!;
    treatment.set(code, { cohort: first === '' ? null : monthIndex(first), lastTreated: last === '' ? null : monthIndex(last) });
    rows.push({
      communityCode: code,
      month: cells[col('month')]!,
      volume: num(cells[col('volume')]),
      responseValid: num(cells[col('response_valid')]),
      contacted: num(cells[col('contacted')]),
      resolutionValid: num(cells[col('resolution_valid')]),
      solved: num(cells[col('solved')]),
      satisfactionValid: num(cells[col('satisfaction_valid')]),
      satisfied: num(cells[col('satisfied')]),
      basically: num(cells[col('basically')]),
    });
  }
  return { rows, treatment };
}

/** RFC 4180 fields: quotes, doubled quotes, commas and line breaks inside quotes. */
function parseCsv(text: string): string[][] {
  const out: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field);
      out.push(row);
      row = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    out.push(row);
  }
  return out;
}

export type { PanelCell };
