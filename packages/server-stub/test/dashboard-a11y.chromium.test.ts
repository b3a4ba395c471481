// Accessibility of the dashboard in the system Chromium (dashboard-browser.ts): axe-core's WCAG 2.2
// A and AA rules over every view a product team opens (sign-in, overview with comments and themes,
// a theme's comments, the accounts and an account's page, the survey list and editor), in the light and the dark colour scheme.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect, test } from 'vitest';
import { SHOTS, signIn, useDashboard } from './dashboard-browser';

const dashboard = useDashboard();
const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

interface Violation {
  id: string;
  help: string;
  nodes: string[];
}

/** axe over the whole page; page.evaluate is not subject to the dashboard's script CSP. */
async function axe(page: Page): Promise<{ violations: Violation[]; checkedNodes: number }> {
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: unknown, options: unknown): Promise<any> } }).axe;
    const result = await axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'] } });
    const checked = new Set<string>();
    for (const rule of [...result.passes, ...result.violations]) for (const node of rule.nodes) checked.add(JSON.stringify(node.target));
    return {
      violations: result.violations.map((v: any) => ({ id: v.id, help: v.help, nodes: v.nodes.map((n: any) => `${n.target.join(' ')}: ${n.failureSummary ?? ''}`) })),
      checkedNodes: checked.size,
    };
  });
}

for (const scheme of ['light', 'dark'] as const) {
  test(`axe finds no WCAG 2.2 AA violation on any view of the dashboard, ${scheme} scheme`, async () => {
    const { page, problems } = await dashboard.openPage(1280, 'UTC', scheme);
    const views: [string, () => Promise<void>][] = [
      ['sign-in', async () => page.getByLabel('Read key').waitFor()],
      [
        'overview, comments and themes',
        async () => {
          await signIn(page);
          await expect.poll(() => page.getByRole('article', { name: 'NPS' }).textContent(), { timeout: 15_000 }).toMatch(/95% CI/);
          await page.getByLabel('Positive comments').locator('.comment').first().waitFor();
          await page.getByLabel('Negative themes').getByRole('button').first().waitFor();
        },
      ],
      [
        "a theme's comments",
        async () => {
          await page.getByLabel('Negative themes').getByRole('button').first().click();
          await page.locator('.theme-comments .comment').first().waitFor();
        },
      ],
      [
        "an account's own page",
        async () => {
          await page.locator('table.accounts tbody tr').first().getByRole('button').click();
          await page.locator('.components').waitFor();
        },
      ],
      [
        'survey editor with its preview',
        async () => {
          await page.getByRole('button', { name: 'New survey' }).click();
          await page.locator('.editor').waitFor();
        },
      ],
    ];
    for (const [name, open] of views) {
      await open();
      const { violations, checkedNodes } = await axe(page);
      expect(checkedNodes, `${name}: axe looked at the page`).toBeGreaterThan(5);
      expect(violations, `${name}, ${scheme}`).toEqual([]);
    }
    await page.screenshot({ path: join(SHOTS, `dashboard-${scheme}.png`), fullPage: true });
    expect(problems).toEqual([]);
    await page.close();
  }, 90_000);
}
