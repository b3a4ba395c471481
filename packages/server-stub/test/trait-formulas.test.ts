// The article's business formulas from the traits teams send, against hand-worked fixtures: each
// over the accounts that carry its inputs, null where none do.
import type { AccountTraits } from '@cxkit/protocol';
import { expect, test } from 'vitest';
import { accountFormulas, portfolioFormulas } from '../src/accounts/trait-formulas';

test('with no formula inputs among the traits, every formula is left out, not zero', () => {
  expect(Object.values(portfolioFormulas([{ name: 'Acme', plan: 'team', mrr: 1200 }, {}]))).toEqual([null, null, null, null, null, null, null]);
  expect(accountFormulas({ mrr: 5 })).toEqual({ lifetimeValue: null, firstContactResolution: null, averageResponseMinutes: null });
});

test('the worked example of docs/accounts.md', () => {
  const accounts: AccountTraits[] = [
    { renewalDue: true, renewed: true, upsellEligible: true, upsold: false, mrrAtMonthStart: 1000, cancelledMrr: 0, averageOrderValue: 100, purchasesPerYear: 12, retentionYears: 3, retentionCost: 300, tickets: 10, ticketsResolvedFirstContact: 7, responseMinutes: 200 },
    { renewalDue: true, renewed: false, upsellEligible: true, upsold: true, mrrAtMonthStart: 3000, cancelledMrr: 3000, retentionCost: 500, churned: true, tickets: 30, ticketsResolvedFirstContact: 27, responseMinutes: 400 },
    { renewalDue: false, renewed: false, upsellEligible: false, averageOrderValue: 50, purchasesPerYear: 4, retentionYears: 2, retentionCost: 200 },
    { renewed: true, plan: 'free' },
  ];
  const p = portfolioFormulas(accounts);
  // Up for renewal: the first two; renewed: the first → 50%. The fourth renewed without being due: not counted.
  expect(p.renewalRate).toEqual({ value: 50, accounts: 2 });
  expect(p.upsellRate).toEqual({ value: 50, accounts: 2 });
  // (0 + 3000) / (1000 + 3000) × 100
  expect(p.mrrChurnRate).toEqual({ value: 75, accounts: 2 });
  // Mean of 100 × 12 × 3 = 3600 and 50 × 4 × 2 = 400.
  expect(p.lifetimeValue).toEqual({ value: 2000, accounts: 2 });
  // (300 + 500 + 200) / 2 retained (the second churned).
  expect(p.retentionCost).toEqual({ value: 500, accounts: 3 });
  // (7 + 27) / (10 + 30) × 100; (200 + 400) / 40 minutes.
  expect(p.firstContactResolution).toEqual({ value: 85, accounts: 2 });
  expect(p.averageResponseMinutes).toEqual({ value: 15, accounts: 2 });
  expect(accountFormulas(accounts[0]!)).toEqual({ lifetimeValue: 3600, firstContactResolution: 70, averageResponseMinutes: 20 });
});

test('inputs of the wrong type or a zero denominator leave a formula out', () => {
  const p = portfolioFormulas([{ renewalDue: 'yes', tickets: 0, ticketsResolvedFirstContact: 0, mrrAtMonthStart: '1000', cancelledMrr: 10, retentionCost: 100, churned: true }]);
  expect([p.renewalRate, p.firstContactResolution, p.mrrChurnRate, p.retentionCost]).toEqual([null, null, null, null]);
});
