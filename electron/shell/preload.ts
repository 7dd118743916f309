// The page's only bridge to the main process: two verbs, never ipcRenderer, fs or shell.
// Bundled to CommonJS (sandboxed preloads cannot be ES modules).
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

contextBridge.exposeInMainWorld('medbridge', {
  call: (name: string, input: unknown): Promise<unknown> => ipcRenderer.invoke('medbridge:call', String(name), input),
  onEvent: (listener: (event: unknown) => void): (() => void) => {
    const handler = (_e: IpcRendererEvent, payload: unknown) => listener(payload);
    ipcRenderer.on('medbridge:event', handler);
    return () => ipcRenderer.removeListener('medbridge:event', handler);
  },
});
