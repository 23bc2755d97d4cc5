import { fr } from '../i18n/fr';
import { FormDialog } from '../ui/FormDialog';
import { SHORTCUTS } from './shortcuts';

/** « Raccourcis »: the shortcuts of the window, as a sheet (F1, « ? », or the top bar button). */
export function ShortcutsSheet({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <FormDialog open={open} testId="shortcuts-sheet" onClose={onClose}>
      {(titleId) => (
        <>
          <h2 id={titleId} className="agenda-dialog-title">
            {fr.layout.shortcuts.title}
          </h2>
          <p className="agenda-dialog-context">{fr.layout.shortcuts.intro}</p>
          <table className="shortcuts-table">
            <thead>
              <tr>
                <th scope="col">{fr.layout.shortcuts.keys}</th>
                <th scope="col">{fr.layout.shortcuts.action}</th>
              </tr>
            </thead>
            <tbody>
              {SHORTCUTS.map((s) => (
                <tr key={s.action} data-action={s.action}>
                  <td>
                    {s.keys.map((k, i) => (
                      <span key={k}>
                        {i > 0 && ' ou '}
                        <kbd>{k}</kbd>
                      </span>
                    ))}
                  </td>
                  <td>{fr.layout.shortcuts.list[s.action]}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <div className="agenda-dialog-actions">
            <button type="button" className="button" onClick={onClose} autoFocus>
              {fr.layout.shortcuts.close}
            </button>
          </div>
        </>
      )}
    </FormDialog>
  );
}
