/** The look every recharts chart shares (axes and tooltips follow the theme's variables). */
export const axisStyle = { fontSize: 12, fill: 'var(--text-muted)' };

/** An axis title: what the axis measures, a little larger than its ticks. */
export const axisTitle = { fontSize: 12, fill: 'var(--text)', textAnchor: 'middle' as const };

export const tooltipStyle = {
  contentStyle: {
    background: 'var(--surface)',
    border: '1px solid var(--border)',
    borderRadius: 8,
    color: 'var(--text)',
  },
  labelStyle: { color: 'var(--text-muted)' },
};
