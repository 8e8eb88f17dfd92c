import type { AppealChannel, AppealKind, Satisfaction, UnitType, Urgency } from '../../../db/tables.ts';

/**
 * What the cells of real exports say, turned into values. Each parser returns undefined for an
 * empty cell and `bad` for text it cannot read, so the row reader can name the column.
 */
export const bad = Symbol('bad');
export type Parsed<T> = T | undefined | typeof bad;

/**
 * Full-width digits and letters (１２３, Ａ) folded to ASCII and runs of spaces (U+3000 too) made
 * one. Chinese punctuation stays: a description keeps its ，and 。.
 */
export function clean(text: string): string {
  if (isClean(text)) return text;
  const folded = /[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/.test(text)
    ? text.replace(/[\uFF10-\uFF19\uFF21-\uFF3A\uFF41-\uFF5A]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    : text;
  return folded.replace(/[\s\u3000]+/g, ' ').trim();
}

/**
 * True when `clean` would return the text as it is: no full-width letter or digit, no white space
 * but single spaces between other characters. Most cells are like that, and a scan is cheaper
 * than the two regular expressions and the trim.
 */
function isClean(text: string): boolean {
  const last = text.length - 1;
  for (let i = 0; i <= last; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x21) {
      // A single space between two other characters is the only white space clean keeps as it is.
      if (c !== 0x20 || i === 0 || i === last || text.charCodeAt(i - 1) === 0x20) return false;
    } else if (c >= 0xa0 && isWideOrSpace(c)) {
      return false;
    }
  }
  return true;
}

/** Full-width letters and digits, and the white space of \s besides ASCII's. */
function isWideOrSpace(c: number): boolean {
  return (
    (c >= 0xff10 && c <= 0xff19) ||
    (c >= 0xff21 && c <= 0xff3a) ||
    (c >= 0xff41 && c <= 0xff5a) ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    c === 0x2028 ||
    c === 0x2029 ||
    c === 0x202f ||
    c === 0x205f ||
    c === 0x3000 ||
    c === 0xfeff
  );
}

const yes = new Set(['是', '已', '有', 'y', 'yes', 'true', '1', '√', '✓']);
const no = new Set(['否', '未', '无', 'n', 'no', 'false', '0', '×', '✗']);

export function parseYesNo(text: string): Parsed<boolean> {
  if (text === '') return undefined;
  // 是 and 否 as they stand, without lower-casing and the expression below (which change neither).
  if (yes.has(text)) return true;
  if (no.has(text)) return false;
  const key = text.toLowerCase().replace(/^(已|未)(响应|联系|解决)$/, '$1');
  if (yes.has(key)) return true;
  if (no.has(key)) return false;
  return bad;
}

const satisfactionNames: Record<string, Satisfaction> = {
  满意: 'satisfied',
  非常满意: 'satisfied',
  基本满意: 'basically',
  一般: 'basically',
  不满意: 'unsatisfied',
  非常不满意: 'unsatisfied',
};

export function parseSatisfaction(text: string): Parsed<Satisfaction> {
  if (text === '') return undefined;
  return satisfactionNames[text.replace(/\s/g, '')] ?? bad;
}

const kindNames: Record<string, AppealKind> = {
  投诉: 'complaint',
  求助: 'help',
  咨询: 'consultation',
  建议: 'suggestion',
  意见建议: 'suggestion',
  举报: 'report',
  表扬: 'praise',
  感谢: 'praise',
};

export function parseKind(text: string): Parsed<AppealKind> {
  if (text === '') return undefined;
  const key = text.replace(/\s/g, '').replace(/类$/, '');
  return kindNames[key] ?? (Object.values(kindNames).includes(key as AppealKind) ? (key as AppealKind) : bad);
}

const channelWords: Array<[RegExp, AppealChannel]> = [
  [/电话|热线|12345|来电/, 'phone'],
  [/网站|网络|网上|门户|邮件/, 'web'],
  [/app|小程序|微信|微博|客户端/i, 'app'],
  [/open311/i, 'open311'],
  [/来访|窗口|现场|走访/, 'walk_in'],
];

/** Unknown channels count as phone: it is a hotline export, and the channel is not evaluated. */
export function parseChannel(text: string): AppealChannel {
  return channelWords.find(([pattern]) => pattern.test(text))?.[1] ?? 'phone';
}

export function parseUrgency(text: string): Parsed<Urgency> {
  if (text === '') return undefined;
  if (/紧急|特急|加急|急件|^是$|urgent/i.test(text) && !/不紧急|非紧急/.test(text)) return 'urgent';
  if (/一般|普通|正常|不紧急|非紧急|^否$|normal/i.test(text)) return 'normal';
  return bad;
}

const unitWords: Array<[RegExp, UnitType]> = [
  [/街道|地区办事处|乡政府|镇政府|[乡镇]人民政府|^.{1,8}[乡镇]$/, 'street_office'],
  [/供电|电力|热力|供热|供暖|自来水|水务集团|燃气|排水/, 'utility'],
  [/[局委办厅署院队所]$|人民政府|管委会|管理中心/, 'department'],
  [/公司|集团|物业|企业/, 'company'],
];

/** A unit's kind from its name; a hotline dispatches to departments unless the name says otherwise. */
export function unitTypeOf(name: string): UnitType {
  return unitWords.find(([pattern]) => pattern.test(name))?.[1] ?? 'department';
}

const HOUR = 3_600_000;
const SHANGHAI_OFFSET = 8 * HOUR;
/** Spreadsheet serial days count from 1899-12-30 (Excel's 1900 system, with its leap-year bug absorbed). */
const SERIAL_EPOCH = Date.UTC(1899, 11, 30);
const DAY = 24 * HOUR;

const textTime =
  /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[T\s]*(\d{1,2})\s*[:时]\s*(\d{1,2})(?:\s*[:分]\s*(\d{1,2})(?:\.\d+)?\s*秒?)?\s*分?)?$/;
