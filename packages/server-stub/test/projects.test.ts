import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, test } from 'vitest';
import { runProjectCommand } from '../src/project-commands';
import { createProject } from '../src/projects';
import { openSqlite } from '../src/sqlite';

let storage: ReturnType<typeof openSqlite>;
beforeEach(() => {
  storage = openSqlite(':memory:');
});
afterEach(() => storage.close());

test('a new project gets a public write key and a secret read key that is kept only as a hash', () => {
  const { project, readKey } = createProject(storage, 'Acme Books', ['https://app.acme.com/']);
  expect(project).toMatchObject({ id: 'acme-books', name: 'Acme Books', allowedOrigins: ['https://app.acme.com'] });
  expect(project.writeKey).toMatch(/^pk_[0-9A-Za-z]{22}$/);
  expect(readKey).toMatch(/^sk_[0-9A-Za-z]{32}$/);
  expect(JSON.stringify(storage.db.prepare('SELECT * FROM projects').all())).not.toContain(readKey.slice(3));
  expect(storage.projectByReadKey(readKey)?.id).toBe('acme-books');
  expect(storage.projectByWriteKey(project.writeKey)?.id).toBe('acme-books');
});

test('a write key is never a read key, and the other way round', () => {
  const { project, readKey } = createProject(storage, 'Acme', ['*']);
  expect(storage.projectByReadKey(project.writeKey)).toBeUndefined();
  expect(storage.projectByWriteKey(readKey)).toBeUndefined();
});

test('every project gets its own keys and an id made from its name', () => {
  const first = createProject(storage, 'Acme Books', ['*']);
  const second = createProject(storage, 'Acme Books', ['*']);
  const odd = createProject(storage, '  ¿¡ !!  ', ['*']);
  expect([first.project.id, second.project.id, odd.project.id]).toEqual(['acme-books', 'acme-books-2', 'project']);
  expect(second.project.writeKey).not.toBe(first.project.writeKey);
  expect(second.readKey).not.toBe(first.readKey);
});

test('a project needs a name and at least one valid origin', () => {
  expect(() => createProject(storage, ' ', ['*'])).toThrow(/needs a name/);
  expect(() => createProject(storage, 'Acme', [])).toThrow(/--origin/);
  expect(() => createProject(storage, 'Acme', ['https://app.acme.com/cart'])).toThrow(/more than an origin/);
  expect(storage.projects()).toEqual([]);
});

test('project commands create, list, change origins and rotate the read key of a database file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cxkit-projects-'));
  const db = join(dir, 'cxkit.db');
  const out: string[] = [];
  const run = (...args: string[]) => runProjectCommand([...args, '--db', db], (text) => out.push(text));
  try {
    run('create', '--name', 'Acme', '--origin', 'https://app.acme.com', '--origin', 'https://*.acme.dev');
    const created = out.pop()!;
    const writeKey = /write key\s+(pk_\w+)/.exec(created)![1]!;
    const readKey = /read key\s+(sk_\w+)/.exec(created)![1]!;

    run('list');
    const listing = out.pop()!;
    expect(listing).toContain(writeKey);
    expect(listing).toContain('https://app.acme.com https://*.acme.dev');
    expect(listing).not.toContain(readKey);

    run('set-origins', 'acme', '--origin', 'http://localhost:5173');
    run('rotate-read-key', 'acme');
    const rotated = /(sk_\w+)/.exec(out.pop()!)![1]!;
    const file = openSqlite(db);
    expect(file.projectByWriteKey(writeKey)?.allowedOrigins).toEqual(['http://localhost:5173']);
    expect(file.projectByReadKey(readKey)).toBeUndefined();
    expect(file.projectByReadKey(rotated)?.id).toBe('acme');
    file.close();

    expect(() => run('rotate-read-key', 'nope')).toThrow('there is no project nope');
    expect(() => run('set-origins')).toThrow(/needs the project's id/);
    expect(() => runProjectCommand(['list', '--db', join(dir, 'typo.db')], () => {})).toThrow(/no database at/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
