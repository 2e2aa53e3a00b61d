// Charts of one service: canary against stable error rate, p99 latency and traffic share over the
// last 15 minutes, from GET /api/services/:name/series, drawn with uPlot (served from DSR's own
// node_modules under /dashboard/vendor/). The analysis thresholds are horizontal lines and every
// rollout step and analysis verdict a labelled vertical mark.
//
// Readable without colour: the canary's line is dashed, the stable's solid, marks carry their text
// ("25%", "pass", "fail"), and each chart has a text summary (figcaption) with the latest numbers.
// After each draw the figure records what it drew (data-points, data-threshold, data-marks), which
// the browser test reads.
import uPlot from '/dashboard/vendor/uPlot.esm.js';
import { clock, el, millis, percent } from './dom.js';

export const RANGE = '15m';
const HEIGHT = 150;
const MIN_SPAN_S = 60;
const VERDICT_SIGNS = { pass: '✓', fail: '✗', inconclusive: '?' };
const COLORS = ['#0969da', '#bc4c00', '#8250df', '#1f883d'];
const MARK_COLORS = { pass: '#1f883d', fail: '#cf222e', inconclusive: '#bf8700' };

/** The three metrics: how to read a version's column, the threshold, how to print a value. */
const METRICS = [
  { key: 'errorRate', title: 'Error rate', column: (v) => v.errorRate, threshold: (t) => t?.maxErrorRate ?? null, format: percent, axis: (x) => `${(x * 100).toFixed(x < 0.1 ? 1 : 0)}%` },
  { key: 'p99', title: 'p99 latency', column: (v) => v.latencyP99Ms, threshold: (t) => t?.maxLatencyP99Ms ?? null, format: millis, axis: (x) => `${Math.round(x)} ms` },
  { key: 'share', title: 'Traffic share', column: (v) => v.share, threshold: () => null, format: percent, axis: (x) => `${Math.round(x * 100)}%` },
];

/** Which version is the canary and which the stable, from the service's status. */
export function rolesOf(status) {
  const r = status?.rollout;
  return { canary: r && r.phase !== 'Completed' ? r.canary : null, stable: r?.stable ?? status?.stable ?? null };
}

function roleName(version, roles) {
  if (version === roles.canary) return `${version} (canary)`;
  if (version === roles.stable) return `${version} (stable)`;
  return version;
}

/** The last non-null value of a column and its index, or null. */
function last(values) {
  for (let i = values.length - 1; i >= 0; i--) if (values[i] !== null && values[i] !== undefined) return values[i];
  return null;
}

/**
 * The time span shown: from a bucket before the first traffic or mark of the range (at least
 * MIN_SPAN_S wide) to now, so a canary started a minute ago is not squeezed into the right edge
 * of a 15-minute axis. In seconds, as uPlot wants them.
 */
function xRange(view) {
  const end = Date.now() / 1000;
  const rangeStart = view.times[0] / 1000;
  const firstTraffic = view.times.find((_, i) => view.versions.some((v) => v.requests[i] > 0));
  const firstMark = view.marks[0]?.at;
  const first = Math.min(firstTraffic ?? Infinity, firstMark ?? Infinity) / 1000 - view.bucketMs / 1000;
  const start = Math.max(rangeStart, Math.min(Number.isFinite(first) ? first : rangeStart, end - MIN_SPAN_S));
  return [start, end];
}

/** One chart: a figure holding the uPlot canvas and its text summary. */
class Chart {
  constructor(metric, service) {
    this.metric = metric;
    this.plotNode = el('div', { class: 'plot' });
    this.caption = el('figcaption', { class: 'chart-summary', 'data-role': 'summary', text: `${metric.title}: no data yet` });
    this.node = el('figure', { class: 'chart', dataset: { metric: metric.key, service } }, [
      el('div', { class: 'chart-title', text: metric.title }),
      this.plotNode,
      this.caption,
    ]);
    this.plot = null;
    this.versions = [];
    this.view = null;
  }

