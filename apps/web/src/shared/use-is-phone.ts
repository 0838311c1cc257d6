import { useSyncExternalStore } from 'react';

/**
 * Below AntD's `md` breakpoint (768 px): a phone, held upright. Read from `matchMedia` synchronously so
 * the first render already has the right layout (AntD's `Grid.useBreakpoint` is empty until its effect
 * runs, which would flash the desktop sidebar over a phone screen).
 */
const PHONE_QUERY = '(max-width: 767.98px)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(PHONE_QUERY);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

const isPhoneNow = () => window.matchMedia(PHONE_QUERY).matches;

export function useIsPhone(): boolean {
  return useSyncExternalStore(subscribe, isPhoneNow, () => false);
}

/** The smallest comfortable touch target (Apple HIG and Material both say 44–48 px). */
export const TOUCH_TARGET = 44;
