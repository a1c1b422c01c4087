/**
 * A run's seed, drawn from the hash of its seed block (RunRegistry: start block + SEED_DELAY), read with `seedOf` once
 * that block exists. Before, `seedOf` reverts `SeedNotDrawn`: the reader waits a block ("drawing your mine…"). Past
 * blockhash's 256-block reach an unsubmitted run's seed is gone (`SeedExpired`): such a run is past its deadline, and
 * the player starts a new one. A submitted run's seed is also in its RunSubmitted event (epoch.ts).
 */
import { BaseError, ContractFunctionRevertedError, type Address, type Hex, type PublicClient } from "viem";
import { runRegistryAbi } from "./generated/abis.js";

export type SeedState =
  | { state: "drawn"; seed: Hex }
  /** The seed block is not on-chain yet. */
  | { state: "waiting"; seedBlock: bigint }
  /** The seed block is out of blockhash's reach and the run was never submitted: start a new run. */
  | { state: "expired"; seedBlock: bigint };

export class SeedExpiredError extends Error {
  constructor(
    readonly runId: bigint,
    readonly seedBlock: bigint,
  ) {
    super(
      `the seed of this run came from block ${seedBlock}, now out of the chain's 256-block reach: the run can no longer ` +
        "be played or submitted; start a new one",
    );
  }
}

export class SeedWaitError extends Error {}

function revertOf(e: unknown): { errorName?: string; args?: readonly unknown[] } | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const r = e.walk((x) => x instanceof ContractFunctionRevertedError);
  return r instanceof ContractFunctionRevertedError ? r.data : undefined;
}

/** Reads run `runId`'s seed: drawn, still waiting for its block, or expired. Other errors are thrown. */
export async function readSeed(client: PublicClient, registry: Address, runId: bigint): Promise<SeedState> {
  try {
    const seed = await client.readContract({ address: registry, abi: runRegistryAbi, functionName: "seedOf", args: [runId] });
    return { state: "drawn", seed };
  } catch (e) {
    const r = revertOf(e);
    if (r?.errorName === "SeedNotDrawn") return { state: "waiting", seedBlock: r.args![1] as bigint };
    if (r?.errorName === "SeedExpired") return { state: "expired", seedBlock: r.args![1] as bigint };
    throw e;
  }
}

/**
 * Waits for run `runId`'s seed: polls `seedOf` every `pollMs` (telling `onWait` which block it waits for) until the
 * seed block exists. Throws SeedExpiredError for an expired run, SeedWaitError after `timeoutMs` or on `signal`.
 */
export async function waitForSeed(
  client: PublicClient,
  registry: Address,
  runId: bigint,
  opts: { pollMs?: number; timeoutMs?: number; signal?: AbortSignal; onWait?: (seedBlock: bigint) => void } = {},
): Promise<Hex> {
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  for (;;) {
    const s = await readSeed(client, registry, runId);
    if (s.state === "drawn") return s.seed;
    if (s.state === "expired") throw new SeedExpiredError(runId, s.seedBlock);
    opts.onWait?.(s.seedBlock);
    if (opts.signal?.aborted) throw new SeedWaitError("stopped waiting for the seed block");
    if (Date.now() > deadline) {
      throw new SeedWaitError(
        `block ${s.seedBlock}, whose hash draws this run's seed, did not arrive in time: is the chain producing blocks?`,
      );
    }
    await new Promise((r) => setTimeout(r, opts.pollMs ?? 500));
  }
}
