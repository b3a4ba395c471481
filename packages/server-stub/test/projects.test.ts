import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { runProjectCommand } from '../src/project-commands';
import { createProject } from '../src/projects';
import { openSqlite } from '../src/sqlite/open';

let storage: ReturnType<typeof openSqlite>;
beforeEach(async () => {
  storage = openSqlite(':memory:');
});
afterEach(async () => await storage.close());

test('a new project gets a public write key and a secret read key that is kept only as a hash', async () => {
  const { project, readKey } = await createProject(storage.projects, 'Acme Books', ['https://app.acme.com/']);
  expect(project).toMatchObject({ id: 'acme-books', name: 'Acme Books', allowedOrigins: ['https://app.acme.com'] });
  expect(project.writeKey).toMatch(/^pk_[0-9A-Za-z]{22}$/);
  expect(readKey).toMatch(/^sk_[0-9A-Za-z]{32}$/);
  expect(JSON.stringify(storage.db.prepare('SELECT * FROM projects').all())).not.toContain(readKey.slice(3));
  expect((await storage.projects.byReadKey(readKey))?.id).toBe('acme-books');
  expect((await storage.projects.byWriteKey(project.writeKey))?.id).toBe('acme-books');
});

test('a write key is never a read key, and the other way round', async () => {
  const { project, readKey } = await createProject(storage.projects, 'Acme', ['*']);
  expect(await storage.projects.byReadKey(project.writeKey)).toBeUndefined();
  expect(await storage.projects.byWriteKey(readKey)).toBeUndefined();
});

test('every project gets its own keys and an id made from its name', async () => {
  const first = await createProject(storage.projects, 'Acme Books', ['*']);
  const second = await createProject(storage.projects, 'Acme Books', ['*']);
  const odd = await createProject(storage.projects, '  ¿¡ !!  ', ['*']);
  expect([first.project.id, second.project.id, odd.project.id]).toEqual(['acme-books', 'acme-books-2', 'project']);
  expect(second.project.writeKey).not.toBe(first.project.writeKey);
  expect(second.readKey).not.toBe(first.readKey);
});

test('a project needs a name and at least one valid origin', async () => {
  await expect(createProject(storage.projects, ' ', ['*'])).rejects.toThrow(/needs a name/);
  await expect(createProject(storage.projects, 'Acme', [])).rejects.toThrow(/--origin/);
  await expect(createProject(storage.projects, 'Acme', ['https://app.acme.com/cart'])).rejects.toThrow(/more than an origin/);
  expect(await storage.projects.list()).toEqual([]);
});

test('project commands create, list, change origins, rotate the read key and set the retention of a database file', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-projects-'));
  const db = join(dir, 'cxkit.db');
  const out: string[] = [];
  const run = (...args: string[]) => runProjectCommand([...args, '--db', db], (text) => out.push(text));
  try {
    await run('create', '--name', 'Acme', '--origin', 'https://app.acme.com', '--origin', 'https://*.acme.dev');
    const created = out.pop()!;
    const writeKey = /write key\s+(pk_\w+)/.exec(created)![1]!;
    const readKey = /read key\s+(sk_\w+)/.exec(created)![1]!;

    await run('list');
    const listing = out.pop()!;
    expect(listing).toContain(writeKey);
    expect(listing).toContain('https://app.acme.com https://*.acme.dev');
    expect(listing).not.toContain(readKey);

    await run('set-origins', 'acme', '--origin', 'http://localhost:5173');
    await run('rotate-read-key', 'acme');
    const rotated = /(sk_\w+)/.exec(out.pop()!)![1]!;
    await run('set-retention', 'acme', '--days', '90');
    expect(out.pop()).toBe('Project acme now keeps its raw events 90 days');
    await expect(run('set-retention', 'acme', '--days', '3')).rejects.toThrow(/--days: whole days from 7 to 3650, or forever/);
    await expect(run('set-retention', 'acme')).rejects.toThrow(/needs --days/);
    const file = openSqlite(db);
    expect(await file.retention.rawEventDays('acme')).toBe(90);
    expect((await file.projects.byWriteKey(writeKey))?.allowedOrigins).toEqual(['http://localhost:5173']);
    expect(await file.projects.byReadKey(readKey)).toBeUndefined();
    expect((await file.projects.byReadKey(rotated))?.id).toBe('acme');
    await file.close();

    await expect(run('rotate-read-key', 'nope')).rejects.toThrow('there is no project nope');
    await expect(run('set-retention', 'nope', '--days', 'forever')).rejects.toThrow('there is no project nope');
    await run('set-retention', 'acme', '--days', 'forever');
    expect(out.pop()).toBe('Project acme now keeps its raw events for ever');
    await expect(run('set-origins')).rejects.toThrow(/needs the project's id/);
    await expect(runProjectCommand(['list', '--db', join(dir, 'typo.db')], () => {})).rejects.toThrow(/no database at/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('set-read-origins names the pages that may use the read key, none by default, never any page', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-projects-'));
  const db = join(dir, 'cxkit.db');
  const out: string[] = [];
  const run = (...args: string[]) => runProjectCommand([...args, '--db', db], (text) => out.push(text));
  const readOrigins = async () => {
    const file = openSqlite(db);
    try {
      return (await file.projects.list())[0]!.readOrigins;
    } finally {
      await file.close();
    }
  };
  try {
    await run('create', '--name', 'Acme', '--origin', 'https://app.acme.com');
    expect(await readOrigins()).toEqual([]);
    await run('list');
    expect(out.pop()).toMatch(/read origins[\s\S]*https:\/\/app\.acme\.com\s+-\s/);

    await run('set-read-origins', 'acme', '--origin', 'https://admin.acme.com/', '--origin', 'http://localhost:5173', '--origin', 'https://admin.acme.com');
    expect(out.pop()).toBe("Project acme's read key now also works from pages on https://admin.acme.com http://localhost:5173");
    expect(await readOrigins()).toEqual(['https://admin.acme.com', 'http://localhost:5173']);
    await run('list');
    expect(out.pop()).toContain('https://app.acme.com  https://admin.acme.com http://localhost:5173');

    await expect(run('set-read-origins', 'acme', '--origin', '*')).rejects.toThrow(/read key cannot be usable from any page/);
    await expect(run('set-read-origins', 'acme', '--origin', 'https://admin.acme.com/reports')).rejects.toThrow(/more than an origin/);
    expect(await readOrigins()).toEqual(['https://admin.acme.com', 'http://localhost:5173']);

    await run('set-read-origins', 'acme');
    expect(out.pop()).toBe("Project acme's read key now works from the dashboard and from servers only, from no other page");
    expect(await readOrigins()).toEqual([]);

    await expect(run('set-read-origins', 'nope')).rejects.toThrow('there is no project nope');
    await expect(run('set-read-origins')).rejects.toThrow(/needs the project's id/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
