// OS notifications when a job ends while the MedBridge window is not in front (the page shows its own toast when it
// is). Which changes are an end and the words come from shared/job-end-notice.ts; this file only talks to Electron.
import { Notification, type BrowserWindow } from 'electron';
import type { AppEvent } from '../../shared/events.ts';
import { JobEndWatcher, jobEndNotice, osNotificationWanted } from '../../shared/job-end-notice.ts';

/** Returns the event listener to add next to the window's own; clicking a notification brings the window forward. */
export function jobEndNotifier(win: BrowserWindow): (e: AppEvent) => void {
  const watcher = new JobEndWatcher();
  return (e) => {
    if (e.type !== 'job-updated') return;
    const ending = watcher.see(e.job);
    if (win.isDestroyed() || !osNotificationWanted(ending, win.isFocused()) || ending === null || !Notification.isSupported()) return;
    const notice = jobEndNotice(e.job, ending);
    const shown = new Notification({ title: notice.title, body: notice.text, urgency: notice.urgent ? 'critical' : 'normal' });
    shown.on('click', () => {
      if (win.isDestroyed()) return;
      if (win.isMinimized()) win.restore();
      win.show();
      win.focus();
    });
    shown.show();
  };
}
