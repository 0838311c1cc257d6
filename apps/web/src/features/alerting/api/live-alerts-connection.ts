import type { Alert, LiveAlertMessage } from '@yunwei/contracts/alerting';

export type LiveAlertStatus = 'connecting' | 'open' | 'closed';

export interface LiveAlertListener {
  alert?: (alert: Alert) => void;
  status?: (status: LiveAlertStatus) => void;
}

/**
 * One /api/alerting/live socket per tab, however many components listen (the header's bell is always
 * there, a page may listen too): opened with the first listener, closed with the last. Reconnects with
 * back-off (1 s … 30 s).
 */
const listeners = new Set<LiveAlertListener>();
let socket: WebSocket | null = null;
let status: LiveAlertStatus = 'closed';
let retry: ReturnType<typeof setTimeout> | undefined;
let delay = 1000;

function setStatus(next: LiveAlertStatus): void {
  status = next;
  listeners.forEach((l) => l.status?.(next));
}

function open(): void {
  setStatus('connecting');
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  const ws = new WebSocket(`${scheme}://${window.location.host}/api/alerting/live`);
  socket = ws;
  ws.onopen = () => {
    delay = 1000;
    setStatus('open');
  };
  ws.onmessage = (event) => {
    const message = JSON.parse(String(event.data)) as LiveAlertMessage;
    listeners.forEach((l) => l.alert?.(message.alert));
  };
  ws.onclose = () => {
    if (socket !== ws) {
      return; // closed on purpose (the last listener left)
    }
    socket = null;
    setStatus('closed');
    retry = setTimeout(open, delay);
    delay = Math.min(delay * 2, 30_000);
  };
}

export function liveAlertStatus(): LiveAlertStatus {
  return status;
}

/** Listens to the shared socket; returns the function that stops listening. */
export function listenToLiveAlerts(listener: LiveAlertListener): () => void {
  listeners.add(listener);
  if (listeners.size === 1) {
    open();
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0) {
      clearTimeout(retry);
      const ws = socket;
      socket = null;
      status = 'closed';
      delay = 1000;
      ws?.close();
    }
  };
}
