import { shell } from 'electron';
import type { OpenExternal } from '../auth/psc/open-external';

/** Pro Santé Connect in the system browser (main/auth/psc): only https URLs leave the app. */
export const electronOpenExternal: OpenExternal = async (url) => {
  if (new URL(url).protocol !== 'https:') throw new Error(`refusing to open a non-https URL: ${url}`);
  await shell.openExternal(url, { activate: true });
};
