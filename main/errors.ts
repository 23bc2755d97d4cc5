import { RelaisError, type RelaisErrorShape } from '../contract';

/** Any thrown value as a boundary-safe error shape; unknown errors become INTERNAL without their stack. */
export function toErrorShape(error: unknown): RelaisErrorShape {
  if (error instanceof RelaisError) {
    // A finer cause (PscError.reason) lets the window word the failure; never secrets, a fixed code.
    const reason = (error as { reason?: unknown }).reason;
    return typeof reason === 'string' ? { ...error.toShape(), reason } : error.toShape();
  }
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
