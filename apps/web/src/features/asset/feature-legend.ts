/** The Enrichment chart's lines, named in an HTML legend rather than on the price axis. */
export const FEATURE_LEGEND = [
  { label: 'EMA 20', color: '#38bdf8' },
  { label: 'EMA 50', color: '#f59e0b' },
  { label: 'Bollinger 20/2', color: 'rgba(167,139,250,0.9)' },
  { label: 'RSI 14 (lower pane)', color: '#e879f9' },
] as const;
