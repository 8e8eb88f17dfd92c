import fs from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.ts';
import { migrate } from '../db/migrator.ts';
import { openConfiguredDatabase } from '../db/open.ts';
import { systemViewer } from '../domains/accounts/viewer.ts';
import { importAppealFiles, importProblemsCsv, importsInSteps, previewImport } from '../domains/appeals/import/service.ts';
import { describeProposal } from '../domains/appeals/import/infer.ts';
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
  dryRun?: boolean;
}

/**
 * `mustanswer import appeals FILE...`: the same import as the upload page, as the system (admin)
 * user. Several files are one batch, each file recorded as its own import: one transaction, or on
 * PostgreSQL with appeals already stored, committed chunk by chunk (importsInSteps).
 */
export async function importAppealsCommand(config: Config, files: string[], options: ImportCommandOptions): Promise<void> {
  for (const file of files) if (!fs.existsSync(file)) throw new Error(`文件不存在 / no such file: ${file}`);
  if (options.errors && files.length > 1) throw new Error('--errors 只能用于单个文件 / --errors takes one file only');
  const mapping = options.mapping ? (JSON.parse(fs.readFileSync(options.mapping, 'utf8')) as MappingOverride) : undefined;
  const db = await openConfiguredDatabase(config);
  try {
    await migrate(db);
    // As on serve's first start: rows are matched against Beijing's divisions, so they must be there.
    if ((await countByLevel(db.kysely, '11')).community === 0) await loadProvinceWithProgress(db.kysely, '11');
    // What the import makes of each file comes first: the roles of its columns with the evidence,
    // where rows naming no district go. A file it cannot understand stops here, with the fix.
    const viewer = { ...systemViewer, actor: 'cli' };
    for (const file of files) {
      const preview = await previewImport(db, file, viewer, { source: options.source, district: options.district, mapping });
      console.log(`${path.basename(file)}\n${describeProposal(preview)}`);
      if (preview.problems.length > 0) {
        throw new Error(
          `无法导入 ${path.basename(file)}：${preview.problems.map((p) => p.zh).join('；')}\ncannot import ${path.basename(file)}: ${preview.problems.map((p) => p.en).join('; ')}`,
        );
      }
    }
    if (options.dryRun) {
      console.log('--dry-run：未写入任何数据 / nothing was written');
      return;
    }
    const sizes = files.map((file) => fs.statSync(file).size);
    const before = sizes.map((_, i) => sizes.slice(0, i).reduce((sum, size) => sum + size, 0));
    const total = sizes.reduce((sum, size) => sum + size, 0);
    const label = files.length === 1 ? path.basename(files[0]!) : `${files.length} 个文件 files`;
    const bar = progressBar(`导入 import ${label} (KB)`, Math.max(1, Math.ceil(total / 1024)));
    let summaries: ImportSummary[];
    try {
      summaries = await importAppealFiles(
        db,
        files.map((file) => ({ file })),
        viewer,
        {
          source: options.source,
          district: options.district,
          mapping,
          onProgress: (p) => bar.update(Math.ceil((before[p.file]! + p.bytes) / 1024)),
          // On PostgreSQL beside a server: committed chunk by chunk, its list pages stay quick.
          inSteps: await importsInSteps(db, false),
        },
      );
      bar.update(Math.ceil(total / 1024));
    } finally {
      bar.stop();
    }
    for (const [i, summary] of summaries.entries()) {
      let reportFile: string | undefined;
      if (summary.badRows + summary.warnings > 0) {
        reportFile = options.errors ?? `${files[i]!.replace(/\.(csv|xlsx)$/i, '')}.errors.csv`;
        const report = await importProblemsCsv(db.kysely, summary.id, systemViewer);
        fs.writeFileSync(reportFile, report.csv);
      }
      console.log(describeImport(summary, reportFile));
    }
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
