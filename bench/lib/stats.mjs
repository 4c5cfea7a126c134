// Order statistics and the results table of the benchmark.

/** The median of `values` (the mean of the two middle ones for an even count). */
export function median(values) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = sorted.length >> 1
  return sorted.length % 2 === 1 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2
}

/** The nearest-rank percentile `p` (0..1) of `values`, e.g. p90 = percentile(values, 0.9). */
export function percentile(values, p) {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.max(1, Math.ceil(p * sorted.length))
  return sorted[rank - 1]
}

/**
 * A percentile bootstrap interval of `statistic` over `values`, covering `level` (e.g. 0.9), from
 * a fixed-seed generator so that a run's table can be reproduced from its samples.
 */
export function bootstrapInterval(values, statistic, level, resamples = 2000) {
  let seed = 0x9e3779b9
  const random = () => {
    // xorshift32: uniform enough for resampling, and deterministic.
    seed ^= seed << 13
    seed ^= seed >>> 17
    seed ^= seed << 5
    return (seed >>> 0) / 2 ** 32
  }
  const estimates = []
  for (let i = 0; i < resamples; i++) {
    const sample = values.map(() => values[Math.floor(random() * values.length)])
    estimates.push(statistic(sample))
  }
  const tail = (1 - level) / 2
  return [percentile(estimates, tail), percentile(estimates, 1 - tail)]
}

export function summary(values) {
  return { n: values.length, median: median(values), p90: percentile(values, 0.9) }
}

const ms = (value) => (Number.isFinite(value) ? value.toFixed(1) : '-')

/**
 * Prints rows `{ label, n?, median?, p90?, ratio?, bar?, pass? }` as an aligned text table.
 * `pass` is true, false or undefined (informational row).
 */
export function printTable(title, rows) {
  const header = ['', 'n', 'median ms', 'p90 ms', 'value', 'bar', 'result']
  const lines = rows.map((r) => [
    r.label,
    r.n === undefined ? '' : String(r.n),
    r.median === undefined ? '' : ms(r.median),
    r.p90 === undefined ? '' : ms(r.p90),
    r.value ?? '',
    r.bar ?? '',
    r.pass === undefined ? '' : r.pass ? 'PASS' : 'FAIL',
  ])
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i].length)))
  const format = (cells) =>
    cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ')
  console.log(`\n${title}`)
  console.log(format(header))
  console.log(widths.map((w) => '-'.repeat(w)).join('  '))
  for (const line of lines) console.log(format(line))
}
