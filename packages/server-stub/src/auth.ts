import type { MiddlewareHandler } from 'hono';
import type { Project, Storage } from './storage.js';

export type ReadKeyEnv = { Variables: { project: Project } };

/**
 * Guards what only a product team may see or change (metrics, responses, survey admin): the
 * secret read key as `Authorization: Bearer sk_…`. A write key is public and never reads.
 */
export function requireReadKey(storage: Storage): MiddlewareHandler<ReadKeyEnv> {
  return async (c, next) => {
    const header = c.req.header('authorization') ?? '';
    const key = header.startsWith('Bearer ') ? header.slice(7).trim() : '';
    const project = key ? storage.projectByReadKey(key) : undefined;
    if (!project) {
      c.header('WWW-Authenticate', 'Bearer realm="cxkit"');
      return c.json({ error: key ? 'unknown read key' : 'send the read key as Authorization: Bearer sk_…' }, 401);
    }
    c.set('project', project);
    await next();
  };
}
