import { useRef, useState } from 'react';
import { MAX_ATTACHMENT_BYTES, type PostAttachment } from '../contract';

export type PickedFile = PostAttachment & { size: number };

/** A file's bytes as base64 (what journal.post and the requests carry). */
export function readAsBase64(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('read failed'));
    reader.readAsDataURL(blob);
  });
}

/**
 * The documents joined to a request (admission, referral): five at most, 10 MB each; what is
 * refused is said in `notice`, the rest is kept. The hidden file input is reset after each pick.
 */
export function useAttachments(messages: { tooMany: string; tooLarge: (title: string) => string }, initial?: readonly PostAttachment[]) {
  const input = useRef<HTMLInputElement>(null);
  // « Modifier » on a refused request starts from its files (their size from the base64 length).
  const [files, setFiles] = useState<PickedFile[]>(() =>
    (initial ?? []).map((f) => ({ ...f, size: Math.floor((f.dataBase64.length * 3) / 4) - (f.dataBase64.match(/=+$/)?.[0].length ?? 0) })),
  );
  const [notice, setNotice] = useState<string | null>(null);
  const add = async (list: FileList | null) => {
    if (!list) return;
    const next = [...files];
    for (const file of [...list]) {
      if (next.length >= 5) {
        setNotice(messages.tooMany);
        break;
      }
      if (file.size > MAX_ATTACHMENT_BYTES) {
        setNotice(messages.tooLarge(file.name));
        continue;
      }
      next.push({
        contentType: file.type || 'application/octet-stream',
        title: file.name,
        dataBase64: await readAsBase64(file),
        size: file.size,
      });
    }
    setFiles(next);
    if (input.current) input.current.value = '';
  };
  const remove = (index: number) => setFiles(files.filter((_, j) => j !== index));
  return { input, files, notice, add, remove };
}
