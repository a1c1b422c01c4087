/**
 * A viem transport that splits `eth_getLogs` over a long block range into requests of at most `pageBlocks` blocks
 * (public RPCs refuse or truncate large ranges: commonly 1,000 to 10,000 blocks), in order, and joins the results.
 * Every other request passes through. The client reads its panels' history from a deployment's first block on, so on
 * a public chain that history spans far more than one page.
 */
import { numberToHex, type EIP1193RequestFn, type Transport } from "viem";

interface LogFilter {
  fromBlock?: string;
  toBlock?: string;
  blockHash?: string;
  [key: string]: unknown;
}

export function withLogPaging<T extends Transport>(inner: T, pageBlocks = 5_000n): T {
  if (pageBlocks < 1n) throw new Error("pageBlocks must be at least 1");
  return ((options: Parameters<T>[0]) => {
    const transport = inner(options);
    const request = transport.request as (args: { method: string; params?: unknown }) => Promise<unknown>;
    const paged = async (args: { method: string; params?: unknown }): Promise<unknown> => {
      if (args.method !== "eth_getLogs" || !Array.isArray(args.params)) return request(args);
      const filter = args.params[0] as LogFilter | undefined;
      if (filter === undefined || filter.blockHash !== undefined) return request(args);
      const from = await blockOf(filter.fromBlock ?? "earliest", request);
      const to = await blockOf(filter.toBlock ?? "latest", request);
      if (from === null || to === null || to - from < pageBlocks) return request(args);
      const out: unknown[] = [];
      for (let start = from; start <= to; start += pageBlocks) {
        const end = start + pageBlocks - 1n < to ? start + pageBlocks - 1n : to;
        const page = await request({
          method: "eth_getLogs",
          params: [{ ...filter, fromBlock: numberToHex(start), toBlock: numberToHex(end) }],
        });
        out.push(...(page as unknown[]));
      }
      return out;
    };
    return { ...transport, request: paged as EIP1193RequestFn };
  }) as T;
}

/** A filter's block as a number: hex as given, `earliest` 0, `latest` and the like the current head; else null. */
async function blockOf(
  tag: string,
  request: (args: { method: string; params?: unknown }) => Promise<unknown>,
): Promise<bigint | null> {
  if (tag.startsWith("0x")) return BigInt(tag);
  if (tag === "earliest") return 0n;
  if (tag === "latest" || tag === "safe" || tag === "finalized") {
    const head = (await request({ method: "eth_blockNumber" })) as string;
    return BigInt(head);
  }
  return null; // "pending": let the node decide
}
