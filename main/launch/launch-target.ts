import type { LaunchContext, OpenedPatient } from '../../contract';

/**
 * Where the launch channels deliver: the session host (which holds a launch until someone signs
 * in) in the apps, a bare core in tests. RelaisCore and SessionHost both satisfy it.
 */
export interface LaunchTarget {
  openPatient(context: LaunchContext, channel: string): Promise<OpenedPatient>;
  /** The practice software shows another patient (context file): follow it or offer it. */
  lgcContextChanged(context: LaunchContext): void;
  launchRejected(error: unknown): void;
  readonly followLgc: boolean;
}
