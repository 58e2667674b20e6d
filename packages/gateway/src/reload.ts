import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';

/**
 * Calls `onChange` (debounced) when the config file changes. The folder is watched rather than
 * the file, because editors and config managers replace files (a new inode) instead of writing them.
 */
export function watchConfigFile(file: string, onChange: () => void, debounceMs = 100): () => void {
  const path = resolve(file);
  const name = basename(path);
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watcher: FSWatcher | undefined;
  try {
    watcher = watch(dirname(path), { persistent: false }, (_event, changed) => {
      if (changed !== null && changed.toString() !== name) return;
      clearTimeout(timer);
      timer = setTimeout(onChange, debounceMs);
    });
    watcher.on('error', () => watcher?.close());
  } catch {
    // A folder that cannot be watched (some network file systems) still reloads on SIGHUP.
  }
  return () => {
    clearTimeout(timer);
    watcher?.close();
  };
}

/** Runs `handler` on each of `signals` until the returned function is called. */
export function onSignals(signals: readonly NodeJS.Signals[], handler: (signal: NodeJS.Signals) => void): () => void {
  for (const signal of signals) process.on(signal, handler);
  return () => {
    for (const signal of signals) process.off(signal, handler);
  };
}
