import type { OutboxKind, RelaisClient } from '../contract';

/** A schema's parse, as zod gives it: what came back from the core is checked before a form is filled with it. */
interface Parser<T> {
  safeParse(value: unknown): { success: true; data: T } | { success: false };
}

/**
 * What the professional typed for a refused outbox item (« Modifier »), read back through
 * `outbox.form` and checked against the dialog's request schema. Null when the item is no longer
 * refused (sent again from another window), is of another kind, or kept no form.
 */
export async function readRefusedForm<T>(client: RelaisClient, clientId: string, kind: OutboxKind, schema: Parser<T>): Promise<T | null> {
  const r = await client.call('outbox.form', { clientId });
  if (!r.ok || !r.value || r.value.kind !== kind) return null;
  const parsed = schema.safeParse(r.value.form);
  return parsed.success ? parsed.data : null;
}
