/**
 * « A prescription is being signed » for the update policy (issue 16, item 1): an update must
 * never install (and quit the app) between the PIN entry and the signed ordonnance reaching the
 * outbox. Process-wide on purpose: one machine, one card reader, and the shell's update adapter
 * has no composition to ask when it decides. Counted, so nested or parallel signings both hold it.
 */
let active = 0;

export function signingInProgress(): boolean {
  return active > 0;
}

export async function whileSigning<T>(run: () => Promise<T>): Promise<T> {
  active += 1;
  try {
    return await run();
  } finally {
    active -= 1;
  }
}