const compactTime = /^(\d{4})(\d{2})(\d{2})(?:\s*(\d{2})(\d{2})(\d{2})?)?$/;

/**
 * A time as exports write it, in Beijing time unless it carries a zone: 2021-03-05 10:22:13,
 * 2021/3/5 10:22, 2021年3月5日 10时22分, 20210305102213, a date alone (midnight), or a spreadsheet
 * serial number (44260.43) when a cell lost its date format.
 */
export function parseTime(value: string | number | Date): Parsed<Date> {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? bad : value;
  if (typeof value === 'number') return fromSerial(value);
  const text = value;
  if (text === '') return undefined;
  const fast = isoLikeTime(text);
  if (fast !== undefined) return fast;
  const m = textTime.exec(text) ?? compactTime.exec(text);
  if (m) {
    const [y, mo, d, h = '0', mi = '0', s = '0'] = m.slice(1).map((part) => part ?? undefined) as string[];
    return beijing(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s));
  }
  if (/^\d{4,5}(\.\d+)?$/.test(text)) return fromSerial(Number(text));
  if (/^\d{4}-\d{2}-\d{2}T.*(Z|[+-]\d{2}:?\d{2})$/.test(text)) {
    const at = new Date(text);
    return Number.isNaN(at.getTime()) ? bad : at;
  }
  return bad;
}

const digit = (text: string, i: number) => text.charCodeAt(i) - 48;
const isDigit = (text: string, i: number) => {
  const c = text.charCodeAt(i);
  return c >= 48 && c <= 57;
};

/**
 * The shapes nearly every export writes, 2021-03-05 10:22:13, 2021-03-05 10:22 and 2021-03-05,
 * read without the regular expressions (a million rows have six or seven times each); undefined
 * for anything else, which the expressions then read. Same result as textTime for these shapes.
 */
