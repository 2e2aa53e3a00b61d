// A Prometheus histogram whose buckets are read from counts kept elsewhere (the gateway's own
// cumulative histograms) at scrape time.
//
// prom-client's Histogram can only `observe()` one value at a time; re-observing millions of
// requests on every scrape is out of the question, and it has no public way to set bucket counts.
// So this subclass answers getForPromString (what the Registry renders; Histogram.get() builds on
// it too) from the source directly, in the shape prom-client's own histogram produces.
import { Histogram, type HistogramConfiguration } from 'prom-client';

/** One labelled series: cumulative counts per upper bound (the last bound is Infinity), sum, count. */
export interface HistogramSample {
  labels: Record<string, string>;
  buckets: ReadonlyArray<{ le: number; count: number }>;
  sum: number;
  count: number;
}

interface ExportedValue {
  labels: Record<string, string | number>;
  sharedLabels: Record<string, string>;
  value: number;
  metricName: string;
}

/** The values of one series as prom-client's Registry renders them: `_bucket` per bound and +Inf, `_sum`, `_count`. */
export function histogramValues(name: string, sample: HistogramSample): ExportedValue[] {
  const values: ExportedValue[] = [];
  for (const b of sample.buckets) {
    if (b.le === Infinity) continue;
    values.push({ labels: { le: b.le }, sharedLabels: sample.labels, value: b.count, metricName: `${name}_bucket` });
  }
  values.push({ labels: { le: '+Inf' }, sharedLabels: sample.labels, value: sample.count, metricName: `${name}_bucket` });
  values.push({ labels: {}, sharedLabels: sample.labels, value: sample.sum, metricName: `${name}_sum` });
  values.push({ labels: {}, sharedLabels: sample.labels, value: sample.count, metricName: `${name}_count` });
  return values;
}

/** A histogram rendered from `read()` on every scrape. */
export class TotalsHistogram<T extends string> extends Histogram<T> {
  readonly #name: string;
  readonly #help: string;
  readonly #read: () => HistogramSample[];

  constructor(config: HistogramConfiguration<T>, read: () => HistogramSample[]) {
    super(config);
    this.#name = config.name;
    this.#help = config.help;
    this.#read = read;
  }

  /** Not in prom-client's type declarations, but what its Registry calls to render a metric. */
  async getForPromString(): Promise<{ name: string; help: string; type: 'histogram'; values: ExportedValue[]; aggregator: 'sum' }> {
    const values = this.#read().flatMap((sample) => histogramValues(this.#name, sample));
    return { name: this.#name, help: this.#help, type: 'histogram', values, aggregator: 'sum' };
  }
}
