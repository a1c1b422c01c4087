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
 * parallel EVM adds fees up after the fact) are left out of both. A slot written back to the value it had (a
 * reentrancy lock taken and released) is not in the diff: it counts as read, not written.
 *
 * `nameHotKeys` names the keys that serialize a block (`GoldToken._totalSupply`, `RewardSettlement._minted[4]`) from
 * the contracts' storage layouts (`storageLayouts`, solc's own output for the build that was deployed).
 */
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { concatHex, getAddress, keccak256, pad, toHex, type Hash, type Hex, type PublicClient } from "viem";

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

/** A measured block: its parallelism and each transaction's state access (in block order). */
export interface BlockParallelism extends Parallelism {
  accesses: Access[];
}

/**
 * The parallelism `txs` would have if `keys` were no conflict (counters a parallel EVM adds up after the block, or a
 * contract change that removes them): what else serializes them.
 */
export function parallelismWithout(txs: readonly Access[], keys: Iterable<string>): Parallelism {
  const drop = new Set(keys);
  const keep = (s: Set<string>) => new Set([...s].filter((k) => !drop.has(k)));
  return parallelismOf(txs.map((t) => ({ gas: t.gas, reads: keep(t.reads), writes: keep(t.writes) })));
}

/** Parallelism of the given transactions of one block (all must be mined), the coinbase excluded. */
export async function measureBlock(client: PublicClient, hashes: readonly Hash[]): Promise<BlockParallelism> {
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
  return { ...parallelismOf(accesses), accesses };
}

// ---------------------------------------------------------------- naming the hot keys

/** A contract's storage layout, as solc's `storageLayout` output gives it. */
export interface StorageLayout {
  storage: StorageVariable[];
  types: Record<string, StorageType | undefined> | null;
}
interface StorageVariable {
  label: string;
  slot: string;
  offset: number;
  type: string;
}
interface StorageType {
  encoding: "inplace" | "mapping" | "dynamic_array" | "bytes";
  label: string;
  numberOfBytes: string;
  key?: string;
  value?: string;
  members?: StorageVariable[];
}

/** What `storageLayouts` needs of Hardhat's artifacts (`hre.artifacts`). */
export interface ArtifactSource {
  readArtifact(name: string): Promise<{ contractName: string; inputSourceName?: string; buildInfoId?: string }>;
  getBuildInfoPath(buildInfoId: string): Promise<string | undefined>;
}

/**
 * The storage layouts of contracts (by name, as `readArtifact` takes it). Hardhat's builds do not ask solc for
 * layouts, so each build info's input is compiled again asking for nothing else (no code generation: under a second)
 * with the npm `solc` of the build's version (`solc`, or `solc-<version>` for a second compiler).
 */
export async function storageLayouts(artifacts: ArtifactSource, names: readonly string[]): Promise<Map<string, StorageLayout>> {
  const require = createRequire(import.meta.url);
  const wanted = new Map<string, { name: string; source: string; contract: string }[]>();
  for (const name of names) {
    const a = await artifacts.readArtifact(name);
    if (a.buildInfoId === undefined || a.inputSourceName === undefined) throw new Error(`${name}: its artifact names no build info`);
    const path = await artifacts.getBuildInfoPath(a.buildInfoId);
    if (path === undefined) throw new Error(`${name}: build info ${a.buildInfoId} is missing`);
    wanted.set(path, [...(wanted.get(path) ?? []), { name, source: a.inputSourceName, contract: a.contractName }]);
  }
  const layouts = new Map<string, StorageLayout>();
  for (const [path, contracts] of wanted) {
    const info = JSON.parse(readFileSync(path, "utf8")) as { solcVersion: string; input: { settings: Record<string, unknown> } };
    const own = (require("solc/package.json") as { version: string }).version;
    const solc = require(info.solcVersion === own ? "solc" : `solc-${info.solcVersion}`) as { compile(input: string): string };
    const outputSelection: Record<string, Record<string, string[]>> = {};
    for (const c of contracts) outputSelection[c.source] = { ...outputSelection[c.source], [c.contract]: ["storageLayout"] };
    const input = { ...info.input, settings: { ...info.input.settings, outputSelection } };
    const out = JSON.parse(solc.compile(JSON.stringify(input))) as {
      errors?: { severity: string; formattedMessage: string }[];
      contracts?: Record<string, Record<string, { storageLayout: StorageLayout }>>;
    };
    const errors = (out.errors ?? []).filter((e) => e.severity === "error");
    if (errors.length > 0) throw new Error(`storage layouts of ${path}: ${errors.map((e) => e.formattedMessage).join("\n")}`);
    for (const c of contracts) {
      const layout = out.contracts?.[c.source]?.[c.contract]?.storageLayout;
      if (layout === undefined) throw new Error(`solc gave no storage layout for ${c.source}:${c.contract}`);
      layouts.set(c.name, layout);
    }
  }
  return layouts;
}

