import type { AppealChannel, AppealKind, AppealStatus, Satisfaction, UnitType, Urgency } from '../../../db/tables.ts';
import { inScope, type Viewer } from '../../accounts/viewer.ts';
import { categoryLineage, dueTimes, pickRule, type DeadlineRule } from '../deadlines.ts';
import { searchWords } from '../search.ts';
import type { CategoryResolver } from './categories.ts';
import type { Cell, RawRow } from './files.ts';
import type { ColumnIndex, ImportField } from './mapping.ts';
import { isProblem, type Gazetteer } from './places.ts';
import {
  bad,
  cleanPhone,
  parseChannel,
  parseKind,
  parseSatisfaction,
  parseTime,
  parseUrgency,
  parseYesNo,
  unitTypeOf,
  type Parsed,
} from './values.ts';

/** One row ready for the staging table: the appeal as the export describes it, outcome included. */
export interface StagedAppeal {
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
  status: AppealStatus;
  dispatchedUnit: string | null;
  dispatchedUnitType: UnitType | null;
  dispatchedAt: Date | null;
  responseDueAt: Date | null;
  handlingDueAt: Date | null;
  respondedAt: Date | null;
  handledAt: Date | null;
  contacted: boolean | null;
  solved: boolean | null;
  satisfaction: Satisfaction | null;
  lastCallbackAt: Date | null;
  closedAt: Date | null;
  /** When the snapshot happened: the latest time it names. */
  eventAt: Date;
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

/** Appeals older than this are typing errors (or 1900 from an empty spreadsheet date). */
const EARLIEST = Date.UTC(1990, 0, 1);
/** A received time a little in the future is clock skew; more is a mistake. */
const FUTURE_SLACK_MS = 24 * 3_600_000;

export class RowReader {
  constructor(private readonly o: RowReaderOptions) {}

  /** The header's name for a field's column, as the report names it. */
  private columnName(field: ImportField): string {
    const at = this.o.columns[field];
    return at === undefined ? field : (this.o.header[at] ?? field);
  }

