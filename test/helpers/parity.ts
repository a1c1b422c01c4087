/**
 * The differential check: one run through the TypeScript reference and through SurgeRules on-chain, compared
 * field by field, and for malformed inputs, error code and offset. Shared by the parity test and
 * `npm run test:parity`. Side-effect free.
 */
import type { Address, Hex, PublicClient } from "viem";
import { replayOnchain, type OnchainOutcome } from "../../game/chain/rules.js";
import { InputError, replay, type RunResult } from "../../game/sim/index.js";

export type TsOutcome = { ok: true; result: RunResult } | { ok: false; code: string; offset: number };

export function replayTs(seed: string, inputs: Uint8Array): TsOutcome {
  try {
    return { ok: true, result: replay(seed, inputs) };
  } catch (e) {
    if (e instanceof InputError) return { ok: false, code: e.code, offset: e.offset };
    throw e;
  }
}

/** Null when both implementations agree; otherwise a sentence saying how they differ. */
export function compareOutcomes(ts: TsOutcome, sol: OnchainOutcome): string | null {
  if (ts.ok && sol.ok) {
    for (const k of ["gold", "ticks", "maxDepth", "lives", "energy", "digest"] as const) {
      if (ts.result[k] !== sol.result[k]) {
        return `${k}: TypeScript ${ts.result[k]}, Solidity ${sol.result[k]} (TS ${JSON.stringify(ts.result)})`;
      }
    }
    return null;
  }
  if (!ts.ok && !sol.ok) {
    if (ts.code !== sol.code) return `error: TypeScript ${ts.code}, Solidity ${sol.code} (${sol.error})`;
    if (sol.offset !== null && sol.offset !== ts.offset) {
      return `error offset: TypeScript ${ts.offset}, Solidity ${sol.offset} (${sol.error})`;
    }
    return null;
  }
  return ts.ok
    ? `TypeScript accepts (${JSON.stringify(ts.result)}), Solidity rejects with ${sol.ok ? "?" : sol.error}`
    : `TypeScript rejects with ${ts.code}, Solidity accepts (${JSON.stringify(sol.ok ? sol.result : null)})`;
}

export async function checkParity(
  client: PublicClient,
  replayer: Address,
  seed: Hex,
  inputs: Uint8Array,
): Promise<{ ts: TsOutcome; mismatch: string | null }> {
  const ts = replayTs(seed, inputs);
  const sol = await replayOnchain(client, replayer, seed, inputs);
  return { ts, mismatch: compareOutcomes(ts, sol) };
}