  /** Draws `view` (a series answer); rebuilds the plot when the set of versions changed. */
  update(view, roles, width) {
    this.view = view;
    this.roles = roles;
    const versions = view.versions.filter((v) => v.version !== '').map((v) => v.version);
    const data = [view.times.map((t) => t / 1000), ...versions.map((name) => this.metric.column(view.versions.find((v) => v.version === name)))];
    if (!this.plot || versions.join('\u0000') !== this.versions.join('\u0000') || this.rolesKey !== `${roles.canary}/${roles.stable}`) {
      this.plot?.destroy();
      this.versions = versions;
      this.rolesKey = `${roles.canary}/${roles.stable}`;
      this.plot = new uPlot(this.options(versions, roles, width), data, this.plotNode);
    } else {
      this.plot.setData(data);
    }
    this.caption.textContent = this.summary(view, versions, roles);
  }

  resize(width) {
    if (this.plot && width > 0 && Math.abs(width - this.plot.width) > 2) this.plot.setSize({ width, height: HEIGHT });
  }

  options(versions, roles, width) {
    const metric = this.metric;
    return {
      width: Math.max(200, width),
      height: HEIGHT,
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      scales: {
        x: { time: true, range: (_u, min, max) => (this.view ? xRange(this.view) : [min, max]) },
        y: {
          range: (_u, _min, max) => {
            const threshold = metric.threshold(this.view?.thresholds);
            if (metric.key === 'p99') return [0, Math.max(max ?? 1, 1, (threshold ?? 0) * 1.15)];
            return [0, Math.min(1, Math.max(max ?? 0.01, 0.01, (threshold ?? 0) * 1.15)) * (metric.key === 'share' ? 1 : 1.05)];
          },
        },
      },
      axes: [{ space: 70, values: (_u, ticks) => ticks.map((t) => clock(t * 1000)) }, { size: 76, values: (_u, ticks) => ticks.map(metric.axis) }],
      series: [
        {},
        ...versions.map((name, i) => ({
          label: roleName(name, roles),
          stroke: COLORS[i % COLORS.length],
          width: 2,
          dash: name === roles.canary ? [6, 4] : undefined,
          spanGaps: false,
          points: { show: true, size: 4 },
          value: (_u, v) => metric.format(v),
        })),
      ],
      hooks: { draw: [(u) => this.decorate(u)] },
    };
  }

  /** Draws the threshold and the marks over the plot, and records what was drawn. */
  decorate(u) {
    const { ctx, bbox } = u;
    const view = this.view;
    const dpr = devicePixelRatio || 1;
    ctx.save();
    ctx.font = `${11 * dpr}px system-ui, sans-serif`;
    const threshold = this.metric.threshold(view.thresholds);
    let thresholdDrawn = '';
    if (threshold !== null) {
      const y = u.valToPos(threshold, 'y', true);
      if (y >= bbox.top - 1 && y <= bbox.top + bbox.height + 1) {
        ctx.strokeStyle = '#cf222e';
        ctx.lineWidth = 1.5 * dpr;
        ctx.setLineDash([2 * dpr, 3 * dpr]);
        ctx.beginPath();
        ctx.moveTo(bbox.left, y);
        ctx.lineTo(bbox.left + bbox.width, y);
        ctx.stroke();
        ctx.fillStyle = '#cf222e';
        ctx.textAlign = 'right';
        ctx.fillText(`max ${this.metric.format(threshold)}`, bbox.left + bbox.width - 4 * dpr, y - 4 * dpr);
        thresholdDrawn = String(threshold);
      }
    }
    const drawnMarks = [];
    const [xMin, xMax] = [u.scales.x.min, u.scales.x.max];
    const right = bbox.left + bbox.width;
    const bottom = bbox.top + bbox.height;
    let lastLabelX = -Infinity;
    for (const mark of view.marks) {
      const t = mark.at / 1000;
      if (t < xMin || t > xMax) continue;
      const x = u.valToPos(t, 'x', true);
      const color = MARK_COLORS[mark.result] ?? '#57606a';
      ctx.strokeStyle = color;
      ctx.fillStyle = color;
      ctx.textAlign = x > right - 40 * dpr ? 'right' : 'left';
      const dx = ctx.textAlign === 'right' ? -3 * dpr : 3 * dpr;
      if (mark.result) {
        // A verdict: a tick rising from the axis with ✓, ✗ or ? (a failure reaches higher).
        const height = (mark.result === 'fail' ? 28 : 12) * dpr;
        ctx.lineWidth = (mark.result === 'fail' ? 2 : 1.5) * dpr;
        ctx.setLineDash([]);
        ctx.beginPath();
        ctx.moveTo(x, bottom);
        ctx.lineTo(x, bottom - height);
        ctx.stroke();
        ctx.textAlign = 'center';
        ctx.fillText(VERDICT_SIGNS[mark.result] ?? '?', x, bottom - height - 2 * dpr);
      } else {
        // A step or a rollout event: a dashed line across, labelled at the top unless crowded.
        ctx.lineWidth = (mark.kind === 'rollout.aborted' ? 2 : 1) * dpr;
        ctx.setLineDash([4 * dpr, 3 * dpr]);
        ctx.beginPath();
        ctx.moveTo(x, bbox.top);
        ctx.lineTo(x, bottom);
        ctx.stroke();
        if (Math.abs(x - lastLabelX) > 34 * dpr) {
          ctx.fillText(mark.label, x + dx, bbox.top + 11 * dpr);
          lastLabelX = x;
        }
      }
      drawnMarks.push(mark.label);
    }
    ctx.restore();
    const points = this.versions.map((name, i) => `${name}=${u.data[i + 1].filter((v) => v !== null && v !== undefined).length}`);
    Object.assign(this.node.dataset, { points: points.join(' '), threshold: thresholdDrawn, marks: drawnMarks.join(' ') });
  }

