/**
 * How parallel a block's transactions could run, from prestate traces (`debug_traceTransaction` with
 * `prestateTracer`): the conflict graph of a block, where a transaction depends on every earlier one that wrote
 * state it reads or writes, and its critical path (the dearest chain of dependent transactions, by gas). A parallel
 * EVM (Block-STM, Monad, pevm) cannot run a block faster than its critical path, so
 * `parallelism = total gas / critical path gas`: 1 for a block whose transactions all touch one slot, the
 * transaction count for fully independent ones.
 *
 * State is keyed per account: `address:slot` for storage, `address:balance`, `address:nonce`, `address:code`.
 * Reads come from the plain prestate trace (every account and slot the transaction touched), writes from the diff
 * trace (`diffMode`: what it changed). Excluded accounts (the block's coinbase: every transaction pays it, yet a
 * parallel EVM adds fees up after the fact) are left out of both.
 */
import type { Hash, PublicClient } from "viem";

/** The state one transaction read and wrote. */
export interface Access {
  gas: number;
  reads: Set<string>;
  writes: Set<string>;
}

interface AccountState {
  balance?: string;
  nonce?: number;
  code?: string;
  storage?: Record<string, string>;
}
type Prestate = Record<string, AccountState>;
interface DiffState {
  pre: Prestate;
  post: Prestate;
}

function keysOf(state: Prestate, exclude: Set<string>, into: Set<string>, fields: boolean): void {
  for (const [address, account] of Object.entries(state)) {
    const a = address.toLowerCase();
    if (exclude.has(a)) continue;
    for (const slot of Object.keys(account.storage ?? {})) into.add(`${a}:${slot}`);
    if (!fields) continue;
    if (account.balance !== undefined) into.add(`${a}:balance`);
    if (account.nonce !== undefined) into.add(`${a}:nonce`);
    if (account.code !== undefined) into.add(`${a}:code`);
  }
}

/**
 * What transaction `hash` (which used `gas`) read and wrote, by two traces. A diff's `post` holds what changed (a slot cleared to zero
 * shows in `pre` only), so writes are the keys of both sides.
 */
export async function accessOf(client: PublicClient, hash: Hash, gas: number, exclude: readonly string[]): Promise<Access> {
  const skip = new Set(exclude.map((a) => a.toLowerCase()));
  const trace = (tracerConfig?: object) =>
    client.request({
      method: "debug_traceTransaction",
      params: [hash, { tracer: "prestateTracer", ...(tracerConfig ? { tracerConfig } : {}) }],
    } as never) as Promise<unknown>;
  const [pre, diff] = await Promise.all([trace() as Promise<Prestate>, trace({ diffMode: true }) as Promise<DiffState>]);
  const reads = new Set<string>();
  const writes = new Set<string>();
  // Every touched account's balance is in the plain prestate; count it as read (conservative: a contract whose ETH
  // balance another transaction changes is a real dependency when it reads it).
  keysOf(pre, skip, reads, true);
  keysOf(diff.post, skip, writes, true);
  // A slot set to zero or an account emptied appears in `pre` only, with the fields it had before.
  for (const [address, account] of Object.entries(diff.pre)) {
    const a = address.toLowerCase();
    if (skip.has(a)) continue;
    const post = diff.post[address] ?? {};
    for (const slot of Object.keys(account.storage ?? {})) if (post.storage?.[slot] === undefined) writes.add(`${a}:${slot}`);
  }
  return { gas, reads, writes };
}

export interface Parallelism {
  totalGas: number;
  criticalPathGas: number;
  /** totalGas / criticalPathGas */
  parallelism: number;
  /** Transactions on the critical path. */
  longestChain: number;
  /** The state keys written by more than one transaction, with how many wrote each (most first). */
  hotKeys: [string, number][];
}

/**
 * The critical path of `txs` in block order: transaction j depends on an earlier i if i wrote a key j reads or
 * writes. Its path weight is its gas plus the heaviest path among those it depends on.
 */
export function parallelismOf(txs: readonly Access[]): Parallelism {
  if (txs.length === 0) throw new Error("no transactions to measure");
  const weight: number[] = [];
  const length: number[] = [];
  for (let j = 0; j < txs.length; j++) {
    const t = txs[j]!;
    let best = 0;
    let bestLen = 0;
    for (let i = 0; i < j; i++) {
      const w = txs[i]!.writes;
      let conflict = false;
      for (const k of w) {
        if (t.reads.has(k) || t.writes.has(k)) {
          conflict = true;
          break;
        }
      }
      if (conflict && weight[i]! > best) [best, bestLen] = [weight[i]!, length[i]!];
    }
    weight.push(best + t.gas);
    length.push(bestLen + 1);
  }
  let at = 0;
  for (let j = 1; j < txs.length; j++) if (weight[j]! > weight[at]!) at = j;
  const totalGas = txs.reduce((a, t) => a + t.gas, 0);
  const writers = new Map<string, number>();
  for (const t of txs) for (const k of t.writes) writers.set(k, (writers.get(k) ?? 0) + 1);
  const hotKeys = [...writers.entries()].filter(([, n]) => n > 1).sort((a, b) => b[1] - a[1]);
  return {
    totalGas,
    criticalPathGas: weight[at]!,
    parallelism: totalGas / weight[at]!,
    longestChain: length[at]!,
    hotKeys,
  };
}

/** Parallelism of the given transactions of one block (all must be mined), the coinbase excluded. */
export async function measureBlock(client: PublicClient, hashes: readonly Hash[]): Promise<Parallelism> {
  if (hashes.length === 0) throw new Error("no transactions to measure");
  const receipts = await Promise.all(hashes.map((hash) => client.getTransactionReceipt({ hash })));
  const blockNumber = receipts[0]!.blockNumber;
  for (const r of receipts) {
    if (r.blockNumber !== blockNumber) throw new Error(`transaction ${r.transactionHash} is in block ${r.blockNumber}, not ${blockNumber}`);
    if (r.status !== "success") {
      const tx = await client.getTransaction({ hash: r.transactionHash });
      throw new Error(`transaction ${r.transactionHash} (to ${r.to}, selector ${tx.input.slice(0, 10)}) reverted`);
    }
  }
  const block = await client.getBlock({ blockNumber });
  const accesses: Access[] = [];
  for (const r of receipts.sort((a, b) => a.transactionIndex - b.transactionIndex)) {
    accesses.push(await accessOf(client, r.transactionHash, Number(r.gasUsed), [block.miner]));
  }
  return parallelismOf(accesses);
}
