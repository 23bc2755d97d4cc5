import { RelaisError, type LaunchContext } from '../../contract';
import { RAW_LAUNCH_FIELDS, launchContextFromValues, type RawLaunchValues } from './context';

export const PROTOCOL = 'relais';
/** Longest launch URL accepted (Windows' INTERNET_MAX_URL_LENGTH is 2083). */
export const MAX_URL_LENGTH = 2048;

/**
 * relais://patient/open?ins=…&oid=…&birthName=…&firstNames=…&birthDate=YYYY-MM-DD&sex=F|M|U&birthPlace=…
 * (documented in docs/lgc-integration.md). Anything else is LAUNCH_URL_MALFORMED.
 */
export function parseLaunchUrl(raw: string): LaunchContext {
  if (typeof raw !== 'string' || raw.length > MAX_URL_LENGTH) {
    throw new RelaisError('LAUNCH_URL_MALFORMED', 'launch URL missing or too long');
  }
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new RelaisError('LAUNCH_URL_MALFORMED', 'not a URL');
  }
  // Windows shells sometimes add a trailing slash to the path: relais://patient/open/?…
  const route = `${url.host}${url.pathname}`.replace(/\/+$/, '').toLowerCase();
  if (url.protocol !== `${PROTOCOL}:` || route !== 'patient/open') {
    throw new RelaisError('LAUNCH_URL_MALFORMED', `unsupported launch URL: ${url.protocol}//${route}`);
  }
  return launchContextFromQuery(url.searchParams);
}

/**
 * The query parameters shared by relais:// URLs and the loopback endpoint. Unknown parameters are
 * ignored; a launch parameter given twice is ambiguous about the patient, hence refused.
 */
export function launchContextFromQuery(q: URLSearchParams): LaunchContext {
  const values: RawLaunchValues = {};
  for (const name of RAW_LAUNCH_FIELDS) {
    const all = q.getAll(name);
    if (all.length > 1) throw new RelaisError('LAUNCH_URL_MALFORMED', `parameter given twice: ${name}`, name);
    if (all.length === 1) values[name] = all[0];
  }
  return launchContextFromValues(values);
}

export function buildLaunchUrl(context: LaunchContext): string {
  const q = new URLSearchParams({
    ...(context.ins ? { ins: context.ins.value, oid: context.ins.oid } : {}),
    birthName: context.birthName,
    firstNames: context.firstNames.join(','),
    birthDate: context.birthDate,
    sex: context.sex,
  });
  if (context.birthPlace) q.set('birthPlace', context.birthPlace);
  if (context.lgcPatientId) q.set('lgcPatientId', context.lgcPatientId);
  if (context.practitionerRpps) q.set('rpps', context.practitionerRpps);
  return `${PROTOCOL}://patient/open?${q.toString()}`;
}
