/** The look every recharts chart shares (axes and tooltips follow the theme's variables). */
export const axisStyle = { fontSize: 12, fill: 'var(--text-muted)' };

/** An axis title: what the axis measures, a little larger than its ticks. */
export const axisTitle = { fontSize: 12, fill: 'var(--text)', textAnchor: 'middle' as const };

/**
 * Props every chart shares. recharts copies each prop into its store and re-renders when one is a
 * new object, so charts hand it these same objects on every redraw rather than inline literals.
 */
export const CHART_MARGIN = { top: 8, right: 16, bottom: 0, left: 8 };
export const LEGEND_STYLE = { fontSize: 13 };

export const tooltipStyle = {
  contentStyle: {
    background: 'var(--surface)',
    border: '1px solid var(--border)',
    borderRadius: 8,
    color: 'var(--text)',
  },
  labelStyle: { color: 'var(--text-muted)' },
};
