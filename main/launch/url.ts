import { RelaisError, type LaunchContext } from '../../contract';
import { launchContextFromValues } from './context';

export const PROTOCOL = 'relais';
const MAX_URL_LENGTH = 2048;

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
  const q = url.searchParams;
  const get = (name: string) => q.get(name) ?? undefined;
  return launchContextFromValues({
    ins: get('ins'),
    oid: get('oid'),
    birthName: get('birthName'),
    firstNames: get('firstNames'),
    birthDate: get('birthDate'),
    sex: get('sex'),
    birthPlace: get('birthPlace'),
    lgcPatientId: get('lgcPatientId'),
    rpps: get('rpps'),
  });
}

export function buildLaunchUrl(context: LaunchContext): string {
  const q = new URLSearchParams({
    ins: context.ins.value,
    oid: context.ins.oid,
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
