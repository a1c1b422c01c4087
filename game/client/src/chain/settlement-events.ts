/**
 * Every read of the settlement's events in the page (Attested, QuorumReached, EpochFinalized, RootRejected), in one
 * place and in the page's own shapes: when the contract's events change (aggregate attestations), only this module
 * changes. Ranges are read in pages of PAGE_BLOCKS, so that a long history works on RPCs that cap eth_getLogs.
 */
import { parseEventLogs, type Address, type Hex, type Log, type PublicClient } from "viem";
import { rewardSettlementAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";

/** Blocks per eth_getLogs call (public RPCs commonly cap a call at a few thousand blocks). */
export const PAGE_BLOCKS = 2_000n;

export interface Attestation {
  epoch: bigint;
  worker: Address;
  root: Hex;
  round: bigint;
  totalGold: bigint;
  /** How many attesters stood behind `root` in `round` once this one was counted. */
  attesters: number;
  block: bigint;
}

/** `[from, to]` in pages of PAGE_BLOCKS, newest first (so a caller looking for the latest can stop early). */
function pagesBackwards(from: bigint, to: bigint): [bigint, bigint][] {
  const pages: [bigint, bigint][] = [];
  for (let hi = to; hi >= from; hi -= PAGE_BLOCKS) pages.push([hi - PAGE_BLOCKS + 1n > from ? hi - PAGE_BLOCKS + 1n : from, hi]);
  return pages;
}

function toAttestation(l: { args: Record<string, unknown>; blockNumber: bigint | null }): Attestation {
  const a = l.args as { epoch: bigint; worker: Address; root: Hex; round: bigint; totalGold: bigint; attesters: bigint };
  return { epoch: a.epoch, worker: a.worker, root: a.root, round: a.round, totalGold: a.totalGold, attesters: Number(a.attesters), block: l.blockNumber ?? 0n };
}

/** The attestations of one epoch, every round. */
export async function attestationsOf(client: PublicClient, d: Deployment, epoch: bigint): Promise<Attestation[]> {
  const logs = await client.getContractEvents({
    address: d.contracts.settlement,
    abi: rewardSettlementAbi,
    eventName: "Attested",
    args: { epoch },
    fromBlock: BigInt(d.startBlock),
  });
  return logs.map(toAttestation);
}

/**
 * Each worker's latest attestation at or before `head` (absent: none since the deployment), read backwards page by
 * page, stopping once every worker has one.
 */
export async function lastAttestations(client: PublicClient, d: Deployment, workers: Address[], head: bigint): Promise<Map<Address, Attestation>> {
  const last = new Map<Address, Attestation>();
  const wanted = new Set(workers.map((w) => w.toLowerCase()));
  for (const [fromBlock, toBlock] of pagesBackwards(BigInt(d.startBlock), head)) {
    if (wanted.size === 0) break;
    const logs = await client.getContractEvents({ address: d.contracts.settlement, abi: rewardSettlementAbi, eventName: "Attested", fromBlock, toBlock });
    for (const l of logs.map(toAttestation).reverse()) {
      const k = l.worker.toLowerCase();
      if (!wanted.has(k)) continue;
      wanted.delete(k);
      last.set(workers.find((w) => w.toLowerCase() === k)!, l);
    }
  }
  return last;
}

/** The block at which each epoch reached quorum (its last quorum, after a rejected root) and was finalized. */
export interface SettlementBlocks {
  quorumAt: Map<bigint, bigint>;
  finalAt: Map<bigint, bigint>;
}

/** QuorumReached and EpochFinalized within `[fromBlock, toBlock]`, paged. */
export async function settlementBlocks(client: PublicClient, d: Deployment, fromBlock: bigint, toBlock: bigint): Promise<SettlementBlocks> {
  const quorumAt = new Map<bigint, bigint>();
  const finalAt = new Map<bigint, bigint>();
  const start = fromBlock > BigInt(d.startBlock) ? fromBlock : BigInt(d.startBlock);
  for (const [from, to] of pagesBackwards(start, toBlock).reverse()) {
    const address = d.contracts.settlement;
    const [quorums, finals] = await Promise.all([
      client.getContractEvents({ address, abi: rewardSettlementAbi, eventName: "QuorumReached", fromBlock: from, toBlock: to }),
      client.getContractEvents({ address, abi: rewardSettlementAbi, eventName: "EpochFinalized", fromBlock: from, toBlock: to }),
    ]);
    for (const q of quorums) quorumAt.set(q.args.epoch!, q.blockNumber);
    for (const f of finals) finalAt.set(f.args.epoch!, f.blockNumber);
  }
  return { quorumAt, finalAt };
}

/** Whether a transaction's logs hold a RootRejected (a challenge that went through). */
export function rejectedRootIn(logs: Log[]): boolean {
  return parseEventLogs({ abi: rewardSettlementAbi, logs, eventName: "RootRejected" }).length > 0;
}
