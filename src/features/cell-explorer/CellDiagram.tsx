import { useTranslation } from 'react-i18next';
import { useFeatureName } from './featureNames';
import type { TraceStep } from '../../core/index';
import { heatFill } from '../../components/GateHeatmap';
import { formatValue } from '../../components/format';
import { COMPACT, WIDE } from './diagramGeometry';
import { gateColor, type GateName } from '../../components/GatePalette';
import type { Stage } from '../../state/explorer';

/**
 * One LSTM cell in the classic layout: the cell-state line c_{t−1} → c_t along the top with its
 * × (forget) and + (write) nodes, the four gates below fed by h_{t−1} and x_t, and
 * tanh(c_t) × o → h_t on the right. Each gate is filled by its value for the chosen unit.
 * In a stage, the parts of that stage stand out and their wires flow; the rest fades.
 */
/** Every number in the drawing as the equations write it (one formatter for every view). */
const fmt = formatValue;

/** Which stage each part belongs to (0 = always shown at full strength). */
const PART_STAGE = {
  forget: 1,
  input: 2,
  candidate: 2,
  write: 2,
  add: 3,
  output: 4,
} as const;

function GateBox({
  gate,
  x,
  y,
  fn,
  value,
  pre,
  stage,
  label,
  w,
}: {
  gate: GateName;
  x: number;
  y: number;
  w: number;
  fn: 'σ' | 'tanh';
  value: number;
  pre: number;
  stage: Stage;
  label: string;
}) {
  const { fill, opacity } = heatFill(gate, value);
  const own = PART_STAGE[gate as keyof typeof PART_STAGE];
  const state = stage === 0 ? 'shown' : stage === own ? 'active' : 'dim';
  return (
    <g
      className="part gate-box"
      data-state={state}
      data-testid={`diagram-${gate}`}
      aria-label={`${label}: ${fn}(${formatValue(pre)}) = ${formatValue(value)}`}
      role="img"
    >
      <rect
        x={x - w / 2}
        y={y - 30}
        width={w}
        height={60}
        rx={10}
        fill="var(--surface)"
        stroke={gateColor(gate)}
        strokeWidth={3}
      />
      <rect
        x={x - w / 2}
        y={y - 30}
        width={w}
        height={60}
        rx={10}
        fill={fill}
        fillOpacity={opacity * 0.85}
      />
      <text x={x} y={y - 8} className="gate-fn">
        {fn} {label.split(' ')[1] ?? ''}
      </text>
      <text x={x} y={y + 18} className="gate-value">
        {fmt(value)}
      </text>
    </g>
  );
}

function Node({
  x,
  y,
  op,
  state,
  testId,
}: {
  x: number;
  y: number;
  op: '×' | '+' | 'tanh';
  state: string;
  testId?: string;
}) {
  const r = op === 'tanh' ? 24 : 17;
  return (
    <g className="part node" data-state={state} data-testid={testId}>
      {op === 'tanh' ? (
        <ellipse
          cx={x}
          cy={y}
          rx={30}
          ry={r}
          fill="var(--surface)"
          stroke="var(--gate-cell)"
          strokeWidth={2.5}
        />
      ) : (
        <circle cx={x} cy={y} r={r} fill="var(--surface)" stroke="var(--text)" strokeWidth={2} />
      )}
      <text x={x} y={y + (op === 'tanh' ? 5 : 7)} className={op === 'tanh' ? 'node-fn' : 'node-op'}>
        {op}
      </text>
    </g>
  );
}

const GATES: { gate: GateName; key: 'f' | 'i' | 'g' | 'o'; fn: 'σ' | 'tanh' }[] = [
  { gate: 'forget', key: 'f', fn: 'σ' },
  { gate: 'input', key: 'i', fn: 'σ' },
  { gate: 'candidate', key: 'g', fn: 'tanh' },
  { gate: 'output', key: 'o', fn: 'σ' },
];

const stateOf = (stage: Stage, own: number) =>
  stage === 0 ? 'shown' : stage === own ? 'active' : 'dim';

