import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';

/** Files as district offices send them, written to a temp directory of the test file's own. */
export const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mustanswer-import-'));

export const header =
  '工单编号,受理时间,诉求类型,问题分类,诉求内容,所属区,所属街道,所属社区,地址,来电人,联系电话,紧急程度,派单单位,是否联系,是否解决,满意度,回访时间,办结时间';

/** 京铁家园社区 110106008028 and 六里桥社区 of 六里桥街道, Fengtai; the ticket prefix keeps files apart. */
export function fengtaiRows(prefix: string): string[] {
  return [
    // Full-width digits, the official name with 居委会, a category path: a real-looking export row.
    `${fullWidth(`${prefix}0001`)},2021-03-05 10:22:13,投诉,城乡建设/停车管理/停车难,小区停车难，车位不够,丰台区,六里桥街道,京铁家园社区居委会,京铁家园3号楼,张三,１３８１２３４５６７８,一般,六里桥街道办事处,是,是,满意,2021-03-08 09:00,2021-03-09`,
    // Slashes in the date, the bare core name, no callback yet.
    `${prefix}0002,2021/3/5 11:00,求助,供暖不热,暖气不热,丰台区,六里桥,京铁家园,,李四,13900000000,紧急,北京热力集团,,,,,`,
    // A Chinese date, no community column value: found by the address.
    `${prefix}0003,2021年3月6日 9时05分,咨询,噪声,夜间施工噪声,丰台区,六里桥街道,,六里桥街道京铁家园社区12号楼,王五,,,,,,,,`,
  ];
}

export const fullWidth = (text: string) => text.replace(/[0-9]/g, (d) => String.fromCharCode(d.charCodeAt(0) + 0xfee0));

export function writeCsv(name: string, lines: string[], encoding: 'utf8-bom' | 'utf8' | 'gbk' = 'utf8-bom'): string {
  const file = path.join(dir, name);
  const text = `${[header, ...lines].join('\r\n')}\r\n`;
  fs.writeFileSync(file, encoding === 'gbk' ? iconv.encode(text, 'gbk') : `${encoding === 'utf8-bom' ? '\uFEFF' : ''}${text}`);
  return file;
}

/** An XLSX with a title row above the header, received times as serial numbers and as date cells. */
export async function writeXlsx(name: string, prefix: string): Promise<string> {
  const file = path.join(dir, name);
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('工单');
  sheet.addRow(['丰台区12345工单导出（2021年3月）']);
  sheet.mergeCells('A1:F1');
  sheet.addRow([
    '工单编号',
    '受理时间',
    '诉求类型',
    '问题分类',
    '诉求内容',
    '所属区',
    '所属街道',
    '所属社区',
    '是否解决',
    '满意度',
    '回访时间',
  ]);
  // 44260.5 is 2021-03-05 12:00 in the spreadsheet's wall-clock time (Beijing).
  sheet.addRow([
    `${prefix}0001`,
    44260.5,
    '投诉',
    '物业服务',
    '物业不作为',
    '丰台区',
    '六里桥街道',
    '京铁家园社区',
    '是',
    '满意',
    44263.375,
  ]);
  const dated = sheet.addRow([
    `${prefix}0002`,
    new Date(Date.UTC(2021, 2, 6, 8, 30)),
    '求助',
    '停水',
    '小区停水',
    '丰台区',
    '六里桥街道',
    '京铁家园',
    '否',
    '不满意',
    new Date(Date.UTC(2021, 2, 7, 9, 0)),
  ]);
  dated.getCell(2).numFmt = 'yyyy-mm-dd hh:mm';
  dated.getCell(11).numFmt = 'yyyy-mm-dd hh:mm';
  await workbook.xlsx.writeFile(file);
  return file;
}
