import { splitFragment } from './fragment.ts';

/**
 * Where the page keeps its API key: sessionStorage, so it lives as long as the tab and is gone
 * when the tab closes, and is never sent anywhere but in the Authorization header of API calls.
 */
const STORAGE_KEY = 'ringwatch.apiKey';

export const storedKey = (): string | null => sessionStorage.getItem(STORAGE_KEY);
export const storeKey = (key: string): void => sessionStorage.setItem(STORAGE_KEY, key);
export const forgetKey = (): void => sessionStorage.removeItem(STORAGE_KEY);

/**
 * Takes a key out of the address bar's fragment (`#key=…`, `#/rings/R-…&key=…`), keeps it, and
 * rewrites the address without it (replaceState: no history entry keeps it either).
 */
export function takeKeyFromFragment(): void {
  const { route, key } = splitFragment(location.hash);
  if (key === null) return;
  storeKey(key);
  history.replaceState(null, '', `${location.pathname}${location.search}#${route}`);
}
