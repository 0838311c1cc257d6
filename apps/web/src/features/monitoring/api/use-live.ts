import { useEffect, useRef, useState } from 'react';
import type { LiveServerMessage, LiveSeriesMessage } from '@yunwei/contracts/dashboards';

export interface LiveSubscription {
  id: string;
  selector: string;
}

export type LiveStatus = 'connecting' | 'open' | 'closed';

function liveUrl(): string {
  const scheme = window.location.protocol === 'https:' ? 'wss' : 'ws';
  return `${scheme}://${window.location.host}/api/monitoring/live`;
}

/**
 * Keeps one WebSocket to /api/monitoring/live open while `enabled`, subscribed to `subscriptions`,
 * and hands every series message to `onSeries`. Reconnects with back-off (1 s … 30 s) after a drop.
 */
export function useLiveMetrics(subscriptions: readonly LiveSubscription[], onSeries: (message: LiveSeriesMessage) => void, enabled = true): { status: LiveStatus; dropped: number } {
  const [status, setStatus] = useState<LiveStatus>('connecting');
  const [dropped, setDropped] = useState(0);
  const handler = useRef(onSeries);
  handler.current = onSeries;
  const key = JSON.stringify(subscriptions);

  useEffect(() => {
    if (!enabled || subscriptions.length === 0) {
      setStatus('closed');
      return;
    }
    let socket: WebSocket | null = null;
    let stopped = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
    let delay = 1000;
    const open = () => {
      setStatus('connecting');
      socket = new WebSocket(liveUrl());
      socket.onopen = () => {
        delay = 1000;
        setStatus('open');
        socket?.send(JSON.stringify({ subscribe: subscriptions }));
      };
      socket.onmessage = (event) => {
        const message = JSON.parse(String(event.data)) as LiveServerMessage;
        if ('series' in message) {
          handler.current(message);
        } else if ('dropped' in message) {
          setDropped((n) => n + message.dropped);
        }
      };
      socket.onclose = () => {
        setStatus('closed');
        if (!stopped) {
          retry = setTimeout(open, delay);
          delay = Math.min(delay * 2, 30_000);
        }
      };
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(retry);
      socket?.close();
    };
    // `key` stands for the subscriptions' content (a new array each render must not reconnect).
  }, [key, enabled]);

  return { status, dropped };
}