  read(raw: RawRow): { appeal?: StagedAppeal; problems: RowProblem[] } {
    const problems: RowProblem[] = [];
    const cellOf = (field: ImportField): Cell => {
      const at = this.o.columns[field];
      return at === undefined ? '' : (raw.cells[at] ?? '');
    };
    const text = (field: ImportField): string => {
      const cell = cellOf(field);
      return typeof cell === 'string' ? cell : cell instanceof Date ? cell.toISOString() : String(cell);
    };
    const ticketNo = text('ticketNo');
    const problem = (field: ImportField | null, severity: 'error' | 'warning', zh: string, en: string) =>
      problems.push({
        rowNo: raw.rowNo,
        column: field ? this.columnName(field) : null,
        value: field ? text(field).slice(0, 200) || null : null,
        ticketNo: ticketNo || null,
        severity,
        zh,
        en,
      });
    const parsed = <T>(field: ImportField, value: Parsed<T>, zh: string, en: string): T | null => {
      if (value === bad) {
        problem(field, 'error', zh, en);
        return null;
      }
      return value ?? null;
    };
    const time = (field: ImportField): Date | null => {
      const cell = cellOf(field);
      const at = parsed(field, parseTime(cell), `无法识别的时间“${text(field)}”`, `Unreadable time "${text(field)}"`);
      if (at && (at.getTime() < EARLIEST || at.getTime() > this.o.now.getTime() + FUTURE_SLACK_MS)) {
        problem(field, 'error', `时间 ${text(field)} 不合理（早于 1990 年或在将来）`, `Time ${text(field)} is before 1990 or in the future`);
        return null;
      }
      return at;
    };

    if (ticketNo === '') problem('ticketNo', 'error', '缺少工单编号', 'Missing ticket number');
    else if (ticketNo.length > 64) problem('ticketNo', 'error', '工单编号超过 64 个字符', 'Ticket number longer than 64 characters');
    else if (/^MA-/i.test(ticketNo)) problem('ticketNo', 'error', 'MA- 开头的编号由本系统生成，不能导入', 'Numbers starting with MA- are generated here and cannot be imported');
    const receivedAt = time('receivedAt');
    if (text('receivedAt') === '') problem('receivedAt', 'error', '缺少受理时间', 'Missing received time');
    const description = text('description');
    if (description === '') problem('description', 'error', '缺少诉求内容', 'Missing description');
    const kind = parsed('kind', parseKind(text('kind')), `无法识别的诉求类型“${text('kind')}”（应为投诉、求助、咨询、建议、举报、表扬）`, `Unknown kind "${text('kind')}" (expected 投诉, 求助, 咨询, 建议, 举报 or 表扬)`) ?? 'complaint';
    const urgency = parsed('urgency', parseUrgency(text('urgency')), `无法识别的紧急程度“${text('urgency')}”`, `Unknown urgency "${text('urgency')}"`) ?? 'normal';
    const historical = parsed('historical', parseYesNo(text('historical')), `应为是或否：“${text('historical')}”`, `Expected 是 or 否: "${text('historical')}"`) ?? false;
    const contacted = parsed('contacted', parseYesNo(text('contacted')), `应为是或否：“${text('contacted')}”`, `Expected 是 or 否: "${text('contacted')}"`);
    const solved = parsed('solved', parseYesNo(text('solved')), `应为是或否：“${text('solved')}”`, `Expected 是 or 否: "${text('solved')}"`);
    const satisfaction = parsed('satisfaction', parseSatisfaction(text('satisfaction')), `无法识别的满意度“${text('satisfaction')}”（应为满意、基本满意、不满意）`, `Unknown satisfaction "${text('satisfaction')}" (expected 满意, 基本满意 or 不满意)`);
    const dispatchedAtGiven = time('dispatchedAt');
    const respondedAt = time('respondedAt');
    const handledAt = time('handledAt');
    const callbackAtGiven = time('callbackAt');
    const closedAt = time('closedAt');

    const category = this.o.categories.resolve(text('category'));
    if (!category.recognized && text('category') !== '') {
      problem('category', 'warning', `未识别的问题分类“${text('category')}”，已记为“其他”`, `Unknown category "${text('category')}", recorded as other`);
    }

    const place = this.o.gazetteer.match(
      { district: text('district'), street: text('street'), community: text('community'), communityCode: text('communityCode'), address: text('address') },
      this.o.defaultDistrict,
    );
    if (isProblem(place)) {
      problem(place.column, 'error', place.zh, place.en);
    } else if (!inScope(this.o.viewer, place.communityCode ?? place.streetCode ?? place.districtCode)) {
      const where = place.communityCode ?? place.streetCode ?? place.districtCode;
      problem(place.communityCode ? 'community' : 'district', 'error', `${where} 不在您的管辖范围 ${this.o.viewer.scopeCode} 内`, `${where} is outside your scope ${this.o.viewer.scopeCode}`);
    }

    if (problems.some((p) => p.severity === 'error') || !receivedAt || isProblem(place)) return { problems };

    const unit = text('dispatchedUnit');
    const dispatchedAt = dispatchedAtGiven ?? (unit !== '' ? receivedAt : null);
    // An answer without its time still happened: it counts in the month the case closed (or was handled, or received).
    const answered = contacted !== null || solved !== null || satisfaction !== null;
    const lastCallbackAt = callbackAtGiven ?? (answered ? (closedAt ?? handledAt ?? receivedAt) : null);
    const status: AppealStatus = closedAt ? 'closed' : lastCallbackAt ? 'called_back' : handledAt ? 'handled' : respondedAt ? 'responded' : dispatchedAt ? 'dispatched' : 'received';
    const due = dispatchedAt
      ? dueTimes(dispatchedAt, pickRule(this.o.deadlineRules.filter((r) => r.categoryCode === null || categoryLineage(category.code).includes(r.categoryCode)), category.code, urgency))
      : null;
    const times = [receivedAt, dispatchedAt, respondedAt, handledAt, lastCallbackAt, closedAt].filter((t): t is Date => t !== null);
    const address = text('address');
    return {
      problems,
      appeal: {
        rowNo: raw.rowNo,
        ticketNo,
        channel: parseChannel(text('channel')),
        receivedAt,
        kind,
        categoryCode: category.code,
        description: description.slice(0, 4000),
        address: address === '' ? null : address.slice(0, 500),
        communityCode: place.communityCode,
        streetCode: place.streetCode,
        districtCode: place.districtCode,
        reporterName: text('reporterName').slice(0, 50) || null,
        reporterPhone: cleanPhone(text('reporterPhone')),
        urgency,
        historical,
        status,
        dispatchedUnit: unit === '' ? (dispatchedAt ? '未注明单位' : null) : unit.slice(0, 100),
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
        eventAt: new Date(Math.max(...times.map((t) => t.getTime()))),
        searchWords: searchWords(description, address),
        unmatchedReason: place.unmatchedReason,
        givenStreet: text('street') || null,
        givenCommunity: text('community') || null,
      },
    };
  }
}
