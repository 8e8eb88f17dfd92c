import type { AppealChannel, AppealKind, AppealStatus, Satisfaction, UnitType, Urgency } from '../../../db/tables.ts';
import { inScope, type Viewer } from '../../accounts/viewer.ts';
import { categoryLineage, dueTimes, pickRule, type DeadlineRule } from '../deadlines.ts';
import type { AppealState } from '../lifecycle.ts';
import type { CategoryResolver } from './categories.ts';
import type { Cell, RawRow } from './files.ts';
import { importFields, type ColumnIndex, type ImportField } from './mapping.ts';
import { isProblem, type Gazetteer } from './places.ts';
import {
  bad,
  MAX_PHONE_LENGTH,
  parseChannel,
  phoneIssue,
  parseKind,
  parseSatisfaction,
  parseTime,
  parseUrgency,
  parseYesNo,
  unitTypeOf,
} from './values.ts';

/** How far the hotline has handled an appeal, as its state holds it (the unit comes as two columns here). */
type StagedOutcome = Pick<
  AppealState,
  | 'status'
  | 'dispatchedAt'
  | 'responseDueAt'
  | 'handlingDueAt'
  | 'respondedAt'
  | 'handledAt'
  | 'contacted'
  | 'solved'
  | 'satisfaction'
  | 'lastCallbackAt'
  | 'closedAt'
>;

/** One row ready for the staging table: the appeal as the export describes it, outcome included. */
export interface StagedAppeal extends StagedOutcome {
  rowNo: number;
  ticketNo: string;
  channel: AppealChannel;
  receivedAt: Date;
  kind: AppealKind;
  categoryCode: string;
  description: string;
  address: string | null;
  communityCode: string | null;
  streetCode: string | null;
  districtCode: string;
  reporterName: string | null;
  reporterPhone: string | null;
  urgency: Urgency;
  historical: boolean;
  dispatchedUnit: string | null;
  dispatchedUnitType: UnitType | null;
  /** When the snapshot happened: the latest time it names. */
  eventAt: Date;
  /** Empty as RowReader.read leaves it; readChunks fills it in, a batch of rows at a time. */
  searchWords: string[];
  unmatchedReason: string | null;
  givenStreet: string | null;
  givenCommunity: string | null;
}

export interface RowProblem {
  rowNo: number;
  column: string | null;
  value: string | null;
  ticketNo: string | null;
  severity: 'error' | 'warning';
  zh: string;
  en: string;
}

export interface RowReaderOptions {
  columns: ColumnIndex;
  header: readonly string[];
  gazetteer: Gazetteer;
  categories: CategoryResolver;
  deadlineRules: readonly DeadlineRule[];
  viewer: Viewer;
  defaultDistrict: string | undefined;
  now: Date;
}

export type RowRead =
  | { appeal: StagedAppeal; searchText: readonly [string, string]; problems: RowProblem[] }
  | { appeal?: undefined; searchText?: undefined; problems: RowProblem[] };

/** The longest texts stored; longer ones are cut with a warning. */
export const MAX_DESCRIPTION = 4000;
const MAX_ADDRESS = 500;
const MAX_NAME = 50;
const MAX_UNIT = 100;

/** Appeals older than this are typing errors (or 1900 from an empty spreadsheet date). */
const EARLIEST = Date.UTC(1990, 0, 1);
/** A received time a little in the future is clock skew; more is a mistake. */
const FUTURE_SLACK_MS = 24 * 3_600_000;

/** A cell as the report and the text parsers see it. */
function textOf(cell: Cell): string {
  return typeof cell === 'string' ? cell : cell instanceof Date ? cell.toISOString() : String(cell);
}

/**
 * Reads export rows into staged appeals and problems. A million-row import calls `read` a million
 * times, so it allocates little per row: no closures, messages built only for the rows that
 * have a problem, and the deadline rule looked up once per category and urgency.
 */
