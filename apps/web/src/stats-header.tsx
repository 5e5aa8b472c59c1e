// The counts over all the person's tasks (not just the filtered list), "due today" in their zone.
import { useQuery } from '@tanstack/react-query';
import { useTRPC } from '@tasks/client/react-query';
import { browserTimeZone } from './list-input.ts';

const LABELS = [
  ['total', 'Total'],
  ['pending', 'Pending'],
  ['completed', 'Completed'],
  ['overdue', 'Overdue'],
  ['dueToday', 'Due today'],
] as const;

export function StatsHeader() {
  const trpc = useTRPC();
  const stats = useQuery(trpc.tasks.stats.queryOptions({ timeZone: browserTimeZone() }));
  return (
    <section aria-label="Task counts" className="stats">
      <dl>
        {LABELS.map(([key, label]) => (
          <div key={key}>
            <dt>{label}</dt>
            <dd data-testid={`stat-${key}`}>{stats.data ? stats.data[key] : '–'}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
