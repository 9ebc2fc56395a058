/**
 * Small charts drawn as SVG: a line chart per period and a bar chart per hour. A few dozen elements each,
 * no library (the manager page stays small), and they print as sharply as the tables beside them.
 */
import type { Text } from '../../server/contract/api.ts';
import { Bi } from '../common/text.tsx';

const W = 640;
const H = 220;
const PAD = { left: 44, right: 12, top: 12, bottom: 36 };

/** A round upper bound for the y axis and its four steps: 0–1, 2, 5 × a power of ten. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * power >= max) return m * power;
  return 10 * power;
}

/** At most `max` labels along the x axis, evenly spaced, the last one always shown. */
function shownLabels(n: number, max = 12): Set<number> {
  const step = Math.max(1, Math.ceil(n / max));
  const shown = new Set<number>();
  for (let i = 0; i < n; i += step) shown.add(i);
  if (n > 0) shown.add(n - 1);
  return shown;
}

function Axes({
  top,
  labels,
  x,
  unit,
}: {
  top: number;
  labels: string[];
  x: (i: number) => number;
  unit: string;
}) {
  const innerH = H - PAD.top - PAD.bottom;
  const shown = shownLabels(labels.length);
  return (
    <g class="axes">
      {[0, 0.25, 0.5, 0.75, 1].map((f) => {
        const y = PAD.top + innerH * (1 - f);
        return (
          <g key={f}>
            <line x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} class="grid" />
            <text x={PAD.left - 6} y={y + 4} text-anchor="end">
              {Math.round(top * f * 10) / 10}
              {f === 1 ? unit : ''}
            </text>
          </g>
        );
      })}
      {labels.map((label, i) =>
        shown.has(i) ? (
          <text key={label} x={x(i)} y={H - PAD.bottom + 16} text-anchor="middle">
            {label}
          </text>
        ) : null,
      )}
    </g>
  );
}

export type LineSeries = { name: Text; values: (number | null)[]; color: string };

/** A dashed level across the chart (a goal, the counters of the hall), labelled at its right end. */
function TargetLine({ y, label }: { y: number; label?: string }) {
  return (
    <g class="target">
      <line class="target" x1={PAD.left} x2={W - PAD.right} y1={y} y2={y} />
      {label && (
        <text x={W - PAD.right} y={y - 4} text-anchor="end" class="target-label">
          {label}
        </text>
      )}
    </g>
  );
}

/**
 * Lines over periods; a period without a value breaks the line. `target` draws a dashed level (with
 * `targetLabel` beside it); `max` fixes the top of the axis (100 for a percentage).
 */