function isoLikeTime(text: string): Parsed<Date> | undefined {
  const n = text.length;
  if (n !== 10 && n !== 16 && n !== 19) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45) return undefined;
  if (
    !(
      isDigit(text, 0) &&
      isDigit(text, 1) &&
      isDigit(text, 2) &&
      isDigit(text, 3) &&
      isDigit(text, 5) &&
      isDigit(text, 6) &&
      isDigit(text, 8) &&
      isDigit(text, 9)
    )
  )
    return undefined;
  const y = digit(text, 0) * 1000 + digit(text, 1) * 100 + digit(text, 2) * 10 + digit(text, 3);
  const mo = digit(text, 5) * 10 + digit(text, 6);
  const d = digit(text, 8) * 10 + digit(text, 9);
  if (n === 10) return beijing(y, mo, d, 0, 0, 0);
  if (text.charCodeAt(10) !== 32 || text.charCodeAt(13) !== 58) return undefined;
  if (!(isDigit(text, 11) && isDigit(text, 12) && isDigit(text, 14) && isDigit(text, 15))) return undefined;
  const h = digit(text, 11) * 10 + digit(text, 12);
  const mi = digit(text, 14) * 10 + digit(text, 15);
  if (n === 16) return beijing(y, mo, d, h, mi, 0);
  if (text.charCodeAt(16) !== 58 || !isDigit(text, 17) || !isDigit(text, 18)) return undefined;
  return beijing(y, mo, d, h, mi, digit(text, 17) * 10 + digit(text, 18));
}

function beijing(y: number, mo: number, d: number, h: number, mi: number, s: number): Parsed<Date> {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return bad;
  // Date.UTC rolls 31 February over into March, and 23:59:60 into the next day: refuse them instead.
  // (Date.UTC reads years 0–99 as 1900–1999, so their month lengths are those years'.)
  if (d > daysInMonth(y >= 0 && y <= 99 ? 1900 + y : y, mo) || (h === 23 && mi === 59 && s === 60)) return bad;
  return new Date(Date.UTC(y, mo - 1, d, h, mi, s) - SHANGHAI_OFFSET);
}

const monthDays = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

function daysInMonth(year: number, month: number): number {
  if (month !== 2) return monthDays[month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

function fromSerial(serial: number): Parsed<Date> {
  // 1 = 1900-01-01 … 73051 = 2100-01-01: anything else is a number, not a date.
  if (!Number.isFinite(serial) || serial < 1 || serial > 73051) return bad;
  // The serial is wall-clock time in Beijing; round to the second (spreadsheets store binary fractions).
  const wall = SERIAL_EPOCH + Math.round((serial * DAY) / 1000) * 1000;
  return new Date(wall - SHANGHAI_OFFSET);
}

/** exceljs hands a date cell back as a Date whose UTC fields are the wall-clock time: shift it to Beijing. */
export function fromSpreadsheetDate(date: Date): Date {
  return new Date(date.getTime() - SHANGHAI_OFFSET);
}

/** The longest phone text stored; longer is cut, with a warning. */
export const MAX_PHONE_LENGTH = 30;

/**
 * What is odd about a phone number as written: an extension, spaces, letters, or a number of digits
 * no Chinese number has. The number itself is stored as written: a guess at the right one would
 * be a silent rewrite of what the resident gave. Undefined when it looks like a number.
 */
export function phoneIssue(text: string): { zh: string; en: string } | undefined {
  if (text === '') return undefined;
  if (/转|分机|ext|[xX#]\s*\d/.test(text))
    return { zh: `电话“${text}”含分机号，已原样保存`, en: `Phone "${text}" has an extension; stored as written` };
  if (/\s/.test(text)) return { zh: `电话“${text}”含空格，已原样保存`, en: `Phone "${text}" has spaces; stored as written` };
  if (/[^0-9+\-()]/.test(text))
    return { zh: `电话“${text}”含非数字字符，已原样保存`, en: `Phone "${text}" has characters other than digits; stored as written` };
  const digits = text.replace(/\D/g, '').replace(/^86(?=1\d{10}$)/, '');
  // A mobile (11 digits from 1), a landline with its area code (0 + 10 or 11), a local landline (7 or 8), a service number (5).
  const fits = /^1[3-9]\d{9}$/.test(digits) || /^0\d{9,11}$/.test(digits) || /^[2-9]\d{6,7}$/.test(digits) || /^\d{5}$/.test(digits);
  if (!fits)
    return {
      zh: `电话“${text}”位数不对（${digits.length} 位），已原样保存`,
      en: `Phone "${text}" has ${digits.length} digits, which no number has; stored as written`,
    };
  return undefined;
}
