/**
 * The indexer (game/indexer) as the page sees it: where it is (`?indexer=` in the page URL, else the deployment
 * file's `indexer`), and its JSON API. Any failure (not configured, not answering, an error status) is an
 * IndexerUnavailable: the panels then fall back to reading the chain directly, and say so.
 */
import type { Deployment } from "../../../chain/deployment.js";

export class IndexerUnavailable extends Error {}

export function indexerUrl(d: Deployment | null): string | null {
  const fromQuery = typeof location === "undefined" ? null : new URLSearchParams(location.search).get("indexer");
  if (fromQuery && /^https?:\/\//.test(fromQuery)) return fromQuery.replace(/\/+$/, "");
  return d?.indexer ?? null;
}

export async function indexerGet<T>(base: string | null, path: string): Promise<T> {
  if (base === null) throw new IndexerUnavailable("this deployment names no indexer");
  let res: Response;
  try {
    // A busy indexer (a backfill, a loaded machine) may take seconds; past 10 s the panel reads the chain itself and
    // asks the indexer again at its next refresh.
    res = await fetch(`${base}${path}`, { signal: AbortSignal.timeout(10_000), headers: { accept: "application/json" } });
  } catch {
    throw new IndexerUnavailable(`the indexer at ${base} does not answer`);
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as { error?: string } | null;
    throw new IndexerUnavailable(`the indexer answered ${res.status}${body?.error ? `: ${body.error}` : ""}`);
  }
  return (await res.json()) as T;
}

/** A run as the indexer's API returns it (integers as decimal strings). */
export interface IndexedRun {
  rank: number;
  runId: string;
  player: string;
  gold: number | null;
  maxDepth: number | null;
  ticks: number | null;
  boostBps: number;
  epoch: string | null;
  submitBlock: string | null;
  claimed: boolean;
}

export interface IndexedBoard {
  indexedBlock: string;
  period: "all" | "day" | "week";
  by: "gold" | "depth";
  runs: IndexedRun[];
  me: { rank: number; best: IndexedRun } | null;
}

export interface IndexedEpoch {
  id: string;
  endBlock: string;
  runCount: number;
  status: string;
  attestations: number;
  round: number;
  challenges: number;
  quorumRoot: string | null;
  finalRoot: string | null;
  windowEnd: string | null;
  quorumLatencyBlocks: string | null;
  finalLatencyBlocks: string | null;
}