export class RowReader {
  /** Each field's column, or -1 when the file has none. */
  private readonly at: Record<ImportField, number>;
  private readonly rules = new Map<string, DeadlineRule>();
  private readonly latest: number;
  // The row being read; `read` is never re-entered.
  private cells: readonly Cell[] = [];
  private rowNo = 0;
  private ticketNo = '';
  private problems: RowProblem[] = [];
  private failed = false;

  constructor(private readonly o: RowReaderOptions) {
    this.at = Object.fromEntries(importFields.map((field) => [field, o.columns[field] ?? -1])) as Record<ImportField, number>;
    this.latest = o.now.getTime() + FUTURE_SLACK_MS;
  }

  /** The header's name for a field's column, as the report names it. */
  private columnName(field: ImportField): string {
    const at = this.o.columns[field];
    return at === undefined ? field : (this.o.header[at] ?? field);
  }

  private cell(at: number): Cell {
    return at < 0 ? '' : (this.cells[at] ?? '');
  }

  private text(at: number): string {
    return at < 0 ? '' : textOf(this.cells[at] ?? '');
  }

  private problem(field: ImportField | null, severity: 'error' | 'warning', zh: string, en: string): void {
    if (severity === 'error') this.failed = true;
    this.problems.push({
      rowNo: this.rowNo,
      column: field ? this.columnName(field) : null,
      value: field ? this.text(this.at[field]).slice(0, 200) || null : null,
      ticketNo: this.ticketNo || null,
      severity,
      zh,
      en,
    });
  }

  /** A text longer than its column takes is cut, and the report says so. */
  private cut(field: ImportField, text: string, max: number, zh: string, en: string): void {
    if (text.length > max)
      this.problem(
        field,
        'warning',
        `${zh}有 ${text.length} 字，超过 ${max} 字上限，已截断`,
        `${en} has ${text.length} characters, over the limit of ${max}; cut`,
      );
  }

  /** A yes/no cell: null when empty, or unreadable (reported). */
  private yesNo(field: 'historical' | 'contacted' | 'solved'): boolean | null {
    const text = this.text(this.at[field]);
    const value = parseYesNo(text);
    if (value === bad) {
      this.problem(field, 'error', `应为是或否：“${text}”`, `Expected 是 or 否: "${text}"`);
      return null;
    }
    return value ?? null;
  }

  /** A time cell: null when empty, unreadable or out of range (both reported). */
  private time(field: ImportField): Date | null {
    const cell = this.cell(this.at[field]);
    const at = parseTime(cell);
    if (at === bad) {
      const text = textOf(cell);
      this.problem(field, 'error', `无法识别的时间“${text}”`, `Unreadable time "${text}"`);
      return null;
    }
    if (at === undefined) return null;
    const ms = at.getTime();
    if (ms < EARLIEST || ms > this.latest) {
      const text = textOf(cell);
      this.problem(field, 'error', `时间 ${text} 不合理（早于 1990 年或在将来）`, `Time ${text} is before 1990 or in the future`);
      return null;
    }
    return at;
  }

  /** The deadline rule of a category and urgency: the same few pairs come back on every row. */
  private ruleFor(categoryCode: string, urgency: Urgency): DeadlineRule {
    const key = `${urgency}:${categoryCode}`;
    let rule = this.rules.get(key);
    if (!rule) {
      const lineage = categoryLineage(categoryCode);
      rule = pickRule(
        this.o.deadlineRules.filter((r) => r.categoryCode === null || lineage.includes(r.categoryCode)),
        categoryCode,
        urgency,
      );
      this.rules.set(key, rule);
    }
    return rule;
  }

