/**
 * What the BLS duties share: this worker's signatures of the roots it replayed (served on /signatures/<epoch>/<round>
 * for aggregators), fetching and checking peers' signatures, and the registry's signer set read at the confirmed
 * block (eligible indices, their bonds and public keys, the eligible stake).
 */
import { getAddress, type Address, type Hex } from "viem";
import { attestationDigest, verify } from "../chain/bls.js";
import type { WorkerContracts } from "./contracts.js";

/** A worker's signature of one root of one round, as served to aggregators. */
export interface SignedRoot {
  worker: Address;
  index: string;
  epoch: string;
  round: string;
  root: Hex;
  runCount: string;
  totalGold: string;
  signature: Hex;
}

/** This worker's signatures, by epoch and round (one root per round: the one it replayed). */
export class SignatureBook {
  private readonly byEpoch = new Map<bigint, Map<bigint, SignedRoot>>();

  add(s: SignedRoot): void {
    const epoch = BigInt(s.epoch);
    let rounds = this.byEpoch.get(epoch);
    if (rounds === undefined) this.byEpoch.set(epoch, (rounds = new Map()));
    rounds.set(BigInt(s.round), s);
  }

  get(epoch: bigint, round: bigint): SignedRoot | undefined {
    return this.byEpoch.get(epoch)?.get(round);
  }

  /** Every round's signature of `epoch`. */
  all(epoch: bigint): SignedRoot[] {
    return [...(this.byEpoch.get(epoch)?.values() ?? [])];
  }

  /** Whether this worker signed `root` in (epoch, round). */
  signed(epoch: bigint, round: bigint, root: Hex): boolean {
    return this.get(epoch, round)?.root.toLowerCase() === root.toLowerCase();
  }

  forget(epoch: bigint): void {
    this.byEpoch.delete(epoch);
  }
}

/** The signer set at one confirmed block: what an aggregation is checked against. */
export interface SignerSet {
  version: bigint;
  /** Eligible indices, increasing. */
  indices: bigint[];
  bonds: Map<bigint, bigint>;
  publicKeys: Map<bigint, Hex>;
  eligibleStake: bigint;
}

/** Reads the signer set at `safe`; public keys never change, so `keys` caches them across reads. */
export async function readSignerSet(contracts: WorkerContracts, safe: bigint, keys: Map<bigint, Hex>): Promise<SignerSet> {
  const at = { blockNumber: safe };
  const registry = contracts.workerRegistry;
  const [version, count, eligibleStake] = await Promise.all([
    registry.read.version(at),
    registry.read.workerCount(at),
    registry.read.eligibleStake(at),
  ]);
  const indices = [...(await registry.read.eligibleAt([version, 0n, count], at))];
  const bonds = new Map<bigint, bigint>();
  await Promise.all(
    indices.map(async (i) => {
      bonds.set(i, await registry.read.bondAt([i, version], at));
      if (!keys.has(i)) keys.set(i, await registry.read.publicKeyOf([i], at));
    }),
  );
  return { version, indices, bonds, publicKeys: keys, eligibleStake };
}

/** Fetches each peer's signature of (epoch, round); peers that do not answer or have none are left out. */
export async function fetchSignatures(peers: readonly string[], epoch: bigint, round: bigint, timeoutMs = 3_000): Promise<SignedRoot[]> {
  const found = await Promise.all(
    peers.map(async (peer) => {
      try {
        const res = await fetch(new URL(`/signatures/${epoch}/${round}`, peer), { signal: AbortSignal.timeout(timeoutMs) });
        if (!res.ok) return undefined;
        return (await res.json()) as SignedRoot;
      } catch {
        return undefined;
      }
    }),
  );
  return found.filter((s): s is SignedRoot => s !== undefined);
}

/**
 * Whether `s` is a valid signature, by an eligible worker of `set`, of its root for `epoch` in `round` on this
 * deployment: a peer's word is checked against its registered key before it goes into an aggregate.
 */
export function checkSignature(
  s: SignedRoot,
  set: SignerSet,
  at: { chainId: number; settlement: Address; epoch: bigint; round: bigint },
): boolean {
  try {
    const index = BigInt(s.index);
    const key = set.publicKeys.get(index);
    if (key === undefined || !set.bonds.has(index) || BigInt(s.epoch) !== at.epoch || BigInt(s.round) !== at.round) return false;
    const digest = attestationDigest({
      chainId: at.chainId,
      settlement: at.settlement,
      epoch: at.epoch,
      round: at.round,
      root: s.root,
      runCount: BigInt(s.runCount),
      totalGold: BigInt(s.totalGold),
    });
    return verify(key, digest, s.signature);
  } catch {
    return false;
  }
}

/** A signature's root as a key: the signatures that can be aggregated agree on root, run count and total. */
export function claimKey(s: Pick<SignedRoot, "root" | "runCount" | "totalGold">): string {
  return `${s.root.toLowerCase()}:${s.runCount}:${s.totalGold}`;
}

export const sameWorker = (a: Address, b: Address) => getAddress(a) === getAddress(b);
