import type { Overview } from './api-types.js';
import { hourLabel } from './time.js';

const DECISIONS = ['allowed', 'approved', 'blocked', 'denied', 'expired'] as const;

/** Statements per hour, stacked by decision; the numbers are in a table for screen readers. */
export function DecisionChart({ hours }: { readonly hours: Overview['hours'] }) {
  const totals = hours.map((hour) =>
    DECISIONS.reduce((sum, decision) => sum + (hour.counts[decision] ?? 0), 0),
  );
  const max = Math.max(1, ...totals);
  const width = 100 / Math.max(1, hours.length);
  return (
    <figure class="chart">
      <figcaption>Statements per hour by decision, last {hours.length} hours</figcaption>
      <svg
        viewBox="0 0 100 50"
        preserveAspectRatio="none"
        role="img"
        aria-label={`Peak ${max} statements in an hour`}
      >
        {hours.map((hour, index) => {
          let y = 50;
          return DECISIONS.map((decision) => {
            const count = hour.counts[decision] ?? 0;
            if (count === 0) return null;
            const height = (count / max) * 48;
            y -= height;
            return (
              <rect
                key={`${hour.hour}-${decision}`}
                class={`bar ${decision}`}
                x={index * width + width * 0.1}
                y={y}
                width={width * 0.8}
                height={height}
              >
                <title>{`${hourLabel(hour.hour)}: ${count} ${decision}`}</title>
              </rect>
            );
          });
        })}
      </svg>
      <div class="axis" aria-hidden="true">
        <span>{hours[0] ? `${hours.length} hours ago (${hourLabel(hours[0].hour)})` : ''}</span>
        <span>{hours.at(-1) ? `this hour (${hourLabel(hours.at(-1)?.hour ?? '')})` : ''}</span>
      </div>
      <ul class="legend">
        {DECISIONS.map((decision) => (
          <li key={decision}>
            <span class={`swatch ${decision}`} /> {decision}
          </li>
        ))}
      </ul>
    </figure>
  );
}
