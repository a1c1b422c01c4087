/**
 * An epoch's honest tree in the browser: game/chain's one reading (epoch.ts `honestTree`, tree.ts `EpochTree`),
 * rebuilt from the epoch's RunSubmitted events (each carries its run's seed) and replays here, as a worker builds it;
 * cached, since a closed epoch never changes. Claims take their proofs from it, and the player's watch (watch.ts)
 * compares it with the attested root.
 */
import type { PublicClient } from "viem";
import type { Deployment } from "../../../chain/deployment.js";
import { honestTree, type SubmittedRun } from "../../../chain/epoch.js";
import type { EpochTree } from "../../../chain/tree.js";

export { runGold, submittedRuns, type SubmittedRun } from "../../../chain/epoch.js";

const trees = new Map<string, Promise<{ tree: EpochTree; runs: SubmittedRun[] }>>();

/** The honest tree of a closed epoch and its runs (cached: a closed epoch's runs never change). */
export function epochTree(client: PublicClient, d: Deployment, epoch: bigint): Promise<{ tree: EpochTree; runs: SubmittedRun[] }> {
  const k = `${d.chainId}:${d.contracts.runRegistry}:${epoch}`;
  let t = trees.get(k);
  if (!t) {
    t = honestTree(client, d, epoch);
    trees.set(k, t);
    t.catch(() => trees.delete(k));
  }
  return t;
}
