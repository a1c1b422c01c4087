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
  /** Who submitted the aggregate signature (any worker may). */
  worker: Address;
  root: Hex;
  round: bigint;
  totalGold: bigint;
  /** How many workers signed `root` in `round`. */
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

/** How many of the newest aggregate attestations `lastSignatures` looks through. */
export const SIGNATURE_SCAN = 64;

/** A worker that may have signed: its signer index, and the block it registered at (it signed nothing before). */
export interface Signer {
  address: Address;
  index: bigint;
  registeredAt: bigint;
}

/**
 * Each worker's latest signature at or before `head`: an attestation is one aggregate signature, signed by every
 * eligible worker but the non-signers its Attested event lists, so a worker signed it if it was registered before it
 * and is not listed. Pass only workers eligible now (an exited or slashed worker is not listed either). Read
 * backwards, page by page, through at most SIGNATURE_SCAN attestations, stopping once every worker has one; also
 * returns the newest attestation of all.
 */
export async function lastSignatures(
  client: PublicClient,
  d: Deployment,
  workers: readonly Signer[],
  head: bigint,
): Promise<{ last: Map<Address, Attestation>; newest: Attestation | undefined }> {
  const last = new Map<Address, Attestation>();
  let newest: Attestation | undefined;
  let scanned = 0;
  for (const [fromBlock, toBlock] of pagesBackwards(BigInt(d.startBlock), head)) {
    if (last.size === workers.length || scanned >= SIGNATURE_SCAN) break;
    const logs = await client.getContractEvents({ address: d.contracts.settlement, abi: rewardSettlementAbi, eventName: "Attested", fromBlock, toBlock });
    for (const l of [...logs].reverse()) {
      if (last.size === workers.length || scanned >= SIGNATURE_SCAN) break;
      scanned++;
      const a = toAttestation(l);
      newest ??= a;
      const absent = new Set(l.args.nonSigners ?? []);
      for (const w of workers) {
        if (last.has(w.address) || w.registeredAt >= a.block || absent.has(w.index)) continue;
        last.set(w.address, a);
      }
    }
  }
  return { last, newest };
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
