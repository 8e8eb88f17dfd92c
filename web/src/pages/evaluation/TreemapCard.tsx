import { Alert, Breadcrumb, Card, Empty, Spin, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useI18n } from '../../i18n.tsx';
import { useErrorText } from '../../useErrorText.ts';
import { evaluationApi, type PlaceFigures } from './api.ts';
import { useRemote } from './data.ts';
import { EChart, type ChartOption } from './EChart.tsx';
import { communityPath } from './KeyCommunitiesCard.tsx';
import { levelOfCode, levelBelow, nextLevel, type RankLevel } from './levels.ts';
import { formatNumber, formatRate } from './numbers.ts';

interface Node {
  name: string;
  value: number;
  code: string;
  level: RankLevel;
  resolutionRate: number | null;
  children?: Node[];
}

const toNode = (p: PlaceFigures, level: RankLevel): Node => ({
  name: p.name,
  value: p.volume,
  code: p.code,
  level,
  resolutionRate: p.resolutionRate,
});

interface Crumb {
  code: string;
  name: string;
}

/**
 * Volume as nested rectangles, two levels at a time below a root inside the picked division
 * (district ► street, street ► community); a click on a district or street makes it the root, a
 * click on a community opens its page. Each level is fetched when it is shown.
 */
export function TreemapCard({ within, areaName, month }: { within: string; areaName: string; month: string }) {
  const { t, lang } = useI18n();
  const errorText = useErrorText();
  const navigate = useNavigate();
  const [trail, setTrail] = useState<Crumb[]>([{ code: within, name: areaName }]);
  const root = trail[trail.length - 1]!;
  const outer = levelBelow(root.code);
  const inner = levelOfCode(root.code) === 'street' || levelOfCode(root.code) === 'community' ? null : nextLevel(outer);

  const figures = useRemote(`${root.code}|${month}`, async (signal) => {
    const [first, second] = await Promise.all([
      evaluationApi.figures({ level: outer, month, within: root.code }, signal),
      inner ? evaluationApi.figures({ level: inner, month, within: root.code }, signal) : Promise.resolve([]),
    ]);
    return { first, second };
  });

  const nodes = useMemo<Node[]>(() => {
    if (figures.kind !== 'ready') return [];
    const { first, second } = figures.data;
    return first
      .filter((p) => p.volume > 0)
      .map((p) => {
        const node = toNode(p, outer);
        if (inner) {
          node.children = second
            .filter((c) => c.volume > 0 && c.code.startsWith(p.code))
            .map((c) => toNode(c, inner))
            .sort((a, b) => b.value - a.value);
        }
        return node;
      })
      .sort((a, b) => b.value - a.value);
  }, [figures, outer, inner]);

  const option = useMemo<ChartOption>(() => {
    const total = nodes.reduce((sum, n) => sum + n.value, 0);
    return {
      tooltip: {
        formatter: (raw: unknown) => {
          const p = raw as { data?: Node; treePathInfo?: Array<{ name: string; value: number }> };
          const node = p.data;
          if (!node?.code) return '';
          const parent = p.treePathInfo?.[p.treePathInfo.length - 2];
          const share = parent && parent.value > 0 ? node.value / parent.value : total > 0 ? node.value / total : null;
          return [
            `<b>${node.name}</b>`,
            `${t('eval.metric.volume')}&nbsp;&nbsp;<b>${formatNumber(node.value, lang)}</b>`,
            `${t('eval.treemap.share')}&nbsp;&nbsp;<b>${formatRate(share, lang)}</b>`,
            `${t('eval.metric.resolutionRate')}&nbsp;&nbsp;<b>${formatRate(node.resolutionRate, lang)}</b>`,
          ].join('<br/>');
        },
      },
      series: [
        {
          type: 'treemap',
          name: root.name,
          data: nodes,
          roam: false,
          nodeClick: false,
          breadcrumb: { show: false },
          width: '100%',
          height: '100%',
          top: 0,
          left: 0,
          label: {
            show: true,
            formatter: (p: { name: string; value: unknown }) => `${p.name}\n${formatNumber(Number(p.value), lang)}`,
            fontSize: 12,
            overflow: 'truncate',
          },
          upperLabel: {
            show: true,
            height: 20,
            color: '#fff',
            fontWeight: 'bold',
            formatter: (p: { name: string; value: unknown }) => `${p.name}  ${formatNumber(Number(p.value), lang)}`,
          },
          levels: [
            { itemStyle: { borderWidth: 0, gapWidth: 3 }, upperLabel: { show: false } },
            // The outer ring's border takes a darker shade of its colour, and carries its name in white.
            { itemStyle: { borderWidth: 3, gapWidth: 1, borderColorSaturation: 0.75 } },
            // The inner ring's names live in the tooltip: a few hundred labels only clutter.
            {
              colorSaturation: [0.35, 0.6],
              itemStyle: { borderColorSaturation: 0.7, gapWidth: 1, borderWidth: 1 },
              label: { show: false },
            },
          ],
        },
      ],
    };
  }, [nodes, root.name, t, lang]);

  return (
    <Card title={t('eval.treemap.title')} data-testid="treemap-card" style={{ height: '100%' }}>
      <Breadcrumb
        style={{ marginBottom: 8 }}
        items={trail.map((c, i) => ({
          key: c.code,
          title:
            i === trail.length - 1 ? c.name : <Typography.Link onClick={() => setTrail(trail.slice(0, i + 1))}>{c.name}</Typography.Link>,
        }))}
      />
      {figures.kind === 'error' ? (
        <Alert type="error" showIcon title={errorText(figures.error)} />
      ) : figures.kind === 'loading' ? (
        <Spin style={{ display: 'block', margin: '96px auto' }} />
      ) : nodes.length === 0 ? (
        <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('eval.empty.month')} style={{ height: 320 }} />
      ) : (
        <>
          <EChart
            option={option}
            height={420}
            ariaLabel={t('eval.treemap.title')}
            data-testid="treemap-chart"
            onClick={(p) => {
              const node = p.data as Node | undefined;
              if (!node?.code) return;
              if (node.level === 'community') navigate(communityPath(node.code, month));
              else setTrail([...trail, { code: node.code, name: node.name }]);
            }}
          />
          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
            {t('eval.treemap.hint')}
          </Typography.Text>
        </>
      )}
    </Card>
  );
}
