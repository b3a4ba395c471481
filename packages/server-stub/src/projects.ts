import { randomBytes } from 'node:crypto';
import { normalizeOrigin } from './origins.js';
import type { ProjectsPort } from './ports.js';
import type { Project } from './storage.js';

/** A public write key (131 random bits): it ships in every page that embeds cxkit, so it only writes. */
export const newWriteKey = (): string => `pk_${randomToken(22)}`;
/** A secret read key (190 random bits); only its SHA-256 is stored. */
export const newReadKey = (): string => `sk_${randomToken(32)}`;

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Letters and digits only, so a double click selects the whole key. */
function randomToken(length: number): string {
  let token = '';
  while (token.length < length) {
    for (const byte of randomBytes(length)) {
      // 248 = 4 × 62: bytes above it are skipped so every character is equally likely.
      if (byte < 248 && token.length < length) token += ALPHABET[byte % 62];
    }
  }
  return token;
}

export interface CreatedProject {
  project: Project;
  /** In clear only here: the server keeps its hash. */
  readKey: string;
}

/** A new project with fresh keys; its id is made from the name (acme, acme-2, …). */
export async function createProject(projects: ProjectsPort, name: string, origins: string[]): Promise<CreatedProject> {
  const trimmed = name.trim();
  if (!trimmed) throw new Error('a project needs a name, e.g. --name "Acme"');
  const allowedOrigins = parseOrigins(origins);
  const project = { id: await freeId(projects, trimmed), name: trimmed, writeKey: newWriteKey(), allowedOrigins, readOrigins: [] };
  const readKey = newReadKey();
  if (!(await projects.ensure({ ...project, readKey }))) throw new Error(`project ${project.id} exists already`);
  return { project, readKey };
}

/** The origins of the pages allowed to send, as browsers write them; at least one. */
export function parseOrigins(origins: string[]): string[] {
  if (origins.length === 0) {
    throw new Error("name the pages' origins, e.g. --origin https://app.example.com (--origin '*' allows any)");
  }
  return [...new Set(origins.map(normalizeOrigin))];
}

/**
 * The origins of the pages, besides the dashboard, allowed to use the read key; none is allowed.
 * Never `*`: the read key would then work from any page that got hold of it.
 */
export function parseReadOrigins(origins: string[]): string[] {
  if (origins.some((origin) => origin.trim() === '*')) {
    throw new Error(
      "the read key cannot be usable from any page (--origin '*'); name the pages' origins, e.g. --origin https://admin.example.com, or none for the dashboard only",
    );
  }
  return [...new Set(origins.map(normalizeOrigin))];
}

async function freeId(projects: ProjectsPort, name: string): Promise<string> {
  const base =
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .slice(0, 40)
      .replace(/^-+|-+$/g, '') || 'project';
  const taken = new Set((await projects.list()).map((p) => p.id));
  let id = base;
  for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
  return id;
}
