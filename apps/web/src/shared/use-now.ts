import { useEffect, useState } from 'react';

/** The time now, re-rendering every `everyMs` (default a second), so ages ("12 秒前") move between refreshes. */
export function useNow(everyMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}
