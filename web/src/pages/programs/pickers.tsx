import { Select, Tag, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { SearchSelect, useSearch, type PickerProps } from '../../components/SearchSelect.tsx';
import { useI18n } from '../../i18n.tsx';
import { programsApi, type Batch, type Cadre, type Unit, type UnitType } from './api.ts';
import { unitTypeKey } from './common.tsx';

/** One batch of a program or all of them (undefined), as a report card narrows its figures. */
export function BatchFilter({
  batches,
  value,
  onChange,
  width,
  testId,
}: {
  batches: readonly Batch[];
  value: number | undefined;
  onChange: (batchId: number | undefined) => void;
  width: number;
  testId?: string;
}) {
  const { t } = useI18n();
  return (
    <Select<number | 'all'>
      value={value ?? 'all'}
      onChange={(v) => onChange(v === 'all' ? undefined : v)}
      options={[
        { value: 'all', label: t('prog.roster.allBatches') },
        ...batches.map((b) => ({ value: b.id, label: t('prog.batch.name', { n: b.number }) })),
      ]}
      style={{ width }}
      data-testid={testId}
    />
  );
}

/** A cadre by name (GET /cadres?q=), with their unit; the value is the cadre's id. */
export function CadreSelect({
  onChange,
  exclude,
  onPicked,
  seed = [],
  ...field
}: PickerProps<number> & { exclude?: number; onPicked?: (cadre: Cadre) => void; seed?: readonly Cadre[] }) {
  const { t } = useI18n();
  const [known] = useState(() => new Map<number, Cadre>());
  const s = useSearch<Cadre>((q, signal) => programsApi.cadres({ q: q || undefined, limit: 30 }, signal).then((p) => p.items), []);
  for (const c of [...seed, ...s.options]) known.set(c.id, c);
  return (
    <SearchSelect<number>
      {...field}
      search={s}
      emptyText={t('prog.none')}
      onChange={(v) => {
        onChange?.(v);
        const cadre = v === undefined ? undefined : known.get(v);
        if (cadre) onPicked?.(cadre);
      }}
      labelOf={(v) => known.get(Number(v))?.name ?? String(v)}
      options={s.options
        .filter((c) => c.id !== exclude)
        .map((c) => ({
          value: c.id,
          label: (
            <div data-testid="cadre-option" data-name={c.name}>
              <Typography.Text strong>{c.name}</Typography.Text>
              {c.position && <Typography.Text type="secondary"> · {c.position}</Typography.Text>}
              <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>
                {c.unitName} · {t(unitTypeKey(c.unitType))}
              </Typography.Text>
            </div>
          ),
        }))}
      popupWidth={340}
    />
  );
}

/** An origin unit by name (GET /units?q=); the value is the unit's id. */
export function UnitSelect({
  types,
  extraUnits = [],
  ...field
}: PickerProps<number> & { types?: readonly UnitType[]; extraUnits?: readonly Unit[] }) {
  const { t } = useI18n();
  const s = useSearch<Unit>((q, signal) => programsApi.units({ q: q || undefined, limit: 30 }, signal).then((p) => p.items), []);
  const all = useMemo(() => {
    const byId = new Map<number, Unit>();
    for (const u of [...extraUnits, ...s.options]) byId.set(u.id, u);
    return [...byId.values()].filter((u) => !types || types.includes(u.type));
  }, [s.options, extraUnits, types]);
  const [known] = useState(() => new Map<number, Unit>());
  for (const u of all) known.set(u.id, u);
  return (
    <SearchSelect<number>
      {...field}
      search={s}
      emptyText={t('prog.none')}
      labelOf={(v) => known.get(Number(v))?.name ?? String(v)}
      options={all.map((u) => ({
        value: u.id,
        label: (
          <div data-testid="unit-option" data-name={u.name}>
            <Typography.Text>{u.name}</Typography.Text>
            <Typography.Text type="secondary" ellipsis style={{ fontSize: 12, display: 'block' }}>
              {[t(unitTypeKey(u.type)), u.parentUnitName, u.districtName ?? t('prog.unit.municipal')].filter(Boolean).join(' · ')}
            </Typography.Text>
          </div>
        ),
      }))}
      popupWidth={360}
    />
  );
}

export function UnitTypeTag({ type }: { type: UnitType }) {
  const { t } = useI18n();
  const color =
    type === 'party_government_agency'
      ? 'red'
      : type === 'street_office'
        ? 'orange'
        : ['resident_unit', 'new_economic_org', 'new_social_org'].includes(type)
          ? 'green'
          : 'default';
  return (
    <Tag color={color} style={{ marginInlineEnd: 0 }} data-testid="unit-type">
      {t(unitTypeKey(type))}
    </Tag>
  );
}
