/**
 * What the Network panel knows about the workers and the epochs' settlement:
 * - the registered workers with their bonds and last signatures (an aggregate attestation names its non-signers, so
 *   a worker eligible then and not named signed it; their liveness verdict: liveness.ts);
 * - each epoch's latency to quorum and to final, over a window much longer than one page of epochs: from the
 *   indexer's /api/epochs when it answers, else from the chain's QuorumReached/EpochFinalized events, paged.
 */
import type { Address, PublicClient } from "viem";
import { runRegistryAbi, workerRegistryAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { indexerGet, type IndexedEpoch } from "./indexer.js";
import { lastSignatures, settlementBlocks, type Attestation } from "./settlement-events.js";

export { livenessOf, pollHealth, type HealthAnswer, type Liveness, type LivenessVerdict } from "./liveness.js";

// ---- workers on-chain

export interface WorkerRow {
  address: Address;
  bond: bigint;
  /** Its place in the registry's signer set (non-signer lists name workers by it). */
  index: number;
  slashes: number;
  exitBlock: number;
  eligible: boolean;
  last: Attestation | undefined;
}

export async function loadWorkers(client: PublicClient, d: Deployment, head: bigint) {
  const reg = d.contracts.workerRegistry;
  const logs = await client.getContractEvents({ address: reg, abi: workerRegistryAbi, eventName: "WorkerRegistered", fromBlock: BigInt(d.startBlock) });
  const registeredAt = new Map<Address, bigint>();
  for (const l of logs) if (!registeredAt.has(l.args.worker!)) registeredAt.set(l.args.worker!, l.blockNumber);
  const addresses = [...registeredAt.keys()];
  const [rows, totalBonded, eligibleStake] = await Promise.all([
    Promise.all(
      addresses.map(async (address) => {
        const [w, eligible] = await Promise.all([
          client.readContract({ address: reg, abi: workerRegistryAbi, functionName: "workerOf", args: [address] }),
          client.readContract({ address: reg, abi: workerRegistryAbi, functionName: "isEligible", args: [address] }),
        ]);
        return { address, bond: w.bond, index: Number(w.index), slashes: Number(w.slashes), exitBlock: Number(w.exitBlock), eligible };
      }),
    ),
    client.readContract({ address: reg, abi: workerRegistryAbi, functionName: "totalBonded" }),
    client.readContract({ address: reg, abi: workerRegistryAbi, functionName: "eligibleStake" }),
  ]);
  const signers = rows.filter((r) => r.eligible).map((r) => ({ address: r.address, index: BigInt(r.index), registeredAt: registeredAt.get(r.address)! }));
  const { last, newest } = await lastSignatures(client, d, signers, head);
  const workers: WorkerRow[] = rows.map((r) => ({ ...r, last: last.get(r.address) }));
  return { workers, totalBonded, eligibleStake, newest };
}

// ---- latency over a long window

/** Epochs the latency summary covers (the devnet's 5-block epochs at a block a second: 10 minutes). */
export const LATENCY_EPOCHS = 120;

export interface LatencySummary {
  /** Epochs in the window that settled (reached quorum). */
  epochs: number;
  /** Blocks the window spans, oldest epoch's end to now. */
  spanBlocks: number;
  quorum: { median: number; max: number } | null;
  final: { median: number; max: number } | null;
  source: "indexer" | "chain";
}

function stats(xs: number[]): { median: number; max: number } | null {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor((s.length - 1) / 2)]!, max: s[s.length - 1]! };
}

/** From the indexer: its last LATENCY_EPOCHS epochs with runs. */
export async function latencyFromIndexer(base: string | null, head: bigint): Promise<LatencySummary> {
  const { epochs } = await indexerGet<{ epochs: IndexedEpoch[] }>(base, `/api/epochs?limit=${LATENCY_EPOCHS}`);
  const settled = epochs.filter((e) => e.quorumLatencyBlocks !== null);
  const oldest = epochs[epochs.length - 1];
  return {
    epochs: settled.length,
    spanBlocks: oldest ? Math.max(0, Number(head - BigInt(oldest.endBlock))) : 0,
    quorum: stats(settled.map((e) => Number(e.quorumLatencyBlocks))),
    final: stats(epochs.filter((e) => e.finalLatencyBlocks !== null).map((e) => Number(e.finalLatencyBlocks))),
    source: "indexer",
  };
}

/**
 * From the chain: QuorumReached and EpochFinalized over the last LATENCY_EPOCHS epochs (read in pages), each measured
 * from its epoch's end (RunRegistry.epochEnd: genesisBlock + (epoch + 1) * epochBlocks).
 */
export async function latencyFromChain(client: PublicClient, d: Deployment, head: bigint): Promise<LatencySummary> {
  const [epochBlocks, genesis] = await Promise.all([
    client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "epochBlocks" }),
    client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "genesisBlock" }),
  ]);
  const span = epochBlocks * BigInt(LATENCY_EPOCHS);
  const from = head > span ? head - span : 0n;
  const { quorumAt, finalAt } = await settlementBlocks(client, d, from, head);
  const end = (epoch: bigint) => genesis + (epoch + 1n) * epochBlocks;
  return {
    epochs: quorumAt.size,
    spanBlocks: Number(head - (from > BigInt(d.startBlock) ? from : BigInt(d.startBlock))),
    quorum: stats([...quorumAt].map(([e, b]) => Number(b - end(e)))),
    final: stats([...finalAt].map(([e, b]) => Number(b - end(e)))),
    source: "chain",
  };
}
