/**
 * What a ranked run pays in GOLD, by RewardSettlement's rules, for every off-chain reader (the Runs panel, the
 * workers' totals): one home for the formula, so the number a player is shown is the number the claim mints.
 *
 * - Boost: the run id carries the boost fixed at `startRun` (bits 80..95, in basis points): boosted gold =
 *   floor(gold * (10000 + boost) / 10000) (`RewardSettlement._boosted`).
 * - Claim of a final epoch (`_payLeaf`): emission = min(epochCap, totalGold * 1 GOLD); the attesters take
 *   `attesterBps` of it, the players' pool is the rest; a run pays floor(boosted * playerPool / totalGold), rounded
 *   down to whole micro-GOLD. Below the cap a point of boosted gold pays (1 - attesterBps) GOLD; above it, everyone
 *   is scaled by cap / (totalGold * 1 GOLD).
 * - Settlement by replay (no quorum in time, `settleByReplay`): boosted * 1 GOLD, no attesters' share (up to the cap).
 */
import { runBoostBps } from "./runId.js";

export const BPS = 10_000n;
/** RewardSettlement.GOLD_PER_POINT: GOLD (18 decimals) per point of boosted gold, before shares and the cap. */
export const GOLD_PER_POINT = 10n ** 18n;
/** RewardSettlement.MINT_UNIT: claims pay whole micro-GOLD (rounded down). */
export const MINT_UNIT = 10n ** 12n;

/** The settlement's parameters that decide a payout (`RewardSettlement.config()`). */
export interface PayoutRules {
  attesterBps: bigint;
  /** Most GOLD (18 decimals) one epoch mints. */
  epochCap: bigint;
}

/** The boost a run id carries, in basis points (fixed when the run started): runId.ts `runBoostBps`. */
export const boostBpsOf = runBoostBps;

/** Boosted gold of a run, as RewardSettlement._boosted: gold * (10000 + boost) / 10000, the boost in the run id. */
export function boosted(gold: bigint, runId: bigint): bigint {
  return (gold * (BPS + boostBpsOf(runId))) / BPS;
}

/** An epoch's pools when its runs earned `totalGold` boosted points (RewardSettlement._pools). */
export function pools(totalGold: bigint, rules: PayoutRules): { emission: bigint; playerPool: bigint; attesterPool: bigint; capped: boolean } {
  const demand = totalGold * GOLD_PER_POINT;
  const capped = demand > rules.epochCap;
  const emission = capped ? rules.epochCap : demand;
  const attesterPool = (emission * rules.attesterBps) / BPS;
  return { emission, playerPool: emission - attesterPool, attesterPool, capped };
}

/** GOLD (18 decimals) that claiming a run of `gold` pays in an epoch of `totalGold` boosted points (`_payLeaf`). */
export function claimPay(gold: bigint, runId: bigint, totalGold: bigint, rules: PayoutRules): bigint {
  if (totalGold === 0n) return 0n;
  const { playerPool } = pools(totalGold, rules);
  const pay = (boosted(gold, runId) * playerPool) / totalGold;
  return pay - (pay % MINT_UNIT);
}

/** GOLD (18 decimals) that `settleByReplay` pays for a run of `gold`: all of its boosted gold, no attesters' share. */
export function replayPay(gold: bigint, runId: bigint): bigint {
  return boosted(gold, runId) * GOLD_PER_POINT;
}

export type PayoutKind = "claim" | "replay";

/** What a run pays and why, for display. */
export interface Payout {
  kind: PayoutKind;
  /** GOLD in 18 decimals: exactly what the claim (or the replay) mints. */
  amount: bigint;
  gold: bigint;
  boostBps: bigint;
  boosted: bigint;
  /** Final: the epoch's total is settled (attested root or replay); else it may still change as runs come in. */
  final: boolean;
  /** One line on how `amount` follows from `gold`. */
  reason: string;
}

function pct(bps: bigint): string {
  const whole = bps / 100n;
  const frac = bps % 100n;
  return frac === 0n ? `${whole}%` : `${whole}.${frac.toString().padStart(2, "0").replace(/0$/, "")}%`;
}

/** GOLD (18 decimals) in words: up to 4 decimals, no trailing zeros. */
export function formatGold(amount: bigint): string {
  const whole = amount / GOLD_PER_POINT;
  const frac = ((amount % GOLD_PER_POINT) * 10_000n) / GOLD_PER_POINT;
  const f = frac === 0n ? "" : `.${frac.toString().padStart(4, "0").replace(/0+$/, "")}`;
  return `${whole.toLocaleString("en-US")}${f}`;
}

/**
 * What a run pays and why. `kind` "claim": paid from the epoch's players' pool (`totalGold`: the attested total, or
 * the total of the runs submitted so far while the epoch is open, then `final` is false); "replay": settled by
 * on-chain replay (`totalGold` unused).
 */
export function payoutOf(
  gold: bigint,
  runId: bigint,
  opts: { kind: PayoutKind; totalGold: bigint; rules: PayoutRules; final: boolean },
): Payout {
  const boostBps = boostBpsOf(runId);
  const b = boosted(gold, runId);
  const parts: string[] = [`${gold} gold`];
  if (boostBps > 0n) parts.push(`+${pct(boostBps)} stake boost = ${b}`);
  if (opts.kind === "replay") {
    parts.push("settled by on-chain replay: 1 GOLD a point, no attesters' share");
    return { kind: "replay", amount: replayPay(gold, runId), gold, boostBps, boosted: b, final: true, reason: parts.join(" · ") };
  }
  const { capped, emission } = pools(opts.totalGold, opts.rules);
  parts.push(`${pct(BPS - opts.rules.attesterBps)} to you, ${pct(opts.rules.attesterBps)} to the attesting workers`);
  if (capped) {
    parts.push(`scaled to the epoch cap of ${formatGold(emission)} GOLD (the epoch's runs earned ${opts.totalGold} points)`);
  }
  if (!opts.final) parts.push("estimate while the epoch is open");
  return {
    kind: "claim",
    amount: claimPay(gold, runId, opts.totalGold, opts.rules),
    gold,
    boostBps,
    boosted: b,
    final: opts.final,
    reason: parts.join(" · "),
  };
}
