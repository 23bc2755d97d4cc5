import { useSyncExternalStore, type ComponentProps } from 'react';
import type { DraftController } from './draft-controller';
import { DraftComposer } from './DraftComposer';

type Passed = Omit<ComponentProps<typeof DraftComposer>, 'draft' | 'onChange' | 'onBlur' | 'onPost' | 'posting' | 'replyTo' | 'onCancelReply'>;

/**
 * The composer of the patient on screen, reading the draft itself: each keystroke, save and reply
 * target re-renders the composer only, not the whole window with its journal (issue 12: the draft
 * read after a patient switch re-rendered everything while the next patient was being painted).
 */
export function ComposerSlot({ drafts, patientId, ...passed }: Passed & { drafts: DraftController; patientId: string }) {
  const { draft, replyTo, posting } = useSyncExternalStore(drafts.subscribe, drafts.getState);
  if (!draft || draft.patientId !== patientId) return null;
  return (
    <DraftComposer
      {...passed}
      draft={draft}
      onChange={drafts.setDraftText}
      onBlur={drafts.flushDraft}
      onPost={drafts.post}
      posting={posting}
      replyTo={replyTo}
      onCancelReply={() => drafts.setReplyTo(null)}
    />
  );
}
