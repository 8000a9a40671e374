import { useEffect, useRef } from "preact/hooks";
import uPlot from "uplot";

/** One line of a chart. */
export interface Series {
  label: string;
  values: Array<number | null>;
  stroke: string;
  fill?: string;
  dash?: number[];
}

/**
 * A time chart drawn by uPlot: `times` in Unix seconds, one line per series, redrawn when the
 * data changes. `label` names it for screen readers, with the numbers in a hidden table.
 */
export function TimeChart(props: { label: string; times: number[]; series: Series[]; height?: number; testId?: string }) {
  const holder = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data: uPlot.AlignedData = [props.times, ...props.series.map((s) => s.values)];
  const shape = props.series.map((s) => s.label).join("|");

  useEffect(() => {
    const element = holder.current;
    if (element === null) return;
    const options: uPlot.Options = {
      width: Math.max(280, element.clientWidth),
      height: props.height ?? 180,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: true }, y: { range: (_u, min, max) => [0, Math.max(1, max, min)] } },
      axes: [{ stroke: "#3b4252" }, { stroke: "#3b4252" }],
      series: [{}, ...props.series.map((s) => ({ label: s.label, stroke: s.stroke, width: 2, points: { show: false }, ...(s.fill === undefined ? {} : { fill: s.fill }), ...(s.dash === undefined ? {} : { dash: s.dash }) }))],
    };
    plot.current = new uPlot(options, data, element);
    const resize = (): void => plot.current?.setSize({ width: Math.max(280, element.clientWidth), height: props.height ?? 180 });
    window.addEventListener("resize", resize);
    return () => {
      window.removeEventListener("resize", resize);
      plot.current?.destroy();
      plot.current = null;
    };
    // A new set of series rebuilds the chart; new values only redraw it (below).
  }, [shape]);

  useEffect(() => {
    plot.current?.setData(data);
  });

  return (
    <figure class="chart" data-testid={props.testId}>
      <div ref={holder} role="img" aria-label={props.label} />
      <figcaption class="visually-hidden">{props.label}</figcaption>
    </figure>
  );
}
