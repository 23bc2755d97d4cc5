/**
 * Role enforcement in the core (issue 6): every handler is wrapped so a call the role may not make
 * is refused with FORBIDDEN before it runs, whatever sent it (the window, a script over the
 * WebSocket, a test calling the API directly). The UI only hides; this is the check. The platform
 * checks again on its side (sandbox/auth/access-policy.ts).
 *
 * Each refusal is written to the professional's audit trail (`permission.denied`) with the method
 * and the missing permission — never the request's content (it may hold a note or a file).
 */
import { isApiMethod, missingPermission, RelaisError, type ApiMethod, type ApiRequest, type Permission, type Role } from '../../contract';

export interface PermissionGuardOptions {
  role: () => Role;
  /** Records the refusal (the store's audit trail). */
  onDenied: (denial: { method: ApiMethod; permission: Permission; patientId: string | null }) => void;
}

/** What each permission allows, for the error's technical message and logs (the window shows ERROR_MESSAGES_FR). */
const ACTION: Record<Permission, string> = {
  'patient.read': 'read patient data',
  'journal.read-medical': 'read or mark entries as medical',
  'journal.write': 'post care entries',
  'journal.write-administrative': 'post administrative entries',
  'task.update': 'update coordination tasks',
  'prescription.write': 'prescribe',
  'pps.edit': 'edit the PPS',
  'referral.write': 'refer a patient',
  'admission.manage': 'manage admissions',
  'appointment.manage': 'manage appointments',
  'support.request': 'ask the support cell',
};

export function forbiddenByRole(role: Role, permission: Permission): RelaisError {
  return new RelaisError('FORBIDDEN', `role ${role} may not ${ACTION[permission]} (needs ${permission})`);
}

/** Wraps every handler of the table in place (call before guardHandlers, so a locked session is refused first). */
export function guardPermissions<H extends Record<string, (request: never) => Promise<unknown>>>(handlers: H, options: PermissionGuardOptions): void {
  for (const method of Object.keys(handlers) as (keyof H & string)[]) {
    if (!isApiMethod(method)) throw new Error(`handler ${method} is not an API method`);
    const table = handlers as Record<string, (request: never) => Promise<unknown>>;
    const inner = table[method]!;
    table[method] = async (request: never) => {
      const role = options.role();
      const missing = missingPermission(role, method, request as ApiRequest<typeof method> | undefined);
      if (missing) {
        const patientId = patientIdOf(request);
        options.onDenied({ method, permission: missing, patientId });
        throw forbiddenByRole(role, missing);
      }
      return inner(request);
    };
  }
}

function patientIdOf(request: unknown): string | null {
  if (request && typeof request === 'object' && 'patientId' in request) {
    const id = (request as { patientId?: unknown }).patientId;
    if (typeof id === 'string') return id;
  }
  return null;
}
