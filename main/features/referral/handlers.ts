/**
 * Referrals (« adressage »), wired for the core (main/features/feature.ts): the API handlers and the outbox
 * writer of kind `referral`. Permissions are checked by the core's guard (referral.create needs
 * referral.write: contract/method-permissions.ts); the checks here are about the input, each a
 * RelaisError naming its field so the window keeps what was typed and points at it.
 */
import {
  MAX_ATTACHMENT_BYTES,
  RelaisError,
  type ApiRequest,
  type ApiResponse,
  type OutboxItem,
  type Referral,
  type ReferralRecipient,
} from '../../../contract';
import type { FeatureContext } from '../feature';
import { announcementText } from './referral-text';
import { referralWriter, type ReferralPayload } from './writer';

/** « Sophie LAMOTHE, Infirmière à domicile »: who it goes to, as the care team will read it. */
const withRole = (name: string, role: string | null | undefined): string => (role ? `${name}, ${role}` : name);

export function createReferralFeature(o: FeatureContext) {
  const now = () => o.now();
  const actor = o.actor;
  /** Last answers of this session: the list stays readable while the platform is unreachable. */
  const lastReferrals = new Map<string, Omit<Referral, 'local'>[]>();
  let recipients: ReferralRecipient[] | null = null;

  const loadRecipients = async (): Promise<ReferralRecipient[]> => {
    try {
      recipients = await o.track(() => o.platform.listReferralRecipients());
    } catch (error) {
      if (!(error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE' && recipients)) throw error;
    }
    return recipients!;
  };

  const findRecipient = async (kind: ReferralRecipient['kind'], id: string): Promise<ReferralRecipient | undefined> => {
    const match = (list: ReferralRecipient[] | null) => list?.find((r) => r.kind === kind && r.id === id);
    return match(recipients) ?? match(await loadRecipients());
  };

  const resolveRecipient = async (req: ApiRequest<'referral.create'>): Promise<ReferralPayload['recipient']> => {
    const r = req.recipient;
    if (r.kind === 'care-team') {
      const member = (await o.careTeamOf(req.patientId)).find((m) => m.id === r.memberId);
      if (!member) throw new RelaisError('INVALID_INPUT', 'not a member of the care team', 'recipient');
      return { reference: `PractitionerRole/${member.id}`, display: withRole(member.name, member.roleLabel) };
    }
    const id = r.kind === 'practitioner' ? r.roleId : r.organizationId;
    const known = await findRecipient(r.kind, id);
    if (!known) throw new RelaisError('INVALID_INPUT', 'unknown recipient', 'recipient');
    return r.kind === 'practitioner'
      ? { reference: `PractitionerRole/${known.id}`, display: withRole(known.name, known.detail?.split(' — ')[0]) }
      : { reference: `Organization/${known.id}`, display: known.name };
  };

  /** Referrals still in the outbox (newest first), as the list shows them. */
  const pending = (patientId: string): Referral[] =>
    o.outbox
      .list(patientId)
      .filter((i) => i.kind === 'referral' && i.status !== 'sent')
      .map((item) => ({ item, p: o.outbox.payloadOf(item.id) as ReferralPayload | null }))
      .filter((r): r is { item: OutboxItem; p: ReferralPayload } => r.p !== null)
      .map(({ item, p }) => ({
        id: item.id,
        patientId,
        recipient: p.recipient.display,
        reason: p.reason,
        urgency: p.urgency,
        expectedAction: p.expectedAction ?? null,
        desiredDate: p.desiredDate ?? null,
        hasClinicalContext: !!p.clinicalContext?.trim(),
        attachments: p.attachments.map((a) => ({ title: a.title })),
        status: 'requested' as const,
        requester: o.requester,
        authoredOn: p.authoredOn,
        local: { state: item.status === 'failed-permanent' ? ('failed' as const) : ('pending' as const), error: item.lastError },
      }))
      .reverse();

  /** What was typed, as the dialog sent it, for « Modifier » if the platform refuses it (the files stay in `attachments`). */
  const formOf = ({ patientId: _p, replaces: _r, attachments: _a, ...typed }: ApiRequest<'referral.create'>): ReferralPayload['form'] => typed;

  const handlers = {
    'referral.create': async (req: ApiRequest<'referral.create'>): Promise<ApiResponse<'referral.create'>> => {
      o.assertKnownPatient(req.patientId);
      if (req.desiredDate && req.desiredDate < o.today()) throw new RelaisError('INVALID_INPUT', 'the desired date is in the past', 'desiredDate');
      for (const a of req.attachments ?? []) {
        if (Buffer.byteLength(a.dataBase64, 'base64') > MAX_ATTACHMENT_BYTES) throw new RelaisError('INVALID_INPUT', 'file larger than 10 MB', 'attachments');
      }
      const recipient = await resolveRecipient(req);
      const context = req.clinicalContext?.trim() || undefined;
      const expectedAction = req.expectedAction?.trim() || undefined;
      const payload: ReferralPayload = {
        patientId: req.patientId,
        recipient,
        reason: req.reason,
        urgency: req.urgency,
        ...(context ? { clinicalContext: context } : {}),
        ...(expectedAction ? { expectedAction } : {}),
        ...(req.desiredDate ? { desiredDate: req.desiredDate } : {}),
        attachments: req.attachments ?? [],
        authoredOn: now().toISOString(),
        form: formOf(req),
      };
      const item = o.outbox.enqueue({
        ...(req.replaces ? { replaces: req.replaces } : {}),
        kind: 'referral',
        patientId: req.patientId,
        payload,
        summary: `Adressage : ${recipient.display}`,
        optimistic: {
          kind: 'referral',
          text: announcementText({ ...payload, recipient: recipient.display }),
          urgent: req.urgency === 'urgent',
        },
      });
      // The audit says what was done and to whom, never what was written (reason and context are health data).
      o.store.audit(actor, 'referral.create', req.patientId, JSON.stringify({ clientId: item.id, urgency: req.urgency, recipient: recipient.reference }));
      return item;
    },
    'referral.list': async ({ patientId }: ApiRequest<'referral.list'>): Promise<ApiResponse<'referral.list'>> => {
      o.assertKnownPatient(patientId);
      const local = pending(patientId);
      try {
        const fromPlatform = await o.track(() => o.platform.listReferrals(patientId));
        lastReferrals.set(patientId, fromPlatform);
        return { patientId, referrals: [...local, ...fromPlatform.map((r) => ({ ...r, local: null }))], source: 'platform' };
      } catch (error) {
        if (!(error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE')) throw error;
        const kept = lastReferrals.get(patientId) ?? [];
        return { patientId, referrals: [...local, ...kept.map((r) => ({ ...r, local: null }))], source: 'store' };
      }
    },
    'referral.recipients': async (): Promise<ApiResponse<'referral.recipients'>> => loadRecipients(),
  };

  return { handlers, writers: { referral: referralWriter } };
}
