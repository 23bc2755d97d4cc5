/**
 * The platform's scripted actors (issue 13) for the demo (`npm run sandbox`): each polls the
 * sandbox as a FHIR client and answers what Relais sent. Tests call the actors directly instead,
 * so what happens is deterministic.
 */
import { advanceSupportRequests } from './coordinator';
import { answerOpinionRequests } from './opinion-referent';

export function startActors(baseUrl: string, options: { token?: string; intervalMs?: number } = {}): () => void {
  const tick = () => {
    advanceSupportRequests(baseUrl, { ...(options.token ? { token: options.token } : {}) }).catch((err: unknown) => console.error(`[sandbox] actors: ${String(err)}`));
    answerOpinionRequests(baseUrl, { ...(options.token ? { token: options.token } : {}) }).catch((err: unknown) => console.error(`[sandbox] actors: ${String(err)}`));
  };
  const timer = setInterval(tick, options.intervalMs ?? 20_000);
  timer.unref();
  return () => clearInterval(timer);
}
