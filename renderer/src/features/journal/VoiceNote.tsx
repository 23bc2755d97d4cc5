import { useCallback, useRef, useState } from 'react';
import { fr } from '../../i18n/fr';
import './conversation.css';

/** `0:42`, `12:05`: whole seconds as the browser's player counts them (a note under a second reads 0:01). */
export function formatDuration(seconds: number): string {
  const s = seconds > 0 ? Math.max(1, Math.floor(seconds)) : 0;
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A voice note with its length shown before it is played. The player used to say « 0:00 / 0:00 »:
 * it was told preload="none", so the browser never read the file's header. Now it reads the
 * metadata only (a few KB of a WAV); a recording without a duration in its header (WebM/Opus from
 * a phone's MediaRecorder reports Infinity) is measured once by seeking far past its end.
 */
export function VoiceNote({ src, title, onError }: { src: string; title: string; onError: () => void }) {
  const [duration, setDuration] = useState<number | null>(null);
  const measuring = useRef(false);
  const read = useCallback((audio: HTMLAudioElement) => {
    const d = audio.duration;
    if (Number.isFinite(d) && d > 0) {
      setDuration(d);
      if (measuring.current) {
        measuring.current = false;
        audio.currentTime = 0;
      }
    } else if (d === Infinity && !measuring.current) {
      measuring.current = true;
      audio.currentTime = 1e7;
    }
  }, []);
  const shown = duration === null ? null : formatDuration(duration);
  return (
    <>
      <audio
        controls
        preload="metadata"
        src={src}
        aria-label={shown ? fr.flow.journal.voiceDurationLabel(title, shown) : fr.attachment.audio(title)}
        onLoadedMetadata={(e) => read(e.currentTarget)}
        onDurationChange={(e) => read(e.currentTarget)}
        onError={onError}
        data-testid="voice-note"
      />
      {shown && (
        <span className="voice-duration" data-testid="voice-duration">
          {fr.flow.journal.voiceDuration(shown)}
        </span>
      )}
    </>
  );
}
