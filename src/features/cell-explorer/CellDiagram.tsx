import { useTranslation } from 'react-i18next';
import { useFeatureName } from './featureNames';
import type { TraceStep } from '../../core/index';
import { heatFill } from '../../components/GateHeatmap';
import { gateColor, type GateName } from '../../components/GatePalette';
import type { Stage } from '../../state/explorer';

/**
 * One LSTM cell in the classic layout: the cell-state line c_{t−1} → c_t along the top with its
 * × (forget) and + (write) nodes, the four gates below fed by h_{t−1} and x_t, and
 * tanh(c_t) × o → h_t on the right. Each gate is filled by its value for the chosen unit.
 * In a stage, the parts of that stage stand out and their wires flow; the rest fades.
 */
const fmt = (v: number) => (Math.abs(v) < 0.005 ? '0.00' : v.toFixed(2));

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
}: {
  gate: GateName;
  x: number;
  y: number;
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
      aria-label={`${label}: ${fn}(${pre.toFixed(2)}) = ${value.toFixed(4)}`}
      role="img"
    >
      <rect
        x={x - 46}
        y={y - 30}
        width={92}
        height={60}
        rx={10}
        fill="var(--surface)"
        stroke={gateColor(gate)}
        strokeWidth={3}
      />
      <rect
        x={x - 46}
        y={y - 30}
        width={92}
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

/** The four gate boxes, left to right, with their key in the trace. */
const GATE_BOXES: { gate: GateName; key: 'f' | 'i' | 'g' | 'o'; x: number; fn: 'σ' | 'tanh' }[] = [
  { gate: 'forget', key: 'f', x: 230, fn: 'σ' },
  { gate: 'input', key: 'i', x: 330, fn: 'σ' },
  { gate: 'candidate', key: 'g', x: 430, fn: 'tanh' },
  { gate: 'output', key: 'o', x: 560, fn: 'σ' },
];

const stateOf = (stage: Stage, own: number) =>
  stage === 0 ? 'shown' : stage === own ? 'active' : 'dim';

export function CellDiagram({
  step,
  unit,
  stage,
  features,
}: {
  step: TraceStep;
  unit: number;
  stage: Stage;
  features?: string[];
}) {
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
      viewBox="0 24 800 416"
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
      <rect x={70} y={36} width={620} height={330} rx={24} className="cell-body" />
      <text x={86} y={60} className="cell-caption">
        {t('explorer.diagram.cell', { unit: u })}
      </text>

      {/* cell-state line: c_{t-1} → × → + → c_t */}
      <path d="M10,90 H213" {...wire(1)} stroke="var(--gate-cell)" strokeWidth={5} />
      <path d="M247,90 H413" {...wire(3)} stroke="var(--gate-cell)" strokeWidth={5} />
      <path
        d="M447,90 H790"
        {...wire(3)}
        stroke="var(--gate-cell)"
        strokeWidth={5}
        markerEnd="url(#arrow)"
      />
      <text x={14} y={76} className="wire-label">
        c<tspan baselineShift="sub">t−1</tspan> = {fmt(cPrev)}
      </text>
      <text x={786} y={76} className="wire-label end" data-testid="diagram-c">
        c<tspan baselineShift="sub">t</tspan> = {fmt(c)}
      </text>
      <text x={300} y={118} className="wire-note" data-state={stateOf(stage, 1)}>
        f·c<tspan baselineShift="sub">t−1</tspan> = {fmt(f * cPrev)}
      </text>
      <text x={490} y={160} className="wire-note" data-state={stateOf(stage, 2)}>
        i·g = {fmt(i * g)}
      </text>

      {/* input bus: h_{t-1} and x_t feed every gate */}
      <path
        d="M10,330 H600"
        className="wire"
        data-state="shown"
        stroke="var(--gate-hidden)"
        strokeWidth={3}
      />
      <path
        d="M150,430 V330"
        className="wire"
        data-state="shown"
        stroke="var(--text-muted)"
        strokeWidth={3}
      />
      <text x={14} y={352} className="wire-label">
        h<tspan baselineShift="sub">t−1</tspan> = {fmt(step.hPrev[u])}
      </text>
      <text x={162} y={420} className="wire-label" data-testid="diagram-x">
        x<tspan baselineShift="sub">t</tspan> = [{xs}]
        {features && features.length <= 3 ? ` (${features.map(featureName).join(', ')})` : ''}
      </text>
      {[230, 330, 430, 560].map((x, k) => (
        <path
          key={x}
          d={`M${x},330 V292`}
          {...wire([1, 2, 2, 4][k])}
          stroke="var(--text-muted)"
          strokeWidth={2}
          markerEnd="url(#arrow)"
        />
      ))}

      {/* forget: f → × on the cell line */}
      <path
        d="M230,230 V108"
        {...wire(1)}
        stroke="var(--gate-forget)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <Node x={230} y={90} op="×" state={stateOf(stage, 1)} testId="node-forget" />

      {/* write: i × g → + on the cell line */}
      <path
        d="M330,230 V175 H403"
        {...wire(2)}
        stroke="var(--gate-input)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <path
        d="M430,230 V192"
        {...wire(2)}
        stroke="var(--gate-candidate)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <Node x={430} y={175} op="×" state={stateOf(stage, 2)} />
      <path
        d="M430,158 V108"
        {...wire(3)}
        stroke="var(--gate-cell)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <Node x={430} y={90} op="+" state={stateOf(stage, 3)} testId="node-add" />

      {/* output: tanh(c_t) × o → h_t */}
      <path
        d="M640,90 V116"
        {...wire(4)}
        stroke="var(--gate-cell)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <Node x={640} y={140} op="tanh" state={stateOf(stage, 4)} />
      <path
        d="M640,164 V183"
        {...wire(4)}
        stroke="var(--gate-cell)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <path
        d="M560,232 V200 H623"
        {...wire(4)}
        stroke="var(--gate-output)"
        strokeWidth={3}
        markerEnd="url(#arrow)"
      />
      <Node x={640} y={200} op="×" state={stateOf(stage, 4)} />
      <path
        d="M657,200 H720 V400 H790"
        {...wire(4)}
        stroke="var(--gate-hidden)"
        strokeWidth={4}
        markerEnd="url(#arrow)"
      />
      <text x={786} y={390} className="wire-label end" data-testid="diagram-h">
        h<tspan baselineShift="sub">t</tspan> = {fmt(h)}
      </text>
      <text x={676} y={145} className="wire-note" data-state={stateOf(stage, 4)}>
        {fmt(Math.tanh(c))}
      </text>

      {GATE_BOXES.map((b) => (
        <GateBox
          key={b.gate}
          gate={b.gate}
          x={b.x}
          y={262}
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
