import { RelaisError, type RelaisErrorShape } from '../contract';

/** Any thrown value as a boundary-safe error shape; unknown errors become INTERNAL without their stack. */
export function toErrorShape(error: unknown): RelaisErrorShape {
  if (error instanceof RelaisError) return error.toShape();
  return { code: 'INTERNAL', message: error instanceof Error ? error.message : String(error) };
}
