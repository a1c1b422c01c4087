/**
 * The Vault panel's amount fields, checked before anything is sent: each check answers the sentence to show next to
 * the field (and the button stays disabled), or null when the amount can be sent. Pure functions, unit-tested.
 */
import { parseUnits } from "viem";
import { ethWords, sgEthWords } from "./errors.js";

export const ETH_DECIMALS = 18;
export const SGETH_DECIMALS = 21;
/** ETH kept back for gas when checking a deposit against the balance (gas on the devnet costs far less). */
export const GAS_RESERVE_WEI = 10n ** 15n; // 0.001 ETH

export type Parsed = { ok: true; value: bigint } | { ok: false; message: string | null };

/** Parses a positive decimal amount; an empty field is not an error (message null), just nothing to send. */
export function parseAmount(text: string, decimals: number): Parsed {
  const s = text.trim();
  if (s === "") return { ok: false, message: null };
  if (!/^\d*\.?\d*$/.test(s) || s === ".") return { ok: false, message: `"${s}" is not a number: enter an amount like 0.5` };
  const fraction = s.split(".")[1] ?? "";
  if (fraction.length > decimals) return { ok: false, message: `At most ${decimals} digits after the point` };
  const value = parseUnits(s, decimals);
  if (value <= 0n) return { ok: false, message: "Enter an amount above zero" };
  return { ok: true, value };
}

export interface DepositLimits {
  /** The account's ETH. */
  balance: bigint;
  /** What the vault takes now (ERC-4626 maxDeposit: cap minus total assets; 0 when paused or full). */
  maxDeposit: bigint;
  /** The vault's deposit cap (for the sentence). */
  cap: bigint;
}

/** An ETH amount to deposit (or to stake, which deposits first): the balance with gas, then the vault's cap. */
export function checkDeposit(text: string, limits: DepositLimits): Parsed {
  const p = parseAmount(text, ETH_DECIMALS);
  if (!p.ok) return p;
  if (p.value > limits.balance) return { ok: false, message: `You have ${ethWords(limits.balance)}; enter at most that` };
  if (p.value + GAS_RESERVE_WEI > limits.balance) {
    const most = limits.balance > GAS_RESERVE_WEI ? limits.balance - GAS_RESERVE_WEI : 0n;
    return { ok: false, message: `Keep some ETH for gas: enter at most ${ethWords(most)}` };
  }
  if (p.value > limits.maxDeposit) {
    return {
      ok: false,
      message:
        limits.maxDeposit === 0n
          ? `The vault is full (deposit cap of ${ethWords(limits.cap)}) or paused: no deposit fits now`
          : `Above the vault's deposit cap of ${ethWords(limits.cap)}: at most ${ethWords(limits.maxDeposit)} fits now`,
    };
  }
  return p;
}

/** An sgETH amount to withdraw (queue or instant exit): at most what the account holds. */
export function checkWithdraw(text: string, held: bigint): Parsed {
  const p = parseAmount(text, SGETH_DECIMALS);
  if (!p.ok) return p;
  if (held === 0n) return { ok: false, message: "You hold no sgETH: deposit ETH first" };
  if (p.value > held) return { ok: false, message: `You hold ${sgEthWords(held)}; enter at most that` };
  return p;
}
