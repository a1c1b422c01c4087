/**
 * Ranked runs kept in this browser while they are played, so a reload (or a crash, or a closed tab) loses nothing:
 * the run's on-chain identity and its inputs so far, in localStorage under
 * `surge-gold.ranked-run.<chainId>.<registry>.<runId>`. The sim is deterministic, so the inputs are the whole state:
 * replaying them from the seed rebuilds the run exactly where it stood (`RunController.restore`). A run leaves the
 * store once it is submitted, or once the chain says it can no longer be (deadline passed).
 */

export interface KeptRun {
  chainId: number;
  /** RunRegistry address (lowercase). */
  registry: string;
  /** The player (lowercase): runs started through a session key are still the player's. */
  player: string;
  runId: string;
  seed: `0x${string}`;
  boostBps: number;
  /** Last block in which the run may be submitted. */
  deadline: string;
  signer: "session" | "wallet";
  /** The inputs played so far, in the on-chain format (game/sim encodeInputs). */
  inputs: `0x${string}`;
  /** Ticks the inputs cover. */
  ticks: number;
  /** The run is over (climbed out, time, energy or lives): only its submission is left. */
  ended: boolean;
  /** Date.now() of the last write. */
  savedAt: number;
}

/** The part of the Web Storage API used here (localStorage in the page; a Map-backed fake in the tests). */
export type KeepStorage = Pick<Storage, "getItem" | "setItem" | "removeItem" | "key" | "length">;

const PREFIX = "surge-gold.ranked-run.";

export function keepKey(chainId: number, registry: string, runId: bigint | string): string {
  return `${PREFIX}${chainId}.${registry.toLowerCase()}.${runId.toString()}`;
}

/** localStorage, or null where there is none (node, a browser that refuses storage). */
export function browserStorage(): KeepStorage | null {
  try {
    return (globalThis as { localStorage?: KeepStorage }).localStorage ?? null;
  } catch {
    return null;
  }
}

function valid(v: unknown): v is KeptRun {
  if (typeof v !== "object" || v === null) return false;
  const k = v as Record<string, unknown>;
  return (
    typeof k.chainId === "number" &&
    typeof k.registry === "string" &&
    typeof k.player === "string" &&
    typeof k.runId === "string" &&
    /^\d+$/.test(k.runId) &&
    typeof k.seed === "string" &&
    /^0x[0-9a-fA-F]{64}$/.test(k.seed) &&
    typeof k.deadline === "string" &&
    /^\d+$/.test(k.deadline) &&
    typeof k.inputs === "string" &&
    /^0x([0-9a-fA-F]{2})*$/.test(k.inputs) &&
    typeof k.ticks === "number" &&
    typeof k.ended === "boolean" &&
    (k.signer === "session" || k.signer === "wallet")
  );
}

/** Writes (or overwrites) a kept run. A full or refused storage is not an error: the run simply is not kept. */
export function keepRun(storage: KeepStorage | null, run: KeptRun): boolean {
  if (!storage) return false;
  const value: KeptRun = { ...run, registry: run.registry.toLowerCase(), player: run.player.toLowerCase() };
  try {
    storage.setItem(keepKey(run.chainId, run.registry, run.runId), JSON.stringify(value));
    return true;
  } catch {
    return false;
  }
}

export function readKept(storage: KeepStorage | null, chainId: number, registry: string, runId: bigint | string): KeptRun | null {
  if (!storage) return null;
  try {
    const raw = storage.getItem(keepKey(chainId, registry, runId));
    if (raw === null) return null;
    const parsed: unknown = JSON.parse(raw);
    return valid(parsed) ? parsed : null;
  } catch {
    return null;
  }
}

/** The runs kept for one chain and registry (optionally one player), newest run first. */
export function keptRuns(storage: KeepStorage | null, chainId: number, registry: string, player?: string): KeptRun[] {
  if (!storage) return [];
  const prefix = `${PREFIX}${chainId}.${registry.toLowerCase()}.`;
  const out: KeptRun[] = [];
  for (let i = 0; i < storage.length; i++) {
    const key = storage.key(i);
    if (key === null || !key.startsWith(prefix)) continue;
    const run = readKept(storage, chainId, registry, key.slice(prefix.length));
    if (run && (player === undefined || run.player === player.toLowerCase())) out.push(run);
  }
  return out.sort((a, b) => (BigInt(b.runId) > BigInt(a.runId) ? 1 : BigInt(b.runId) < BigInt(a.runId) ? -1 : 0));
}

export function forgetRun(storage: KeepStorage | null, chainId: number, registry: string, runId: bigint | string): void {
  try {
    storage?.removeItem(keepKey(chainId, registry, runId));
  } catch {
    // nothing kept, nothing to forget
  }
}
