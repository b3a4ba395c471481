import type { RefusalResponse } from '@cxkit/protocol';
import type { Context, MiddlewareHandler } from 'hono';
import { admitOrigin, admitReadOrigin } from './origins.js';
import { isStorableText } from './validate.js';
import type { ProjectsPort } from './ports.js';
import type { Project } from './storage.js';

export type ReadKeyEnv = { Variables: { project: Project } };

/**
 * Guards what only a product team may see or change (metrics, responses, survey admin): the
 * secret read key as `Authorization: Bearer sk_…`, from the dashboard, a server, or a page on one
 * of the project's read origins. A write key is public and never reads. An unknown key's 401 stays
 * readable from any page: it tells nothing, and a tool on another origin can say the key is wrong.
 */
export function requireReadKey(projects: Pick<ProjectsPort, 'byReadKey'>): MiddlewareHandler<ReadKeyEnv> {
  return async (c, next) => {
    // HTTP auth schemes are case-insensitive (RFC 9110, 11.1): "bearer sk_…" is the same.
    const key = /^Bearer\s+(\S+)\s*$/i.exec(c.req.header('authorization') ?? '')?.[1] ?? '';
    const project = key ? await projects.byReadKey(key) : undefined;
    if (!project) {
      c.header('WWW-Authenticate', 'Bearer realm="cxkit"');
      return c.json({ error: key ? 'unknown read key' : 'send the read key as Authorization: Bearer sk_…' }, 401);
    }
    if (!admitReadOrigin(c, project.readOrigins)) {
      // Refused before anything is read or changed, whatever the method: a browser that sent a
      // cross-origin PUT or DELETE without asking first changes nothing.
      const origin = c.req.header('origin');
      return c.json(
        {
          error: `origin ${origin} may not use the read key of project ${project.id}; allow it with cxkit-server project set-read-origins ${project.id} --origin ${origin}`,
        },
        403,
      );
    }
    c.set('project', project);
    await next();
  };
}

/**
 * The project a write key belongs to, if the request's origin is one the project allows; else
 * the answer to send: 401 for an unknown key, 403 for a page on another origin. A write key
 * only writes (the batch) and reads survey definitions.
 */
export async function projectForWriteKey(
  c: Context,
  projects: Pick<ProjectsPort, 'byWriteKey'>,
  writeKey: string,
): Promise<Project | Response> {
  // A key no engine can look up (U+0000, a lone surrogate) is no key of ours.
  const project = isStorableText(writeKey) ? await projects.byWriteKey(writeKey) : undefined;
  if (!project) return c.json({ error: 'unknown write key', reason: 'unknown_write_key' } satisfies RefusalResponse, 401);
  if (!admitOrigin(c, project.allowedOrigins)) {
    const origin = c.req.header('origin')!;
    const refusal: RefusalResponse = {
      error: `origin ${origin} is not allowed for project ${project.id}; allow it with cxkit-server project set-origins ${project.id} --origin ${origin}, adding an --origin for each origin it allows now (set-origins replaces the list; cxkit-server project list shows it)`,
      reason: 'origin_not_allowed',
      origin,
    };
    return c.json(refusal, 403);
  }
  return project;
}
