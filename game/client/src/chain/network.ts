/**
 * What the Network panel knows about the workers and the epochs' settlement:
 * - each worker's liveness, from two sources: its own /healthz (the deployment file's `workers` URLs; each answer
 *   names the worker, which is how a URL is matched to an address) and its last attestation on-chain. A worker that
 *   is bonded but neither answers nor attests is offline, whatever the registry says about its stake;
 * - each epoch's latency to quorum and to final, over a window much longer than one page of epochs: from the
 *   indexer's /api/epochs when it answers, else from the chain's QuorumReached/EpochFinalized events, paged.
 */
import { getAddress, type Address, type PublicClient } from "viem";
import { runRegistryAbi, workerRegistryAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { indexerGet, type IndexedEpoch } from "./indexer.js";
import { lastAttestations, settlementBlocks, type Attestation } from "./settlement-events.js";

// ---- /healthz

export type HealthState = "ok" | "unhealthy" | "down";

export interface HealthAnswer {
  url: string;
  state: HealthState;
  /** The worker that answers at this URL: from this answer, or the last one this page saw (a dead URL says nothing). */
  worker: Address | null;
  /** Why it is unhealthy, as it says. */
  error?: string;
  /** The first block at which this page found it not answering (null while it answers). */
  downSince: bigint | null;
}

/** What this page has learned about each URL: who answers there, and since when it does not. */
const seen = new Map<string, { worker: Address | null; downSince: bigint | null }>();

/** Asks every worker URL for /healthz (at most `timeoutMs` each), remembering who answered where. */
export async function pollHealth(urls: readonly string[], head: bigint, timeoutMs = 2_500): Promise<HealthAnswer[]> {
  return Promise.all(
    urls.map(async (url): Promise<HealthAnswer> => {
      const memory = seen.get(url) ?? { worker: null, downSince: null };
      let answer: { state: HealthState; worker?: string; error?: string };
      try {
        const res = await fetch(`${url.replace(/\/+$/, "")}/healthz`, { signal: AbortSignal.timeout(timeoutMs), cache: "no-store" });
        const body = (await res.json().catch(() => ({}))) as { ok?: boolean; worker?: string; lastError?: string };
        answer = { state: res.ok && body.ok === true ? "ok" : "unhealthy", worker: body.worker, error: body.lastError };
      } catch {
        answer = { state: "down" };
      }
      const worker = answer.worker && /^0x[0-9a-fA-F]{40}$/.test(answer.worker) ? getAddress(answer.worker) : memory.worker;
      const downSince = answer.state === "down" ? (memory.downSince ?? head) : null;
      seen.set(url, { worker, downSince });
      return { url, state: answer.state, worker, error: answer.error, downSince };
    }),
  );
}

// ---- liveness

export type Liveness = "online" | "unhealthy" | "offline" | "attesting" | "unknown";

export interface LivenessVerdict {
  liveness: Liveness;
  /** One short sentence: why. */
  why: string;
}

/**
 * A worker's liveness from its /healthz answer (if this page knows its URL) and its last attestation. `newest` is the
 * newest attestation by any worker: a worker whose last one is of an older epoch, while `newest` is at least `grace`
 * blocks old, missed an epoch the others attested.
 */
export function livenessOf(p: {
  health: HealthAnswer | undefined;
  last: Attestation | undefined;
  newest: Attestation | undefined;
  head: bigint;
  grace?: bigint;
}): LivenessVerdict {
  const { health, last, newest, head } = p;
  const grace = p.grace ?? 5n;
  const missed = newest !== undefined && (last === undefined || last.epoch < newest.epoch) && head - newest.block >= grace;
  if (health?.state === "ok") return { liveness: "online", why: "answers /healthz" };
  if (health?.state === "unhealthy") return { liveness: "unhealthy", why: `answers /healthz: unhealthy${health.error ? ` (${health.error})` : ""}` };
  if (health?.state === "down") {
    if (last !== undefined && health.downSince !== null && last.block > health.downSince) {
      return { liveness: "attesting", why: `its /healthz does not answer this page, but it attested at block ${last.block}` };
    }
    return { liveness: "offline", why: `does not answer /healthz (since block ${health.downSince}) and has not attested since` };
  }
  // No /healthz this page can match to it: the chain alone.
  if (missed) return { liveness: "offline", why: `no /healthz known; it did not attest epoch ${newest.epoch}, which others did` };
  if (last !== undefined) return { liveness: "attesting", why: `no /healthz known; it attested the newest attested epoch (${last.epoch})` };
  return { liveness: "unknown", why: "no /healthz known and no attestation yet" };
}

// ---- workers on-chain

export interface WorkerRow {
  address: Address;
  bond: bigint;
  attested: number;
  slashes: number;
  exitBlock: number;
  eligible: boolean;
  last: Attestation | undefined;
}

export async function loadWorkers(client: PublicClient, d: Deployment, head: bigint) {
  const reg = d.contracts.workerRegistry;
  const logs = await client.getContractEvents({ address: reg, abi: workerRegistryAbi, eventName: "WorkerRegistered", fromBlock: BigInt(d.startBlock) });
  const addresses = [...new Set(logs.map((l) => l.args.worker!))];
  const [rows, totalBonded, eligibleStake, last] = await Promise.all([
    Promise.all(
      addresses.map(async (address) => {
        const [w, eligible] = await Promise.all([
          client.readContract({ address: reg, abi: workerRegistryAbi, functionName: "workerOf", args: [address] }),
          client.readContract({ address: reg, abi: workerRegistryAbi, functionName: "isEligible", args: [address] }),
        ]);
        return { address, bond: w.bond, attested: Number(w.attested), slashes: Number(w.slashes), exitBlock: Number(w.exitBlock), eligible };
      }),
    ),
    client.readContract({ address: reg, abi: workerRegistryAbi, functionName: "totalBonded" }),
    client.readContract({ address: reg, abi: workerRegistryAbi, functionName: "eligibleStake" }),
    lastAttestations(client, d, addresses, head),
  ]);
  const workers: WorkerRow[] = rows.map((r) => ({ ...r, last: last.get(r.address) }));
  const newest = [...last.values()].reduce<Attestation | undefined>((a, b) => (a === undefined || b.block > a.block ? b : a), undefined);
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