export function CellDiagram({
  step,
  unit,
  stage,
  features,
  compact = false,
}: {
  step: TraceStep;
  unit: number;
  stage: Stage;
  features?: string[];
  /** Draw the narrow layout (phones). */
  compact?: boolean;
}) {
  const G = compact ? COMPACT : WIDE;
  const right = G.width - 10;
  const { t } = useTranslation();
  const featureName = useFeatureName();
  const u = unit;
  const [f, i, g] = [step.f[u], step.i[u], step.g[u]];
  const cPrev = step.cPrev[u];
  const c = step.c[u];
  const h = step.h[u];
  const xs =
    step.x.length <= 3
      ? step.x.map(fmt).join(', ')
      : `${step.x.slice(0, 2).map(fmt).join(', ')}, …`;
  const wire = (own: number) => ({ className: 'wire', 'data-state': stateOf(stage, own) });
  const label = (k: string) => t(`explorer.diagram.${k}`);
  return (
    <svg
      className="cell-diagram"
      viewBox={`0 24 ${G.width} 416`}
      data-layout={compact ? 'compact' : 'wide'}
      role="group"
      aria-label={t('explorer.diagram.aria', { t: step.t, unit: u })}
    >
      <defs>
        <marker
          id="arrow"
          viewBox="0 0 10 10"
          refX="9"
          refY="5"
          markerWidth="6"
          markerHeight="6"
          orient="auto-start-reverse"
        >
          <path d="M0,0 L10,5 L0,10 z" fill="var(--text-muted)" />
        </marker>
      </defs>
      <rect x={G.body.x} y={36} width={G.body.w} height={330} rx={24} className="cell-body" />
      <text x={G.body.x + 16} y={60} className="cell-caption">
        {t('explorer.diagram.cell', { unit: u })}
      </text>

      {/* cell-state line: c_{t-1} → × → + → c_t */}
      <path d={`M10,90 H${G.f - 17}`} {...wire(1)} stroke="var(--gate-cell)" strokeWidth={5} />
      <path
        d={`M${G.f + 17},90 H${G.g - 17}`}
        {...wire(3)}
        stroke="var(--gate-cell)"
        strokeWidth={5}
      />
      <path
        d={`M${G.g + 17},90 H${right}`}
        {...wire(3)}
        stroke="var(--gate-cell)"
        strokeWidth={5}
        markerEnd="url(#arrow)"
      />
      <text x={14} y={76} className="wire-label">
        c<tspan baselineShift="sub">t−1</tspan> = {fmt(cPrev)}
      </text>
      <text x={right - 4} y={76} className="wire-label end" data-testid="diagram-c">
        c<tspan baselineShift="sub">t</tspan> = {fmt(c)}
      </text>
      <text x={G.fcNote.x} y={G.fcNote.y} className="wire-note" data-state={stateOf(stage, 1)}>
        f·c<tspan baselineShift="sub">t−1</tspan> = {fmt(f * cPrev)}
      </text>
      <text
        x={G.igNote.x}
        y={G.igNote.y}
        className="wire-note"
        data-state={stateOf(stage, 2)}
        data-testid="diagram-ig"
      >
        i·g = {fmt(i * g)}
      </text>

      {/* input bus: h_{t-1} and x_t feed every gate */}
      <path
        d={`M10,330 H${G.o + 40}`}
        className="wire"
        data-state="shown"
        stroke="var(--gate-hidden)"
        strokeWidth={3}
      />
      <path
        d={`M${G.xIn},430 V330`}
        className="wire"
        data-state="shown"
        stroke="var(--text-muted)"
        strokeWidth={3}
      />
      <text x={14} y={352} className="wire-label">
        h<tspan baselineShift="sub">t−1</tspan> = {fmt(step.hPrev[u])}
      </text>
      <text x={G.xIn + 12} y={420} className="wire-label" data-testid="diagram-x">
        x<tspan baselineShift="sub">t</tspan> = [{xs}]
        {features && features.length <= 3 ? ` (${features.map(featureName).join(', ')})` : ''}
      </text>
      {[G.f, G.i, G.g, G.o].map((x, k) => (
        <path
          key={k}
          d={`M${x},330 V292`}
          {...wire([1, 2, 2, 4][k])}
          stroke="var(--text-muted)"
          strokeWidth={2}
          markerEnd="url(#arrow)"
        />
      ))}

      {/* forget: f → × on the cell line */}
      <path
        d={`M${G.f},230 V108`}
        {...wire(1)}
        stroke="var(--gate-forget)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <Node x={G.f} y={90} op="×" state={stateOf(stage, 1)} testId="node-forget" />

      {/* write: i × g → + on the cell line */}
      <path
        d={`M${G.i},230 V175 H${G.g - 27}`}
        {...wire(2)}
        stroke="var(--gate-input)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <path
        d={`M${G.g},230 V192`}
        {...wire(2)}
        stroke="var(--gate-candidate)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <Node x={G.g} y={175} op="×" state={stateOf(stage, 2)} />
      <path
        d={`M${G.g},158 V108`}
        {...wire(3)}
        stroke="var(--gate-cell)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <Node x={G.g} y={90} op="+" state={stateOf(stage, 3)} testId="node-add" />

      {/* output: tanh(c_t) × o → h_t */}
      <path
        d={`M${G.tanh},90 V116`}
        {...wire(4)}
        stroke="var(--gate-cell)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <Node x={G.tanh} y={140} op="tanh" state={stateOf(stage, 4)} />
      <path
        d={`M${G.tanh},164 V183`}
        {...wire(4)}
        stroke="var(--gate-cell)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <path
        d={`M${G.o},232 V200 H${G.tanh - 17}`}
        {...wire(4)}
        stroke="var(--gate-output)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <Node x={G.tanh} y={200} op="×" state={stateOf(stage, 4)} />
      <path
        d={`M${G.tanh + 17},200 H${G.hBend} V400 H${right}`}
        {...wire(4)}
        stroke="var(--gate-hidden)"
        strokeWidth={4}
        markerEnd="url(#arrow)"
      />
      <text x={right - 4} y={390} className="wire-label end" data-testid="diagram-h">
        h<tspan baselineShift="sub">t</tspan> = {fmt(h)}
      </text>
      <text
        x={G.tanhNote.x}
        y={G.tanhNote.y}
        className={`wire-note${G.tanhNote.end ? ' end' : ''}`}
        data-state={stateOf(stage, 4)}
      >
        {fmt(Math.tanh(c))}
      </text>

      {GATES.map((b, k) => (
        <GateBox
          key={b.gate}
          gate={b.gate}
          x={[G.f, G.i, G.g, G.o][k]}
          y={262}
          w={G.gateW}
          fn={b.fn}
          value={step[b.key][u]}
          pre={step.pre[b.key][u]}
          stage={stage}
          label={label(b.gate)}
        />
      ))}
    </svg>
  );
}
