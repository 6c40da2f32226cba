/**
 * "Which steps mattered": one cell per input step, as dark as that step's share of the
 * largest |∂output/∂x_t|. Horizontal for a price window (oldest → newest), vertical for the
 * rows of a digit (top → bottom). The values are the core's own input gradient.
 */
export function SaliencyStrip({
  values,
  label,
  vertical = false,
  start,
  end,
  testId,
}: {
  values: readonly number[];
  label: string;
  vertical?: boolean;
  /** Words at the start and end of the strip (e.g. "20 days ago", "last day"). */
  start?: string;
  end?: string;
  testId?: string;
}) {
  const max = Math.max(1e-12, ...values);
  return (
    <figure
      className={vertical ? 'saliency vertical' : 'saliency'}
      aria-label={label}
      data-testid={testId}
      data-values={values.map((v) => v.toPrecision(3)).join(',')}
    >
      <div className="saliency-cells" role="img" aria-label={label}>
        {values.map((v, k) => (
          <span
            key={k}
            className="saliency-cell"
            style={{ opacity: 0.08 + 0.92 * (v / max) }}
            title={`${k}: ${v.toPrecision(3)}`}
          />
        ))}
      </div>
      {(start || end) && (
        <div className="saliency-ends" aria-hidden>
          <span>{start}</span>
          <span>{end}</span>
        </div>
      )}
    </figure>
  );
}