export function LineChart(props: {
  title: Text;
  labels: string[];
  series: LineSeries[];
  unit?: string;
  target?: number;
  targetLabel?: string;
  max?: number;
}) {
  const { labels, series, unit = '' } = props;
  const values = series.flatMap((s) => s.values.filter((v): v is number => v !== null));
  const top = props.max ?? niceMax(Math.max(props.target ?? 0, ...values));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (labels.length <= 1 ? innerW / 2 : (innerW * i) / (labels.length - 1));
  const y = (v: number) => PAD.top + innerH * (1 - v / top);
  return (
    <figure class="chart">
      <figcaption>
        <Bi text={props.title} />
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title.zh} ${props.title.en}`}>
        <Axes top={top} labels={labels} x={x} unit={unit} />
        {props.target !== undefined && <TargetLine y={y(props.target)} label={props.targetLabel} />}
        {series.map((s) => {
          // One path of segments: a gap (null) starts a new segment.
          let d = '';
          let pen = false;
          s.values.forEach((v, i) => {
            if (v === null) {
              pen = false;
              return;
            }
            d += `${pen ? 'L' : 'M'}${x(i).toFixed(1)} ${y(v).toFixed(1)}`;
            pen = true;
          });
          return (
            <g key={s.name.en} class="series">
              <path d={d} fill="none" stroke={s.color} stroke-width="2.5" />
              {s.values.map((v, i) =>
                v === null ? null : (
                  <circle key={labels[i]} cx={x(i)} cy={y(v)} r="3" fill={s.color}>
                    <title>{`${labels[i]}: ${v}${unit}`}</title>
                  </circle>
                ),
              )}
            </g>
          );
        })}
      </svg>
      <div class="legend">
        {series.map((s) => (
          <span key={s.name.en}>
            <i style={{ background: s.color }} />
            <Bi text={s.name} />
          </span>
        ))}
      </div>
    </figure>
  );
}

/**
 * One bar per label (hours of the day); a label without a value has no bar. With a `target`, a dashed
 * level, and the bars under it drawn red with a "▼" over them (not colour alone).
 */
export function BarChart(props: {
  title: Text;
  labels: string[];
  values: (number | null)[];
  color?: string;
  unit?: string;
  max?: number;
  target?: number;
  targetLabel?: string;
  legend?: Text;
}) {
  const { labels, values, unit = '' } = props;
  const top = props.max ?? niceMax(Math.max(0, props.target ?? 0, ...values.map((v) => v ?? 0)));
  const innerW = W - PAD.left - PAD.right;
  const innerH = H - PAD.top - PAD.bottom;
  const slot = innerW / Math.max(1, labels.length);
  const x = (i: number) => PAD.left + slot * (i + 0.5);
  return (
    <figure class="chart">
      <figcaption>
        <Bi text={props.title} />
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-label={`${props.title.zh} ${props.title.en}`}>
        <Axes top={top} labels={labels} x={x} unit={unit} />
        {values.map((v, i) => {
          if (v === null) return null;
          const h = (innerH * v) / top;
          const below = props.target !== undefined && v < props.target;
          return (
            <g key={labels[i]}>
              <rect
                class={below ? 'bar below' : 'bar'}
                x={x(i) - slot * 0.35}
                width={slot * 0.7}
                y={PAD.top + innerH - h}
                height={h}
                fill={below ? '#c62828' : (props.color ?? '#1565c0')}
              >
                <title>{`${labels[i]}: ${v}${unit}`}</title>
              </rect>
              {below && (
                <text class="below-mark" x={x(i)} y={PAD.top + innerH - h - 4} text-anchor="middle">
                  ▼
                </text>
              )}
            </g>
          );
        })}
        {props.target !== undefined && (
          <TargetLine y={PAD.top + innerH * (1 - props.target / top)} label={props.targetLabel} />
        )}
      </svg>
      {props.legend && (
        <div class="legend">
          <span>
            <Bi text={props.legend} />
          </span>
        </div>
      )}
    </figure>
  );
}

const WEEKDAYS: Text[] = [
  { zh: '周一', en: 'Mon' },
  { zh: '周二', en: 'Tue' },
  { zh: '周三', en: 'Wed' },
  { zh: '周四', en: 'Thu' },
  { zh: '周五', en: 'Fri' },
  { zh: '周六', en: 'Sat' },
  { zh: '周日', en: 'Sun' },
];

export { WEEKDAYS };

const HEAT = [21, 101, 192] as const;

/**
 * A cell's blue at `share` (0–1) over white, with black or white text, whichever reads better: the
 * switch sits where both keep WCAG AA (4.5:1) on small text.
 */
function heatColors(share: number): { background: string; color: string } {
  const rgb = HEAT.map((c) => Math.round(255 - (255 - c) * share));
  const linear = (c: number) => (c / 255 <= 0.04045 ? c / 255 / 12.92 : ((c / 255 + 0.055) / 1.055) ** 2.4);
  const [r, g, b] = rgb.map(linear) as [number, number, number];
  const luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
  return { background: `rgb(${rgb.join(', ')})`, color: luminance > 0.179 ? '#000' : '#fff' };
}

/** Arrivals by weekday (rows) and hour (columns), shaded by count; only the hours with any arrival. */
export function Heatmap({ arrivals }: { arrivals: number[][] }) {
  const hours = Array.from({ length: 24 }, (_, h) => h).filter((h) =>
    arrivals.some((row) => (row[h] ?? 0) > 0),
  );
  const max = Math.max(1, ...arrivals.flat());
  if (hours.length === 0)
    return (
      <p class="empty">
        <Bi text={{ zh: '没有到达记录', en: 'No arrivals' }} />
      </p>
    );
  return (
    <table class="heatmap">
      <thead>
        <tr>
          <th>
            <Bi text={{ zh: '星期', en: 'Day' }} />
          </th>
          {hours.map((h) => (
            <th key={h}>{String(h).padStart(2, '0')}</th>
          ))}
        </tr>
      </thead>
      <tbody>
        {arrivals.map((row, w) => (
          <tr key={WEEKDAYS[w]!.en}>
            <th>
              <Bi text={WEEKDAYS[w]!} />
            </th>
            {hours.map((h) => {
              const n = row[h] ?? 0;
              return (
                <td
                  key={h}
                  style={n === 0 ? undefined : heatColors(0.12 + 0.88 * (n / max))}
                  title={`${WEEKDAYS[w]!.en} ${h}:00 — ${n}`}
                >
                  {n || ''}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
