import { Notification } from 'electron';

/**
 * OS notifications that stay clickable: Electron drops a Notification's `click` once the object
 * is garbage-collected, so each one is kept here until it is clicked, closed or fails (issue 16,
 * item 0). The set is bounded: Windows' Action Center may never report an old toast closed.
 */
const live: Notification[] = [];
const MAX_LIVE = 30;

export function notify(content: { title: string; body: string }, onClick: () => void, icon: string): void {
  if (!Notification.isSupported()) return;
  const n = new Notification({ title: content.title, body: content.body, icon });
  const release = () => {
    const i = live.indexOf(n);
    if (i >= 0) live.splice(i, 1);
  };
  n.on('click', () => {
    release();
    onClick();
  });
  n.on('close', release);
  n.on('failed', release);
  live.push(n);
  if (live.length > MAX_LIVE) live.shift();
  n.show();
}

/** How many notifications are held (the recorded-electron harness checks one is). */
export function liveNotifications(): number {
  return live.length;
}
