import type { Manager, Notification } from '../../index.js';

/**
 * Wait for the next notification, or until `signal` aborts (resolves `'interrupted'`) or the
 * session ends (resolves `'ended'` when we closed it, throws the session's error otherwise).
 */
export async function nextEvent(m: Manager, signal: AbortSignal): Promise<Notification | 'interrupted' | 'ended'> {
  if (signal.aborted) return 'interrupted';
  try {
    return (await m.notifications().next(signal)) ?? 'ended';
  } catch (err) {
    if (signal.aborted) return 'interrupted';
    throw err;
  }
}
