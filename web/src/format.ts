// All times are shown in Beijing time, whatever the browser's own zone is.
const toTheMinute: Intl.DateTimeFormatOptions = {
  timeZone: 'Asia/Shanghai',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  hourCycle: 'h23',
};
const beijing = new Intl.DateTimeFormat('en-CA', toTheMinute);
const beijingWithSeconds = new Intl.DateTimeFormat('en-CA', { ...toTheMinute, second: '2-digit' });

/** "2024-03-01 14:05" (or "14:05:09" with seconds) in Asia/Shanghai; the same digits in both languages. */
export function formatBeijingTime(iso: string, opts: { seconds?: boolean } = {}): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const parts: Record<string, string> = {};
  for (const p of (opts.seconds ? beijingWithSeconds : beijing).formatToParts(date)) parts[p.type] = p.value;
  const time = `${parts.hour}:${parts.minute}${opts.seconds ? `:${parts.second}` : ''}`;
  return `${parts.year}-${parts.month}-${parts.day} ${time}`;
}

const DAY_MS = 86_400_000;

/**
 * A Beijing calendar day ("2024-03-01") as the instants it starts and ends, for filters whose
 * dates the user picked in Beijing time, whatever the browser's own zone. China keeps no DST.
 */
export function beijingDayBounds(day: string): { start: string; end: string } {
  const start = new Date(`${day}T00:00:00+08:00`);
  return { start: start.toISOString(), end: new Date(start.getTime() + DAY_MS).toISOString() };
}

const numberFormats = {
  zh: new Intl.NumberFormat('zh-CN'),
  en: new Intl.NumberFormat('en-US'),
};

export function formatCount(n: number, lang: 'zh' | 'en'): string {
  return numberFormats[lang].format(n);
}
