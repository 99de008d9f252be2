export interface Summary {
  median: number;
  p90: number;
  max: number;
}

/** Median, 90th percentile and worst of a sample, rounded to whole units. */
export function summarize(sample: number[]): Summary {
  const sorted = [...sample].sort((a, b) => a - b);
  const at = (quantile: number) =>
    Math.round(sorted[Math.min(sorted.length - 1, Math.floor(quantile * sorted.length))] ?? NaN);
  return { median: at(0.5), p90: at(0.9), max: Math.round(sorted.at(-1) ?? NaN) };
}
