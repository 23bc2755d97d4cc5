/**
 * « Demande d'avis » (issue 13 item 2), wired for the core: opinion.referents / create / list and
 * the outbox writer of kind `opinion-request`. Permissions are checked by the core's guard
 * (journal.write + journal.read-medical: contract/method-permissions.ts); the checks here are
 * about the input. Photos are prepared here, in the core, before they are queued: the window's
 * bytes never reach the platform (photo.ts: type sniffed, metadata stripped, size bounded).
 */
import { RelaisError, type ApiRequest, type ApiResponse, type OpinionReferent, type OpinionRequest, type OutboxItem } from '../../../contract';
import type { FeatureContext } from '../feature';
import { MAX_PHOTOS, preparePhoto } from './photo';
import { opinionAnnouncement, opinionRequestWriter, type OpinionRequestPayload } from './writer';

export function createOpinionFeature(o: FeatureContext) {
  const lastLists = new Map<string, Omit<OpinionRequest, 'local'>[]>();
  let referents: OpinionReferent[] | null = null;
  const directory = async (): Promise<OpinionReferent[]> => (referents ??= await o.track(() => o.platform.listOpinionReferents()));

  const pending = (patientId: string): OpinionRequest[] =>
    o.outbox
      .list(patientId)
      .filter((i) => i.kind === 'opinion-request' && i.status !== 'sent')
      .map((item) => ({ item, p: o.outbox.payloadOf(item.id) as OpinionRequestPayload | null }))
      .filter((r): r is { item: OutboxItem; p: OpinionRequestPayload } => r.p !== null)
      .map(({ item, p }) => ({
        id: item.id,
        patientId,
        referent: p.referent.display,
        question: p.question,
        photos: p.photos.length,
        authoredOn: p.authoredOn,
        status: 'requested' as const,
        answer: null,
        local: { state: item.status === 'failed-permanent' ? ('failed' as const) : ('pending' as const), error: item.lastError },
      }))
      .reverse();

  const handlers = {
    'opinion.referents': async ({ patientId }: ApiRequest<'opinion.referents'>): Promise<ApiResponse<'opinion.referents'>> => {
      o.assertKnownPatient(patientId);
      return directory();
    },

    'opinion.create': async (req: ApiRequest<'opinion.create'>): Promise<ApiResponse<'opinion.create'>> => {
      o.assertKnownPatient(req.patientId);
      if (req.photos.length > MAX_PHOTOS) throw new RelaisError('INVALID_INPUT', `at most ${MAX_PHOTOS} photos`, 'photos');
      const referent = (await directory()).find((r) => r.id === req.referentId);
      if (!referent) throw new RelaisError('INVALID_INPUT', 'not a referent of the directory', 'referentId');
      // One at a time: a 12 Mpx HEIC decoded is ~50 MB of pixels.
      const photos: OpinionRequestPayload['photos'] = [];
      for (const [i, photo] of req.photos.entries()) {
        const prepared = await preparePhoto(Buffer.from(photo.dataBase64, 'base64'));
        // The file's own name may carry the patient's name: the platform gets a neutral one.
        photos.push({ title: `photo-avis-${i + 1}.jpg`, dataBase64: prepared.data.toString('base64') });
      }
      const m = req.measurements;
      const measurements = m && (m.text?.trim() || m.lengthCm !== undefined || m.widthCm !== undefined) ? { ...(m.text?.trim() ? { text: m.text.trim() } : {}), ...(m.lengthCm !== undefined ? { lengthCm: m.lengthCm } : {}), ...(m.widthCm !== undefined ? { widthCm: m.widthCm } : {}) } : undefined;
      const payload: OpinionRequestPayload = {
        patientId: req.patientId,
        referent: { reference: `HealthcareService/${referent.id}`, display: referent.name },
        question: req.question.trim(),
        ...(measurements ? { measurements } : {}),
        photos,
        authoredOn: o.now().toISOString(),
      };
      const item = o.outbox.enqueue({
        kind: 'opinion-request',
        patientId: req.patientId,
        payload,
        summary: `Demande d'avis : ${referent.name}`,
        optimistic: { kind: 'referral', text: opinionAnnouncement(payload), category: 'care', confidentiality: 'medical' },
      });
      // What was done and to whom; never the question nor the photos (health data).
      o.store.audit(o.actor, 'opinion.create', req.patientId, JSON.stringify({ clientId: item.id, referent: payload.referent.reference, photos: photos.length }));
      return item;
    },

    'opinion.list': async ({ patientId }: ApiRequest<'opinion.list'>): Promise<ApiResponse<'opinion.list'>> => {
      o.assertKnownPatient(patientId);
      const local = pending(patientId);
      try {
        const fromPlatform = await o.track(() => o.platform.listOpinionRequests(patientId));
        lastLists.set(patientId, fromPlatform);
        return { patientId, requests: [...local, ...fromPlatform.map((r) => ({ ...r, local: null }))], source: 'platform' };
      } catch (error) {
        if (!(error instanceof RelaisError && error.code === 'PLATFORM_UNREACHABLE')) throw error;
        return { patientId, requests: [...local, ...(lastLists.get(patientId) ?? []).map((r) => ({ ...r, local: null }))], source: 'store' };
      }
    },
  };

  return { handlers, writers: { 'opinion-request': opinionRequestWriter } };
}
