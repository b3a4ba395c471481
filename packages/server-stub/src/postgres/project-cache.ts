import type { Project } from '../storage.js';

/**
 * What each process keeps in memory of the projects it serves: the project of a write key, and
 * per project what the sdk is served (active surveys, rules). It serves only while the change feed
 * listens (change-feed.ts): a change announced by any process forgets that project's entries, and
 * listening starting or stopping forgets everything, since changes may have been missed.
 * A value is cached as its pending read, so concurrent misses share one query; a read that was
 * under way when its project changed is handed to its callers but not kept.
 */
export interface ProjectCache {
  byWriteKey(writeKey: string, load: () => Promise<Project | undefined>): Promise<Project | undefined>;
  ofProject<T>(projectId: string, what: string, load: () => Promise<T>): Promise<T>;
  forget(projectId: string): void;
  listening(on: boolean): void;
}

export function projectCache(): ProjectCache {
  let serving = false;
  // An entry's project is known once its read settles; until then any change forgets it.
  const writeKeys = new Map<string, { read: Promise<Project | undefined>; projectId?: string }>();
  const perProject = new Map<string, Map<string, Promise<unknown>>>();

  function clear(): void {
    writeKeys.clear();
    perProject.clear();
  }

  return {
    byWriteKey(writeKey, load) {
      if (!serving) return load();
      const known = writeKeys.get(writeKey);
      if (known) return known.read;
      const entry: { read: Promise<Project | undefined>; projectId?: string } = { read: load() };
      writeKeys.set(writeKey, entry);
      entry.read.then(
        (project) => {
          // Unknown keys are not kept: a project created elsewhere must be found at once.
          if (project) entry.projectId = project.id;
          else if (writeKeys.get(writeKey) === entry) writeKeys.delete(writeKey);
        },
        () => writeKeys.get(writeKey) === entry && writeKeys.delete(writeKey),
      );
      return entry.read;
    },
    ofProject<T>(projectId: string, what: string, load: () => Promise<T>): Promise<T> {
      if (!serving) return load();
      let entries = perProject.get(projectId);
      if (!entries) perProject.set(projectId, (entries = new Map()));
      const known = entries.get(what);
      if (known) return known as Promise<T>;
      const read = load();
      entries.set(what, read);
      read.catch(() => perProject.get(projectId)?.get(what) === read && perProject.get(projectId)?.delete(what));
      return read;
    },
    forget(projectId) {
      perProject.delete(projectId);
      for (const [writeKey, entry] of writeKeys) {
        if (entry.projectId === undefined || entry.projectId === projectId) writeKeys.delete(writeKey);
      }
    },
    listening(on) {
      serving = on;
      clear();
    },
  };
}
