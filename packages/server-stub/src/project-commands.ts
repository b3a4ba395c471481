import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { createProject, newReadKey, parseOrigins, parseReadOrigins } from './projects.js';
import { isPostgresUrl, openStorage } from './open-storage.js';
import type { ProjectsPort, RetentionPort } from './ports.js';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS, parseRetentionDays } from './retention.js';

export const PROJECT_USAGE = `Usage: cxkit-server project <command> [--db ./cxkit.db | postgres://…]

  create --name "Acme" --origin https://app.acme.com [--origin …]
      creates a project and prints its write key and its read key; the read key is shown
      only this once (the server keeps a hash of it)
  list
      prints every project: id, name, write key, allowed origins, read origins, creation date
  set-origins <id> --origin https://app.acme.com [--origin …]
      replaces the origins allowed to send with the project's write key
  set-read-origins <id> [--origin https://admin.acme.com …]
      replaces the origins whose pages may use the project's read key (the API from a browser);
      the dashboard, on the server's own origin, always may; no --origin allows no other page
  rotate-read-key <id>
      prints a new read key for the project; the old one stops working at once
  set-retention <id> --days 90|forever
      keeps the project's raw events (track, session_start, active, identify) this many days
      (7 to 3650), or for ever (the default); survey answers, displays and DAU/MAU are always kept

--origin takes an origin as browsers send it (https://app.acme.com, http://localhost:5173),
any subdomain (https://*.acme.com), or * for any page (not for reading). A running server sees
changes at once.`;

/** `cxkit-server project …`: how self-hosters create projects and get their keys. */
export async function runProjectCommand(argv: string[], print: (text: string) => void): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      db: { type: 'string', default: process.env.DATABASE_URL || './cxkit.db' },
      name: { type: 'string' },
      origin: { type: 'string', multiple: true, default: [] },
      days: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const [command, id] = positionals;
  if (values.help || command === undefined) return print(PROJECT_USAGE);
  if (!['create', 'list', 'set-origins', 'set-read-origins', 'rotate-read-key', 'set-retention'].includes(command)) {
    throw new Error(`unknown command "project ${command}"\n\n${PROJECT_USAGE}`);
  }
  // Only create may start a new database; anywhere else a missing file is a mistyped --db.
  if (command !== 'create' && !isPostgresUrl(values.db) && !existsSync(values.db)) throw new Error(`there is no database at ${values.db}`);
  const { storage } = await openStorage(values.db);
  try {
    const { projects } = storage;
    if (command === 'create') await create(projects, values.name ?? '', values.origin, print);
    else if (command === 'list') await list(projects, print);
    else if (command === 'set-origins') await setOrigins(projects, requireId(command, id), values.origin, print);
    else if (command === 'set-read-origins') await setReadOrigins(projects, requireId(command, id), values.origin, print);
    else if (command === 'rotate-read-key') await rotateReadKey(projects, requireId(command, id), print);
    else await setRetention(storage.retention, requireId(command, id), values.days, print);
  } finally {
    await storage.close();
  }
}

async function create(projects: ProjectsPort, name: string, origins: string[], print: (text: string) => void): Promise<void> {
  const { project, readKey } = await createProject(projects, name, origins);
  print(`Created project ${project.id} (${project.name})

  write key  ${project.writeKey}
             public: put it in the page, cxkit.init({ writeKey: '${project.writeKey}' })
  read key   ${readKey}
             secret: for the dashboard and the API; it is shown only this once
  origins    ${project.allowedOrigins.join(' ')}`);
}

async function list(projects: ProjectsPort, print: (text: string) => void): Promise<void> {
  const rows = (await projects.list()).map((p) => [
    p.id,
    p.name,
    p.writeKey,
    p.allowedOrigins.join(' '),
    p.readOrigins.join(' ') || '-',
    new Date(p.createdAt).toISOString().slice(0, 10),
  ]);
  if (rows.length === 0) return print('No projects yet: cxkit-server project create --name "Acme" --origin https://app.acme.com');
  const table = [['id', 'name', 'write key', 'origins', 'read origins', 'created'], ...rows];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((row) => row[column]!.length)));
  print(table.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  ').trimEnd()).join('\n'));
}

async function setOrigins(projects: ProjectsPort, id: string, origins: string[], print: (text: string) => void): Promise<void> {
  const allowed = parseOrigins(origins);
  if (!(await projects.setAllowedOrigins(id, allowed))) throw new Error(`there is no project ${id} (see project list)`);
  print(`Project ${id} now accepts events from ${allowed.join(' ')}`);
}

async function setReadOrigins(projects: ProjectsPort, id: string, origins: string[], print: (text: string) => void): Promise<void> {
  const allowed = parseReadOrigins(origins);
  if (!(await projects.setReadOrigins(id, allowed))) throw new Error(`there is no project ${id} (see project list)`);
  print(
    allowed.length === 0
      ? `Project ${id}'s read key now works from the dashboard and from servers only, from no other page`
      : `Project ${id}'s read key now also works from pages on ${allowed.join(' ')}`,
  );
}

async function rotateReadKey(projects: ProjectsPort, id: string, print: (text: string) => void): Promise<void> {
  const readKey = newReadKey();
  if (!(await projects.setReadKey(id, readKey))) throw new Error(`there is no project ${id} (see project list)`);
  print(`New read key for ${id}: ${readKey}\nIt is shown only this once; the old read key no longer works.`);
}

async function setRetention(retention: RetentionPort, id: string, daysText: string | undefined, print: (text: string) => void): Promise<void> {
  const days = daysText === 'forever' ? null : parseRetentionDays(/^\d+$/.test(daysText ?? '') ? Number(daysText) : undefined);
  if (days === undefined) throw new Error(`project set-retention needs --days: whole days from ${MIN_RETENTION_DAYS} to ${MAX_RETENTION_DAYS}, or forever`);
  if (!(await retention.setRawEventDays(id, days))) throw new Error(`there is no project ${id} (see project list)`);
  // A running server deletes what expired on its next sweep (within the hour).
  print(days === null ? `Project ${id} now keeps its raw events for ever` : `Project ${id} now keeps its raw events ${days} days`);
}

function requireId(command: string, id: string | undefined): string {
  if (id === undefined) throw new Error(`project ${command} needs the project's id (see project list)`);
  return id;
}
