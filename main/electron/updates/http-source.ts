import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseLatestYml, type UpdateFeed, type UpdateInfo, type UpdateSource } from './update-policy';

/**
 * A plain-Node update source (global fetch): reads the channel file, downloads the first
 * artefact into `dir` and checks its sha512 (base64, as electron-builder writes it). Used by the
 * tests against a local server, and a reference of what electron-updater does in the shell.
 */
export function httpUpdateSource(
  dir: string,
  install: (file: string, relaunch: boolean) => void,
  /** The code-signature check electron-updater runs after the sha512 (publisher.ts): null accepts, a reason refuses. */
  verifySignature?: (file: string) => Promise<string | null>,
): UpdateSource {
  return {
    async latest(feed: UpdateFeed): Promise<UpdateInfo> {
      const res = await fetch(new URL(feed.file, feed.url), { headers: { 'cache-control': 'no-cache' } });
      if (!res.ok) throw new Error(`update feed answered ${res.status}`);
      return parseLatestYml(await res.text());
    },
    async download(feed, info, onProgress) {
      const file = info.files[0]!;
      const url = new URL(file.url, feed.url);
      if (url.origin !== new URL(feed.url).origin) throw new Error('update artefact outside the feed origin');
      const res = await fetch(url);
      if (!res.ok || !res.body) throw new Error(`update download answered ${res.status}`);
      const total = Number(res.headers.get('content-length') ?? file.size ?? 0);
      const chunks: Uint8Array[] = [];
      let received = 0;
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        chunks.push(chunk);
        received += chunk.length;
        if (total > 0) onProgress((received / total) * 100);
      }
      const bytes = Buffer.concat(chunks);
      const digest = createHash('sha512').update(bytes).digest('base64');
      if (digest !== file.sha512) throw new Error('sha512 mismatch: the downloaded update is not the one announced');
      mkdirSync(dir, { recursive: true });
      const path = join(dir, basename(url.pathname));
      writeFileSync(path, bytes, { mode: 0o600 });
      const refused = verifySignature ? await verifySignature(path) : null;
      if (refused) {
        rmSync(path, { force: true });
        throw new Error(refused);
      }
      return path;
    },
    install,
  };
}
