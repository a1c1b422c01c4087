/**
 * Deadlines in seconds, not blocks: the chain's block time, measured from the timestamps of its recent blocks (the
 * devnet mines a block a second; a public chain about every 12 s), and a duration in words.
 */
import { useQuery } from "@tanstack/react-query";
import type { PublicClient } from "viem";

/** Blocks looked back to measure the block time. */
const SPAN = 64n;

/** Seconds per block over the last SPAN blocks (at least 1 block; 1 s when the chain is too young to say). */
export async function measureBlockTime(client: PublicClient): Promise<number> {
  const latest = await client.getBlock();
  const span = latest.number < SPAN ? latest.number : SPAN;
  if (span === 0n) return 1;
  const earlier = await client.getBlock({ blockNumber: latest.number - span });
  const seconds = Number(latest.timestamp - earlier.timestamp) / Number(span);
  return seconds > 0 ? Math.round(seconds * 100) / 100 : 1;
}

export function useBlockTime(client: PublicClient | undefined, chainId: number): number {
  const q = useQuery({
    queryKey: ["block-time", chainId],
    enabled: Boolean(client),
    staleTime: 60_000,
    queryFn: () => measureBlockTime(client!),
  });
  return q.data ?? 1;
}

/** `blocks` blocks from now, in words: "3 min 20 s", "45 s", "0 s". */
export function blocksToWords(blocks: bigint | number, secondsPerBlock: number): string {
  const b = Number(blocks);
  return secondsToWords(Math.max(0, b) * secondsPerBlock);
}

export function secondsToWords(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return s % 60 === 0 ? `${m} min` : `${m} min ${s % 60} s`;
  const h = Math.floor(m / 60);
  return m % 60 === 0 ? `${h} h` : `${h} h ${m % 60} min`;
}