const word = (v: bigint): Hex => pad(toHex(v), { size: 32 });
const slotsOf = (t: StorageType) => BigInt(Math.max(1, Math.ceil(Number(t.numberOfBytes) / 32)));

function keyText(type: string, key: bigint): string {
  if (type === "t_address") return getAddress(pad(toHex(key), { size: 20 }));
  if (type.startsWith("t_bytes")) return word(key);
  return key.toString();
}

/** The name of `slot` within a value of `type` stored from `base` on (a struct's member, a mapping's entry). */
function nameWithin(layout: StorageLayout, type: string, base: bigint, slot: bigint, keys: readonly bigint[], depth: number): string | null {
  const t = layout.types?.[type];
  if (t === undefined) return null;
  if (t.encoding === "mapping") {
    if (depth === 0) return null;
    for (const k of keys) {
      if (t.key === "t_address" && k >= 1n << 160n) continue;
      const at = BigInt(keccak256(concatHex([word(k), word(base)])));
      const inner = nameWithin(layout, t.value!, at, slot, keys, depth - 1);
      if (inner !== null) return `[${keyText(t.key!, k)}]${inner}`;
    }
    return null;
  }
  if (slot < base || slot >= base + slotsOf(t)) return null;
  if (t.members === undefined) return slot === base ? "" : `[+${slot - base}]`;
  const members = t.members.filter((m) => base + BigInt(m.slot) <= slot && slot < base + BigInt(m.slot) + slotsOf(layout.types![m.type]!));
  if (members.length === 0) return null;
  if (members.length > 1) return `.{${members.map((m) => m.label).join(", ")}}`;
  const m = members[0]!;
  const inner = nameWithin(layout, m.type, base + BigInt(m.slot), slot, keys, depth);
  return inner === null ? null : `.${m.label}${inner}`;
}

/**
 * The variable behind storage `slot` of a contract with `layout`: a variable (and a struct's member), or a mapping's
 * entry under one of `keys` (tried at each level of nested mappings, two at most), e.g. `_minted[4]` or
 * `_epochs[17].runCount`. Several variables packed in one slot are listed: `{a, b}`. Null if none fits.
 */
export function slotName(layout: StorageLayout, slot: bigint, keys: readonly bigint[]): string | null {
  const owners = layout.storage.filter((v) => {
    const t = layout.types?.[v.type];
    return t !== undefined && t.encoding !== "mapping" && BigInt(v.slot) <= slot && slot < BigInt(v.slot) + slotsOf(t);
  });
  if (owners.length > 1) return `{${owners.map((v) => v.label).join(", ")}}`;
  for (const v of owners.length === 1 ? owners : layout.storage) {
    const inner = nameWithin(layout, v.type, BigInt(v.slot), slot, keys, 2);
    if (inner !== null) return `${v.label}${inner}`;
  }
  return null;
}

/** A contract the hot keys may be in: its address, its name, its storage layout. */
export interface NamedContract {
  address: string;
  name: string;
  layout: StorageLayout;
}

/**
 * The hot keys of a measure with names: `Contract.variable[key]` where the contract is known and the slot a
 * variable's (with mapping keys among `keys`), else the raw `address:slot`; `balance`, `nonce` and `code` keys are
 * `Contract.balance` and so on.
 */
export function nameHotKeys(
  hot: readonly [string, number][],
  contracts: readonly NamedContract[],
  keys: readonly bigint[],
): { key: string; name: string; writers: number }[] {
  const byAddress = new Map(contracts.map((c) => [c.address.toLowerCase(), c]));
  return hot.map(([key, writers]) => {
    const [address, field] = key.split(":") as [string, string];
    const c = byAddress.get(address);
    if (c === undefined) return { key, name: key, writers };
    if (!field.startsWith("0x")) return { key, name: `${c.name}.${field}`, writers };
    const name = slotName(c.layout, BigInt(field), keys);
    return { key, name: name === null ? `${c.name} slot ${field}` : `${c.name}.${name}`, writers };
  });
}
