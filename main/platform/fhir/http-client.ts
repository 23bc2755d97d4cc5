/**
 * The platform's HTTP client: axios with keep-alive and gzip, the bearer token on every request,
 * conditional (`If-None-Match`) searches, and paging that never follows a link off the platform.
 * Every failure becomes a RelaisError (see http-errors.ts).
 */
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import type { Bundle, BundleEntry, Resource } from '@medplum/fhirtypes';
import { RelaisError } from '../../../contract';
import { ConditionalCache } from './conditional-cache';
import { toRelaisError, type NotFoundCode } from './http-errors';

export interface FhirPlatformOptions {
  /** FHIR base URL, e.g. http://127.0.0.1:8787/fhir */
  baseUrl: string;
  /** Per-request timeout in ms (default 15 000). */
  timeoutMs?: number;
  /** Bearer token provider (Pro Santé Connect / card session); called before every request. */
  getAccessToken?: () => Promise<string | undefined> | string | undefined;
  /** Ask for gzip answers (default true; the bench turns it off to measure what it gives). */
  compress?: boolean;
  /** Reuse connections (default true; the bench turns it off to measure what it gives). */
  keepAlive?: boolean;
  /** Conditional searches, `If-None-Match` (default true; the bench turns it off to measure what it gives). */
  conditional?: boolean;
}

export interface FhirHttp {
  baseUrl: string;
  /** The base as a URL (with its trailing slash), to check links against. */
  base: URL;
  http: AxiosInstance;
  get<T>(url: string, what: string, config?: AxiosRequestConfig, notFound?: NotFoundCode): Promise<T>;
  /** A search asked again and again: conditional, an unchanged answer reused (304). */
  getSearch<T>(url: string, what: string, config?: AxiosRequestConfig): Promise<T>;
  /** Pages of a search, following `next` links (or resuming from one). */
  searchPages(path: string, params: Record<string, string | string[]>, what: string, resumeFrom?: string, conditional?: boolean): AsyncGenerator<Bundle>;
  /** Every entry of a search, all pages (small result sets). */
  searchAll(path: string, params: Record<string, string | string[]>, what: string): Promise<BundleEntry[]>;
}

function isBundle(x: unknown): x is Bundle {
  return !!x && typeof x === 'object' && (x as Resource).resourceType === 'Bundle';
}

export function createFhirHttp(options: FhirPlatformOptions): FhirHttp {
  const baseUrl = options.baseUrl.replace(/\/+$/, '');
  const base = new URL(baseUrl + '/');
  const http: AxiosInstance = axios.create({
    baseURL: baseUrl + '/',
    timeout: options.timeoutMs ?? 15_000,
    // gzip: a journal page compresses ~10×; on a 20 Mbit/s line that is most of its time.
    headers: { Accept: 'application/fhir+json', 'Accept-Encoding': options.compress === false ? 'identity' : 'gzip' },
    decompress: true,
    // A FHIR server answers JSON; keep axios from guessing.
    responseType: 'json',
    // Keep-alive: over a WAN every new connection costs a round trip (two with TLS).
    httpAgent: new HttpAgent({ keepAlive: options.keepAlive ?? true, maxSockets: 8 }),
    httpsAgent: new HttpsAgent({ keepAlive: options.keepAlive ?? true, maxSockets: 8 }),
  });
  http.interceptors.request.use(async (config) => {
    const token = await options.getAccessToken?.();
    if (token) config.headers.set('Authorization', `Bearer ${token}`);
    return config;
  });

  const get = async <T>(url: string, what: string, config?: AxiosRequestConfig, notFound?: NotFoundCode): Promise<T> => {
    try {
      const res = await http.get<T>(url, config);
      return res.data;
    } catch (err) {
      throw toRelaisError(err, what, notFound);
    }
  };

  /**
   * Searches asked again and again (panels, directory): the platform's ETag and last answer are
   * kept per URL; asked with `If-None-Match`, an unchanged answer comes back as a 304 without a
   * body. Saves the bytes and the JSON parse, not the round trip (docs/performance.md).
   */
  const validated = new ConditionalCache();
  const getSearch = async <T>(url: string, what: string, config?: AxiosRequestConfig): Promise<T> => {
    if (options.conditional === false) return get<T>(url, what, config);
    const key = http.getUri({ ...config, url });
    const known = validated.get(key);
    try {
      const res = await http.get<T>(url, {
        ...config,
        headers: known ? { 'If-None-Match': known.etag } : {},
        validateStatus: (s) => (s >= 200 && s < 300) || (s === 304 && !!known),
      });
      if (res.status === 304 && known) return validated.reuse<T>(key, known);
      const etag = res.headers.etag;
      if (typeof etag === 'string' && etag) validated.set(key, etag, res.data);
      else validated.delete(key);
      return res.data;
    } catch (err) {
      throw toRelaisError(err, what);
    }
  };

  /** Only follow `next` links that stay on the platform (never send the token elsewhere). */
  const checkSameOrigin = (link: string): string => {
    const u = new URL(link, base);
    if (u.origin !== base.origin || !u.pathname.startsWith(base.pathname.replace(/\/$/, ''))) {
      throw new RelaisError('PLATFORM_ERROR', `Refusing to follow a paging link outside the platform: ${u.origin}${u.pathname}`);
    }
    return u.href;
  };

  /** Pages of a search, following `next` links. */
  async function* searchPages(
    path: string,
    params: Record<string, string | string[]>,
    what: string,
    resumeFrom?: string,
    conditional = true,
  ): AsyncGenerator<Bundle> {
    const qs = new URLSearchParams();
    for (const [k, v] of Object.entries(params)) for (const one of Array.isArray(v) ? v : [v]) qs.append(k, one);
    let url: string | undefined = resumeFrom ? checkSameOrigin(resumeFrom) : `${path}?${qs.toString()}`;
    let guard = 0;
    while (url) {
      const bundle: unknown = conditional ? await getSearch<unknown>(url, what) : await get<unknown>(url, what);
      if (!isBundle(bundle)) throw new RelaisError('PLATFORM_ERROR', `${what}: the platform did not answer a Bundle`);
      yield bundle;
      const next = bundle.link?.find((l) => l.relation === 'next')?.url;
      url = next ? checkSameOrigin(next) : undefined;
      if (++guard > 100_000) throw new RelaisError('PLATFORM_ERROR', `${what}: too many pages`);
    }
  }

  /** Every entry of a search, all pages (small result sets: a patient's requests, their tasks). */
  const searchAll = async (path: string, params: Record<string, string | string[]>, what: string): Promise<BundleEntry[]> => {
    const entries: BundleEntry[] = [];
    for await (const page of searchPages(path, params, what)) entries.push(...(page.entry ?? []));
    return entries;
  };

  return { baseUrl, base, http, get, getSearch, searchPages, searchAll };
}
