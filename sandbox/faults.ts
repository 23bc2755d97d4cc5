/**
 * Fault injection for the sandbox platform, configurable at runtime and seeded (same seed and
 * same request sequence → same faults). Applies to every /fhir request.
 */
import { Prng } from './seed/prng';

export interface FaultConfig {
  /** Probability in [0, 1] of answering 503 Service Unavailable. */
  errorRate?: number;
  /** Probability in [0, 1] of dropping the connection without an answer (after any 503 draw). */
  dropRate?: number;
  /** Delay added before answering, in ms. */
  latencyMs?: number;
  /** Never answer (until the server closes): simulates a hung platform. */
  hang?: boolean;
  /** Only requests whose path (after /fhir) starts with this prefix are affected. */
  pathPrefix?: string;
  /** Only requests of this HTTP method (e.g. 'POST': writes refused while reads still answer). */
  method?: string;
  /** Status of an injected error (default 503, transient); a 4xx such as 422 is a refusal the outbox does not retry. */
  status?: number;
}

export type FaultDecision =
  | { kind: 'none' }
  | { kind: 'error'; delayMs: number; status: number }
  | { kind: 'drop'; delayMs: number }
  | { kind: 'delay'; delayMs: number }
  | { kind: 'hang' };

export class Faults {
  private config: Required<Omit<FaultConfig, 'pathPrefix' | 'method'>> & { pathPrefix: string; method: string } = {
    errorRate: 0,
    dropRate: 0,
    latencyMs: 0,
    hang: false,
    pathPrefix: '',
    method: '',
    status: 503,
  };
  private rng: Prng;
  constructor(seed: number) {
    this.rng = new Prng(seed ^ 0xfa17);
  }
  set(config: FaultConfig): void {
    this.config = {
      errorRate: Math.min(1, Math.max(0, config.errorRate ?? 0)),
      dropRate: Math.min(1, Math.max(0, config.dropRate ?? 0)),
      latencyMs: Math.max(0, config.latencyMs ?? 0),
      hang: config.hang ?? false,
      pathPrefix: config.pathPrefix ?? '',
      method: (config.method ?? '').toUpperCase(),
      status: config.status ?? 503,
    };
  }
  get(): FaultConfig {
    return { ...this.config };
  }
  decide(path: string, method = 'GET'): FaultDecision {
    const c = this.config;
    if (c.pathPrefix && !path.startsWith(c.pathPrefix)) return { kind: 'none' };
    if (c.method && method.toUpperCase() !== c.method) return { kind: 'none' };
    if (c.hang) return { kind: 'hang' };
    if (c.errorRate > 0 && this.rng.next() < c.errorRate) return { kind: 'error', delayMs: c.latencyMs, status: c.status };
    if (c.dropRate > 0 && this.rng.next() < c.dropRate) return { kind: 'drop', delayMs: c.latencyMs };
    if (c.latencyMs > 0) return { kind: 'delay', delayMs: c.latencyMs };
    return { kind: 'none' };
  }
}
