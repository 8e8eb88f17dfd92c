import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { migrate } from '../db/migrator.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { systemViewer } from '../domains/accounts/viewer.ts';
import { importAppeals, importProblemsCsv } from '../domains/appeals/import/service.ts';
import type { MappingOverride } from '../domains/appeals/import/mapping.ts';
import type { ImportSummary } from '../domains/appeals/import/schemas.ts';
import { progressBar } from './progress.ts';
import { loadProvinceWithProgress } from './geo.ts';
import { countByLevel } from '../domains/geo/queries.ts';

export interface ImportCommandOptions {
  source?: string;
  district?: string;
  mapping?: string;
  errors?: string;
}

/** `mustanswer import appeals FILE`: the same import as the upload page, as the system (admin) user. */
export async function importAppealsCommand(config: Config, file: string, options: ImportCommandOptions): Promise<void> {
  if (!fs.existsSync(file)) throw new Error(`文件不存在 / no such file: ${file}`);
  const mapping = options.mapping ? (JSON.parse(fs.readFileSync(options.mapping, 'utf8')) as MappingOverride) : undefined;
  const db = await openConfiguredDatabase(config);
  try {
    await migrate(db);
    // As on serve's first start: rows are matched against Beijing's divisions, so they must be there.
    if ((await countByLevel(db.kysely, '11')).community === 0) await loadProvinceWithProgress(db.kysely, '11');
    const size = fs.statSync(file).size;
    const bar = progressBar(`导入 import ${path.basename(file)} (KB)`, Math.max(1, Math.ceil(size / 1024)));
    let summary: ImportSummary;
    try {
      summary = await importAppeals(db, { ...systemViewer, actor: 'cli' }, file, {
        source: options.source,
        district: options.district,
        mapping,
        onProgress: (p) => bar.update(Math.ceil(p.bytes / 1024)),
      });
      bar.update(Math.ceil(size / 1024));
    } finally {
      bar.stop();
    }
    let reportFile: string | undefined;
    if (summary.badRows + summary.warnings > 0) {
      reportFile = options.errors ?? `${file.replace(/\.(csv|xlsx)$/i, '')}.errors.csv`;
      const report = await importProblemsCsv(db.kysely, systemViewer, summary.id);
      fs.writeFileSync(reportFile, report.csv);
    }
    console.log(describeImport(summary, reportFile));
  } finally {
    await db.close();
  }
}

export function describeImport(s: ImportSummary, reportFile: string | undefined): string {
  const lines = [
    `导入 #${s.id} ${s.fileName}（${s.format}${s.encoding ? `, ${s.encoding}` : ''}）/ import #${s.id}`,
    `  数据行 rows        ${s.rowsTotal}`,
    `  新增 inserted      ${s.inserted}`,
    `  更新 updated       ${s.updated}`,
    `  无变化 unchanged   ${s.unchanged}`,
    `  未匹配社区 unmatched ${s.unmatched}（待人工匹配 / queued for manual matching）`,
    `  错误行 bad rows    ${s.badRows}`,
    `  警告 warnings      ${s.warnings}`,
  ];
  for (const p of s.problems.slice(0, 5)) lines.push(`    第 ${p.rowNo} 行 row ${p.rowNo}${p.column ? ` [${p.column}]` : ''}: ${p.reason}`);
  if (reportFile) lines.push(`  完整报告 full report: ${reportFile}`);
  return lines.join('\n');
}
