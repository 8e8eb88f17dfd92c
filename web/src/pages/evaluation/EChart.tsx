// A small typed React wrapper around Apache ECharts. Only the chart types and components the
// evaluation pages use are registered (tree-shaken through echarts/core).
import { BarChart, LineChart, TreemapChart, type BarSeriesOption, type LineSeriesOption, type TreemapSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  type GridComponentOption,
  type LegendComponentOption,
  type TooltipComponentOption,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';
import { useEffect, useRef, type CSSProperties } from 'react';

// Mark lines and points: the leader's dashboard marks batch starts and successions on its trend.
echarts.use([
  BarChart,
  LineChart,
  TreemapChart,
  GridComponent,
  LegendComponent,
  MarkLineComponent,
  MarkPointComponent,
  TooltipComponent,
  CanvasRenderer,
]);

export type ChartOption = echarts.ComposeOption<
  BarSeriesOption | LineSeriesOption | TreemapSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption
>;

/** What ECharts hands a click handler; `data` is the clicked item as given in the option. */
export interface ChartClick {
  componentType: string;
  seriesType?: string;
  name: string;
  dataIndex: number;
  data: unknown;
}

interface Props {
  option: ChartOption;
  height?: number;
  /** A text alternative for screen readers: the canvas itself says nothing. */
  ariaLabel: string;
  onClick?: (params: ChartClick) => void;
  style?: CSSProperties;
  'data-testid'?: string;
}

/**
 * One chart: created on mount, disposed on unmount, resized with its container (not only with
 * the window: a sider collapsing or a column reflowing changes the width too). A new `option`
 * replaces the old one whole, so series removed from it disappear.
 */
export function EChart({ option, height = 320, ariaLabel, onClick, style, 'data-testid': testId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const click = useRef(onClick);
  click.current = onClick;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const instance = echarts.init(el, undefined, { renderer: 'canvas' });
    chart.current = instance;
    instance.on('click', (params) => click.current?.(params as unknown as ChartClick));
    const observer = new ResizeObserver(() => instance.resize());
    observer.observe(el);
    return () => {
      observer.disconnect();
      instance.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption(option, { notMerge: true });
  }, [option]);

  return <div ref={box} role="img" aria-label={ariaLabel} data-testid={testId} style={{ width: '100%', height, ...style }} />;
}
