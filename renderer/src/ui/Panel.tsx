import type React from 'react';

/** One panel: a titled, labelled region; the heading is focusable from the tab bar. */
export function Panel({
  id,
  title,
  count,
  children,
  hidden,
}: {
  id: 'treatments' | 'pps' | 'appointments' | 'admissions' | 'referrals' | 'tasks' | 'care-team';
  title: string;
  count?: number;
  children: React.ReactNode;
  hidden?: boolean;
}) {
  return (
    <section className="panel" data-testid={`panel-${id}`} aria-labelledby={`panel-${id}-title`} id={`panel-${id}`} hidden={hidden}>
      <h2 className="panel-title" id={`panel-${id}-title`}>
        {title}
        {count !== undefined && count > 0 && <span className="panel-count">{count}</span>}
      </h2>
      {children}
    </section>
  );
}
