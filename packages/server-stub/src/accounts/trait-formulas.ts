// The business formulas of the source article that need data cxkit does not hold, computed from
// the traits teams send (FORMULA_TRAITS in the protocol), each over the accounts whose traits carry
// all its inputs and null where none do — never filled in with a guess
// (docs/accounts.md#formulas-from-your-traits; table-tested in test/trait-formulas.test.ts).
import { FORMULA_TRAITS as T, type AccountTraits } from '@cxkit/protocol';

/** A formula's value and how many accounts it was computed over. */
export interface FormulaValue {
  value: number;
  accounts: number;
}

export interface PortfolioFormulas {
  /** Renewed / up for renewal × 100. */
  renewalRate: FormulaValue | null;
  /** Upsold / could be upsold × 100. */
  upsellRate: FormulaValue | null;
  /** Σ MRR of contracts cancelled this month / Σ MRR at the month's start × 100. */
  mrrChurnRate: FormulaValue | null;
  /** Mean of each account's average order × purchases a year × years retained. */
  lifetimeValue: FormulaValue | null;
  /** Σ retention costs / accounts retained (not churned). */
  retentionCost: FormulaValue | null;
  /** Σ tickets resolved on first contact / Σ tickets × 100. */
  firstContactResolution: FormulaValue | null;
  /** Σ minutes to first response / Σ tickets. */
  averageResponseMinutes: FormulaValue | null;
}

export interface AccountFormulas {
  lifetimeValue: number | null;
  firstContactResolution: number | null;
  averageResponseMinutes: number | null;
}

const num = (traits: AccountTraits, name: string): number | undefined => (typeof traits[name] === 'number' ? (traits[name] as number) : undefined);
const flag = (traits: AccountTraits, name: string): boolean | undefined => (typeof traits[name] === 'boolean' ? (traits[name] as boolean) : undefined);

/** Count of accounts where `among` holds, and of those where `hit` holds too, as a percentage. */
function rate(all: readonly AccountTraits[], among: string, hit: string): FormulaValue | null {
  const eligible = all.filter((t) => flag(t, among) === true);
  if (eligible.length === 0) return null;
  return { value: (100 * eligible.filter((t) => flag(t, hit) === true).length) / eligible.length, accounts: eligible.length };
}

/** Σ numerator / Σ denominator (× scale) over accounts having both, the denominator's sum above 0. */
function ratio(all: readonly AccountTraits[], numerator: string, denominator: string, scale = 1): FormulaValue | null {
  const having = all.filter((t) => num(t, numerator) !== undefined && num(t, denominator) !== undefined);
  const below = having.reduce((sum, t) => sum + num(t, denominator)!, 0);
  if (below <= 0) return null;
  return { value: (scale * having.reduce((sum, t) => sum + num(t, numerator)!, 0)) / below, accounts: having.length };
}

export function accountFormulas(traits: AccountTraits): AccountFormulas {
  const order = num(traits, T.averageOrderValue);
  const purchases = num(traits, T.purchasesPerYear);
  const years = num(traits, T.retentionYears);
  const one = ratio([traits], T.ticketsResolvedFirstContact, T.tickets, 100);
  const minutes = ratio([traits], T.responseMinutes, T.tickets);
  return {
    lifetimeValue: order !== undefined && purchases !== undefined && years !== undefined ? order * purchases * years : null,
    firstContactResolution: one?.value ?? null,
    averageResponseMinutes: minutes?.value ?? null,
  };
}

export function portfolioFormulas(all: readonly AccountTraits[]): PortfolioFormulas {
  const values = all.map(accountFormulas).flatMap((f) => (f.lifetimeValue === null ? [] : [f.lifetimeValue]));
  const costs = all.filter((t) => num(t, T.retentionCost) !== undefined);
  const retained = costs.filter((t) => flag(t, T.churned) !== true).length;
  return {
    renewalRate: rate(all, T.renewalDue, T.renewed),
    upsellRate: rate(all, T.upsellEligible, T.upsold),
    mrrChurnRate: ratio(all, T.cancelledMrr, T.mrrAtMonthStart, 100),
    lifetimeValue: values.length > 0 ? { value: values.reduce((a, b) => a + b, 0) / values.length, accounts: values.length } : null,
    retentionCost: retained > 0 ? { value: costs.reduce((sum, t) => sum + num(t, T.retentionCost)!, 0) / retained, accounts: costs.length } : null,
    firstContactResolution: ratio(all, T.ticketsResolvedFirstContact, T.tickets, 100),
    averageResponseMinutes: ratio(all, T.responseMinutes, T.tickets),
  };
}
