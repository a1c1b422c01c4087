/**
 * Encodes run claims for `RewardSettlement.claimPacked`: per claim `uint32 epoch | uint32 index | uint256 runId |
 * uint32 gold | uint8 proofLength` (45 bytes), then per proof level `bytes32 hash | uint64 sum` (40 bytes), back to
 * back (against the ABI's 256 + 64 per level for `claim`). `index` is the leaf's position in the epoch's tree, its rank
 * by run id among the epoch's runs (tree.ts), not a submission order. The proof is the leaf's siblings in the epoch's
 * sum tree from the bottom up (tree.ts `proof`); it folds to the root and to the epoch's total, so no total is sent. Claims are
 * best listed in run-nonce order: the contract then writes the player's claim bitmap once per 256 runs.
 */
import { concatHex, numberToHex, type Hex } from "viem";
import type { TreeNode } from "./tree.js";

export interface RunClaim {
  epoch: bigint;
  index: bigint;
  runId: bigint;
  gold: bigint;
  proof: readonly TreeNode[];
}

const U32 = 2n ** 32n;
const U64 = 2n ** 64n;

export class ClaimEncodingError extends Error {}

/** True if `claimPacked` can carry the claim (else use `claim`, which takes any uint256). */
export function packable(c: RunClaim): boolean {
  return (
    c.epoch < U32 && c.index < U32 && c.gold < U32 && c.proof.length < 256 && c.proof.every((n) => n.sum < U64)
  );
}

export function encodeClaims(claims: readonly RunClaim[]): Hex {
  const parts: Hex[] = [];
  for (const c of claims) {
    if (!packable(c)) {
      throw new ClaimEncodingError(
        `run ${c.runId}: epoch, index and gold must be below 2^32, each proof sum below 2^64 and the proof under 256 ` +
          "levels; use claim()",
      );
    }
    parts.push(
      numberToHex(c.epoch, { size: 4 }),
      numberToHex(c.index, { size: 4 }),
      numberToHex(c.runId, { size: 32 }),
      numberToHex(c.gold, { size: 4 }),
      numberToHex(c.proof.length, { size: 1 }),
    );
    for (const n of c.proof) parts.push(n.hash, numberToHex(n.sum, { size: 8 }));
  }
  return parts.length === 0 ? "0x" : concatHex(parts);
}

/** The claim of run `runId` in `tree`: its leaf (at its position in the sorted tree) and proof. */
export function claimOf(
  tree: { epoch: bigint; proofOf(runId: bigint): { leaf: { index: bigint; runId: bigint; gold: bigint }; proof: TreeNode[] } | null },
  runId: bigint,
): RunClaim {
  const p = tree.proofOf(runId);
  if (p === null) throw new ClaimEncodingError(`run ${runId} is not a leaf of epoch ${tree.epoch}'s tree`);
  return { epoch: tree.epoch, index: p.leaf.index, runId, gold: p.leaf.gold, proof: p.proof };
}
