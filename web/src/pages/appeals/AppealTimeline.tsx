import {
  CheckCircleOutlined,
  CloseCircleOutlined,
  FileAddOutlined,
  ImportOutlined,
  PhoneOutlined,
  RedoOutlined,
  RollbackOutlined,
  SendOutlined,
  ToolOutlined,
  CustomerServiceOutlined,
} from '@ant-design/icons';
import { Timeline, Typography } from 'antd';
import type { ReactNode } from 'react';
import { formatBeijingTime } from '../../format.ts';
import { useI18n, type TFunction } from '../../i18n.tsx';
import {
  SATISFACTIONS,
  STATUSES,
  UNIT_TYPES,
  type AppealEvent,
  type AppealEventType,
  type AppealStatus,
  type Satisfaction,
  type UnitType,
} from './api.ts';
import { eventKey, satisfactionKey, statusKey, unitTypeKey } from './appealText.ts';

const ICONS: Record<AppealEventType, ReactNode> = {
  received: <FileAddOutlined />,
  imported: <ImportOutlined />,
  dispatch: <SendOutlined />,
  return: <RollbackOutlined />,
  respond: <PhoneOutlined />,
  handle: <ToolOutlined />,
  callback: <CustomerServiceOutlined />,
  close: <CheckCircleOutlined />,
  reopen: <RedoOutlined />,
};

const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v : null);
const isUnitType = (v: unknown): v is UnitType => (UNIT_TYPES as readonly unknown[]).includes(v);
const isSatisfaction = (v: unknown): v is Satisfaction => (SATISFACTIONS as readonly unknown[]).includes(v);
const isStatus = (v: unknown): v is AppealStatus => (STATUSES as readonly unknown[]).includes(v);

function unitOf(data: Record<string, unknown>): { name: string; type: UnitType | null } | null {
  const unit = data.unit ?? data.dispatchedUnit;
  if (typeof unit !== 'object' || unit === null) return null;
  const { name, type } = unit as Record<string, unknown>;
  return str(name) ? { name: name as string, type: isUnitType(type) ? type : null } : null;
}

/** An event's data in words: 派单至 六里桥街道办事处（街道办事处）, 退单原因：…, 回访：已联系，已解决，满意. */
export function eventLines(event: AppealEvent, t: TFunction, lastUnit: string | null = null): string[] {
  const d = event.data;
  const lines: string[] = [];
  const time = (v: unknown) => (str(v) ? formatBeijingTime(v as string) : '—');
  switch (event.type) {
    case 'received':
      lines.push(t('appeal.eventText.received'));
      break;
    case 'imported': {
      if (isStatus(d.status)) lines.push(t('appeal.eventText.imported', { status: t(statusKey(d.status)) }));
      const unit = unitOf(d);
      if (unit) lines.push(t('appeal.eventText.dispatch', { unit: unit.name, type: unit.type ? t(unitTypeKey(unit.type)) : '—' }));
      break;
    }
    case 'dispatch': {
      const unit = unitOf(d);
      lines.push(t('appeal.eventText.dispatch', { unit: unit?.name ?? '—', type: unit?.type ? t(unitTypeKey(unit.type)) : '—' }));
      if (str(d.responseDueAt) || str(d.handlingDueAt)) {
        lines.push(t('appeal.eventText.due', { response: time(d.responseDueAt), handling: time(d.handlingDueAt) }));
      }
      break;
    }
    case 'return':
      lines.push(t('appeal.eventText.return', { reason: str(d.reason) ?? '—' }));
      break;
    case 'respond':
      lines.push(t('appeal.eventText.respond'));
      break;
    case 'handle':
      lines.push(t('appeal.eventText.handle', { result: str(d.result) ?? '—' }));
      break;
    case 'callback':
      if (d.contacted === true) {
        lines.push(
          t('appeal.eventText.callbackReached', {
            solved: d.solved === true ? t('appeal.eventText.solved') : t('appeal.eventText.unsolved'),
            satisfaction: isSatisfaction(d.satisfaction) ? t(satisfactionKey(d.satisfaction)) : '—',
          }),
        );
      } else {
        lines.push(t('appeal.eventText.callbackMissed'));
      }
      break;
    case 'close':
      lines.push(t('appeal.eventText.close'));
      break;
    case 'reopen':
      if (d.to === 'dispatched') {
        lines.push(t('appeal.eventText.reopenDispatched', { unit: unitOf(d)?.name ?? lastUnit ?? '—', reason: str(d.reason) ?? '—' }));
        if (str(d.responseDueAt))
          lines.push(t('appeal.eventText.due', { response: time(d.responseDueAt), handling: time(d.handlingDueAt) }));
      } else {
        lines.push(t('appeal.eventText.reopenReceived', { reason: str(d.reason) ?? '—' }));
      }
      break;
  }
  const note = str(d.note);
  if (note) lines.push(t('appeal.eventText.note', { note }));
  return lines;
}

function colorOf(event: AppealEvent): string {
  switch (event.type) {
    case 'return':
    case 'reopen':
      return 'red';
    case 'callback':
      return event.data.contacted === true && event.data.solved === true ? 'green' : 'orange';
    case 'close':
      return 'green';
    case 'received':
    case 'imported':
      return 'gray';
    default:
      return 'blue';
  }
}

const LATE_RECORD_MS = 10 * 60_000;

/** The appeal's events, oldest first: what happened, who did it and when (Beijing time). */
export function AppealTimeline({ events }: { events: AppealEvent[] }) {
  const { t } = useI18n();
  // A reopen goes back to the unit of the latest dispatch, which its own data does not repeat.
  let lastUnit: string | null = null;
  return (
    <Timeline
      data-testid="appeal-timeline"
      items={events.map((event) => {
        const lines = eventLines(event, t, lastUnit);
        lastUnit = unitOf(event.data)?.name ?? lastUnit;
        // A step recorded well after it happened (an import, a callback typed in later) says so.
        const late = new Date(event.recordedAt).getTime() - new Date(event.at).getTime() > LATE_RECORD_MS;
        return {
          key: event.seq,
          color: colorOf(event),
          icon: event.type === 'callback' && event.data.contacted !== true ? <CloseCircleOutlined /> : ICONS[event.type],
          content: (
            <div data-testid="appeal-event" data-type={event.type} data-seq={event.seq}>
              <Typography.Text strong>{t(eventKey(event.type))}</Typography.Text>
              {lines.map((line, i) => (
                <div key={i} style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>
                  {line}
                </div>
              ))}
              <Typography.Text type="secondary" style={{ fontSize: 12, fontVariantNumeric: 'tabular-nums' }}>
                {t('appeal.eventText.by', { actor: event.actor, time: formatBeijingTime(event.at) })}
                {late && ` ${t('appeal.eventText.recordedLater', { time: formatBeijingTime(event.recordedAt) })}`}
              </Typography.Text>
            </div>
          ),
        };
      })}
    />
  );
}
