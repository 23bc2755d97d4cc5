import type React from 'react';

/** One panel: a titled, labelled region; the heading is focusable from the tab bar. */
export function Panel({
  id,
  title,
  count,
  children,
  hidden,
  className,
}: {
  id: 'treatments' | 'pps' | 'appointments' | 'admissions' | 'referrals' | 'support' | 'stays' | 'opinion' | 'tasks' | 'care-team';
  title: string;
  count?: number;
  children: React.ReactNode;
  hidden?: boolean;
  /** The feature's own class beside « panel » (its styles). */
  className?: string;
}) {
  return (
    <section className={className ? `panel ${className}` : 'panel'} data-testid={`panel-${id}`} aria-labelledby={`panel-${id}-title`} id={`panel-${id}`} hidden={hidden}>
      <h2 className="panel-title" id={`panel-${id}-title`}>
        {title}
        {count !== undefined && count > 0 && <span className="panel-count">{count}</span>}
      </h2>
      {children}
    </section>
  );
}
