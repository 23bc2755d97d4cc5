import { contextBridge, ipcRenderer } from 'electron';

/** The only bridge: invoke an API method, hear events, build an attachment URL. No logic here. */
contextBridge.exposeInMainWorld('relais', {
  invoke: (method: string, payload: unknown): Promise<unknown> => ipcRenderer.invoke('relais:invoke', method, payload),
  onEvent: (callback: (event: unknown) => void): (() => void) => {
    const listener = (_e: unknown, event: unknown) => callback(event);
    ipcRenderer.on('relais:event', listener);
    return () => ipcRenderer.removeListener('relais:event', listener);
  },
  mediaUrl: (src: string): string => `relais-media://attachment/?src=${encodeURIComponent(src)}`,
});
