// Medians, ratios and markdown tables: what every suite prints.

export function median(values) {
  const finite = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (finite.length === 0) return Number.NaN;
  const middle = Math.floor(finite.length / 2);
  return finite.length % 2 === 1 ? finite[middle] : (finite[middle - 1] + finite[middle]) / 2;
}

/** The p-th percentile (0–100) of a sorted array, nearest rank. */
export function percentileOfSorted(sorted, p) {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

export function formatNumber(value, digits = 0) {
  if (!Number.isFinite(value)) return '–';
  return value.toLocaleString('en', { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

/** `a / b` as "0.87×", or "–" when either side is missing. */
export function ratio(a, b) {
  if (!Number.isFinite(a) || !Number.isFinite(b) || b === 0) return '–';
  return `${(a / b).toFixed(2)}×`;
}

export function markdownTable(headers, rows) {
  const widths = headers.map((header, column) =>
    Math.max(header.length, ...rows.map((row) => String(row[column]).length)),
  );
  const line = (cells) =>
    `| ${cells.map((cell, column) => String(cell).padEnd(widths[column])).join(' | ')} |`;
  return [
    line(headers),
    `| ${widths.map((width) => '-'.repeat(width)).join(' | ')} |`,
    ...rows.map(line),
  ].join('\n');
}

/**
 * Runs `measure(cell, contender)` `repeats` times for every contender of every cell,
 * alternating contenders within a repeat (rotating who goes first) so that drift in the
 * machine's load falls on all of them alike. A failed run is recorded with its error and the
 * rest go on. A contender's `observe(run)`, when it has one, wraps each of its runs and may add
 * to the sample. Resolves with one entry per cell and contender: samples, errors, median value.
 */
export async function alternate({ suite, cells, contenders, repeats, measure, describeCell }) {
  const entries = [];
  for (const cell of cells) {
    const byName = new Map(contenders.map((contender) => [contender.name, { samples: [], errors: [] }]));
    for (let repeat = 0; repeat < repeats; repeat++) {
      const shift = repeat % contenders.length;
      const order = [...contenders.slice(shift), ...contenders.slice(0, shift)];
      for (const contender of order) {
        const entry = byName.get(contender.name);
        try {
          // A contender may watch its own runs (sluice-2gw: which gateway took the sessions).
          const once = () => measure(cell, contender);
          const sample = contender.observe ? await contender.observe(once) : await once();
          entry.samples.push(sample);
          console.error(
            `${suite} ${describeCell(cell)} ${contender.name}: ${formatNumber(sample.value)} ${sample.unit}`,
          );
        } catch (error) {
          entry.errors.push(error.message);
          console.error(`${suite} ${describeCell(cell)} ${contender.name}: FAILED ${error.message}`);
        }
      }
    }
    for (const contender of contenders) {
      const { samples, errors } = byName.get(contender.name);
      entries.push({
        ...cell,
        contender: contender.name,
        median: median(samples.map((sample) => sample.value)),
        samples,
        errors,
      });
    }
  }
  return entries;
}

/** The median of one contender in the cell matching `where`. */
export function medianOf(entries, contender, where) {
  const entry = entries.find(
    (candidate) =>
      candidate.contender === contender &&
      Object.entries(where).every(([key, value]) => candidate[key] === value),
  );
  return entry?.median ?? Number.NaN;
}