  /**
   * The appeal a row describes, and its problems. The appeal's `searchWords` are left empty:
   * jieba cuts many rows at a time faster than one by one, so the caller fills them in with
   * `searchWordsOfMany` from `searchText`, the description and address in full.
   */
  read(raw: RawRow): RowRead {
    const at = this.at;
    this.cells = raw.cells;
    this.rowNo = raw.rowNo;
    this.problems = [];
    this.failed = false;
    const ticketNo = this.text(at.ticketNo);
    this.ticketNo = ticketNo;

    if (ticketNo === '') this.problem('ticketNo', 'error', '缺少工单编号', 'Missing ticket number');
    else if (ticketNo.length > 64) this.problem('ticketNo', 'error', '工单编号超过 64 个字符', 'Ticket number longer than 64 characters');
    else if (/^MA-/i.test(ticketNo))
      this.problem(
        'ticketNo',
        'error',
        'MA- 开头的编号由本系统生成，不能导入',
        'Numbers starting with MA- are generated here and cannot be imported',
      );
    const receivedAt = this.time('receivedAt');
    if (this.text(at.receivedAt) === '') this.problem('receivedAt', 'error', '缺少受理时间', 'Missing received time');
    const description = this.text(at.description);
    if (description === '') this.problem('description', 'error', '缺少诉求内容', 'Missing description');

    const kindText = this.text(at.kind);
    const kindValue = parseKind(kindText);
    if (kindValue === bad) {
      this.problem(
        'kind',
        'error',
        `无法识别的诉求类型“${kindText}”（应为投诉、求助、咨询、建议、举报、表扬）`,
        `Unknown kind "${kindText}" (expected 投诉, 求助, 咨询, 建议, 举报 or 表扬)`,
      );
    }
    const kind: AppealKind = kindValue === bad || kindValue === undefined ? 'complaint' : kindValue;
    const urgencyText = this.text(at.urgency);
    const urgencyValue = parseUrgency(urgencyText);
    if (urgencyValue === bad) this.problem('urgency', 'error', `无法识别的紧急程度“${urgencyText}”`, `Unknown urgency "${urgencyText}"`);
    const urgency: Urgency = urgencyValue === bad || urgencyValue === undefined ? 'normal' : urgencyValue;
    const historical = this.yesNo('historical') ?? false;
    const contacted = this.yesNo('contacted');
    const solved = this.yesNo('solved');
    const satisfactionText = this.text(at.satisfaction);
    const satisfactionValue = parseSatisfaction(satisfactionText);
    if (satisfactionValue === bad) {
      this.problem(
        'satisfaction',
        'error',
        `无法识别的满意度“${satisfactionText}”（应为满意、基本满意、不满意）`,
        `Unknown satisfaction "${satisfactionText}" (expected 满意, 基本满意 or 不满意)`,
      );
    }
    const satisfaction: Satisfaction | null = satisfactionValue === bad || satisfactionValue === undefined ? null : satisfactionValue;
    const dispatchedAtGiven = this.time('dispatchedAt');
    const respondedAt = this.time('respondedAt');
    const handledAt = this.time('handledAt');
    const callbackAtGiven = this.time('callbackAt');
    const closedAt = this.time('closedAt');

    const categoryText = this.text(at.category);
    const category = this.o.categories.resolve(categoryText);
    if (!category.recognized && categoryText !== '') {
      this.problem(
        'category',
        'warning',
        `未识别的问题分类“${categoryText}”，已记为“其他”`,
        `Unknown category "${categoryText}", recorded as other`,
      );
    }

    const street = this.text(at.street);
    const community = this.text(at.community);
    const address = this.text(at.address);
    const place = this.o.gazetteer.match(
      { district: this.text(at.district), street, community, communityCode: this.text(at.communityCode), address },
      this.o.defaultDistrict,
    );
    if (isProblem(place)) {
      this.problem(place.column, 'error', place.zh, place.en);
    } else if (!inScope(this.o.viewer, place.communityCode ?? place.streetCode ?? place.districtCode)) {
      const where = place.communityCode ?? place.streetCode ?? place.districtCode;
      this.problem(
        place.communityCode ? 'community' : 'district',
        'error',
        `${where} 不在您的管辖范围 ${this.o.viewer.scopeCode} 内`,
        `${where} is outside your scope ${this.o.viewer.scopeCode}`,
      );
    }

    const problems = this.problems;
    if (this.failed || !receivedAt || isProblem(place)) return { problems };

    const unit = this.text(at.dispatchedUnit);
    const dispatchedAt = dispatchedAtGiven ?? (unit !== '' ? receivedAt : null);
    // An answer without its time still happened: it counts in the month the case closed (or was handled, or received).
    const answered = contacted !== null || solved !== null || satisfaction !== null;
    const lastCallbackAt = callbackAtGiven ?? (answered ? (closedAt ?? handledAt ?? receivedAt) : null);
    const status: AppealStatus = closedAt
      ? 'closed'
      : lastCallbackAt
        ? 'called_back'
        : handledAt
          ? 'handled'
          : respondedAt
            ? 'responded'
            : dispatchedAt
              ? 'dispatched'
              : 'received';
    const due = dispatchedAt ? dueTimes(dispatchedAt, this.ruleFor(category.code, urgency)) : null;
    // When the snapshot happened: the latest of its times.
    let eventMs = receivedAt.getTime();
    for (const t of [dispatchedAt, respondedAt, handledAt, lastCallbackAt, closedAt])
      if (t !== null && t.getTime() > eventMs) eventMs = t.getTime();
    const reporterName = this.text(at.reporterName);
    const phone = this.text(at.reporterPhone);
    const phoneProblem = phoneIssue(phone);
    if (phoneProblem) this.problem('reporterPhone', 'warning', phoneProblem.zh, phoneProblem.en);
    if (phone.length > MAX_PHONE_LENGTH)
      this.problem(
        'reporterPhone',
        'warning',
        `电话超过 ${MAX_PHONE_LENGTH} 个字符，已截断`,
        `Phone longer than ${MAX_PHONE_LENGTH} characters; cut`,
      );
    this.cut('description', description, MAX_DESCRIPTION, '诉求内容', 'Description');
    this.cut('address', address, MAX_ADDRESS, '地址', 'Address');
    this.cut('reporterName', reporterName, MAX_NAME, '来电人', 'Reporter name');
    this.cut('dispatchedUnit', unit, MAX_UNIT, '派单单位', 'Dispatched unit');
    return {
      problems,
      searchText: [description, address],
      appeal: {
        rowNo: raw.rowNo,
        ticketNo,
        channel: parseChannel(this.text(at.channel)),
        receivedAt,
        kind,
        categoryCode: category.code,
        description: description.slice(0, MAX_DESCRIPTION),
        address: address === '' ? null : address.slice(0, MAX_ADDRESS),
        communityCode: place.communityCode,
        streetCode: place.streetCode,
        districtCode: place.districtCode,
        reporterName: reporterName.slice(0, MAX_NAME) || null,
        reporterPhone: phone === '' ? null : phone.slice(0, MAX_PHONE_LENGTH),
        urgency,
        historical,
        status,
        dispatchedUnit: unit === '' ? (dispatchedAt ? '未注明单位' : null) : unit.slice(0, MAX_UNIT),
        dispatchedUnitType: unit === '' ? (dispatchedAt ? 'department' : null) : unitTypeOf(unit),
        dispatchedAt,
        responseDueAt: due?.responseDueAt ?? null,
        handlingDueAt: due?.handlingDueAt ?? null,
        respondedAt,
        handledAt,
        // A callback that recorded an answer reached the resident, whether or not the export says so.
        contacted: contacted ?? (solved !== null || satisfaction !== null ? true : null),
        solved,
        satisfaction,
        lastCallbackAt,
        closedAt,
        eventAt: new Date(eventMs),
        searchWords: [],
        unmatchedReason: place.unmatchedReason,
        givenStreet: street || null,
        givenCommunity: community || null,
      },
    };
  }
}