  /** One sentence per chart: the newest value of each version, the threshold, the latest marks. */
  summary(view, versions, roles) {
    const m = this.metric;
    const parts = versions.map((name) => {
      const value = last(m.column(view.versions.find((v) => v.version === name)));
      return `${roleName(name, roles)} ${value === null ? 'no traffic' : m.format(value)}`;
    });
    const threshold = m.threshold(view.thresholds);
    const steps = view.marks.filter((k) => !k.result).slice(-3).map((k) => `${k.label} at ${clock(k.at)}`);
    const verdicts = view.marks.filter((k) => k.result);
    const count = (r) => verdicts.filter((k) => k.result === r).length;
    return `${m.title}, latest 5 s: ${parts.join(', ') || 'no traffic'}` +
      (threshold !== null ? `; threshold ${m.format(threshold)}` : '') +
      (steps.length ? `. Steps: ${steps.join(', ')}` : '') +
      (verdicts.length ? `. Verdicts (last ${RANGE}): ${count('pass')} pass, ${count('fail')} fail, ${count('inconclusive')} inconclusive` : '') + '.';
  }
}

/** The charts of one service, in a node the pages move between re-renders (the plots live on). */
export class ChartPanel {
  constructor(service) {
    this.service = service;
    this.charts = METRICS.map((m) => new Chart(m, service));
    this.status = el('p', { class: 'charts-status muted', 'data-role': 'charts-status', text: 'loading charts…' });
    this.node = el('section', { class: 'charts', 'aria-label': `charts of ${service}`, dataset: { charts: service } }, [this.status, ...this.charts.map((c) => c.node)]);
    this.loading = null;
    if (typeof ResizeObserver !== 'undefined') {
      new ResizeObserver(() => this.charts.forEach((c) => c.resize(ChartPanel.width(c)))).observe(this.node);
    }
  }

  /** The width a chart's figure offers (its grid cell), before it is laid out: 300. */
  static width(chart) {
    return chart.node.clientWidth || 300;
  }

  /** Fetches the series and redraws; one fetch at a time. */
  refresh(status) {
    if (this.loading) return this.loading;
    this.loading = (async () => {
      try {
        const res = await fetch(`/api/services/${encodeURIComponent(this.service)}/series?range=${RANGE}`, { cache: 'no-store', headers: { Accept: 'application/json' } });
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        const view = await res.json();
        const roles = rolesOf(status);
        for (const chart of this.charts) chart.update(view, roles, ChartPanel.width(chart));
        const traffic = view.versions.some((v) => v.requests.some((n) => n > 0));
        this.status.textContent = traffic ? '' : `no traffic through the gateway in the last ${RANGE}`;
        this.status.hidden = traffic;
      } catch (error) {
        this.status.hidden = false;
        this.status.textContent = `charts unavailable: ${error.message}`;
      } finally {
        this.loading = null;
      }
    })();
    return this.loading;
  }
}
