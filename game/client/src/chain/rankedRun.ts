/**
 * A ranked run between its start and its submission, whatever happens to the page: the open run read from the
 * chain (`lastRunOf` + `runOf`, its seed with `seedOf` once its seed block exists: game/chain/seed.ts), its inputs
 * kept in this browser (ranked-keep.ts, with the seed they were played on), resuming it after a reload or
 * submitting what was played, giving it up (submitted as is, so ranked play is never locked), and the warning
 * before leaving the page while a run's inputs are not on-chain yet.
 */
import { useQuery } from "@tanstack/react-query";
import { parseEventLogs, type Address, type Hex } from "viem";
import { runRegistryAbi } from "../../../chain/generated/abis.js";
import { readSeed } from "../../../chain/seed.js";
import { bytesToHex, decodeInputs, encodeInputs, hexToBytes } from "../../../sim/index.js";
import { browserStorage, forgetRun, readKept, type KeptRun } from "../ranked-keep.js";
import { RunController, type RunSpec } from "../run.js";
import { useGame } from "../store.js";
import { sessionFor, sessionWallet } from "./session.js";
import { runTx } from "./tx.js";
import type { SurgeContext } from "./useSurge.js";

/** Blocks a ranked run ends itself before its submit deadline, so its inputs still reach the chain in time. */
export const DEADLINE_MARGIN = 4n;
/** A kept run with fewer blocks than this left is not resumed (no time to play on): what was played is submitted. */
export const MIN_RESUME_BLOCKS = DEADLINE_MARGIN + 6n;

export interface OpenRun {
  runId: bigint;
  /** Its seed, once its seed block exists (null while it is being drawn). */
  seed: Hex | null;
  boostBps: number;
  /** Last block in which it may be submitted. */
  deadline: bigint;
  /** Blocks left before the deadline (0 when it passed). */
  left: bigint;
  block: bigint;
  /** Its inputs kept in this browser, if it was played here. */
  kept: KeptRun | null;
}

/** The player's run that is started and may still be submitted (the one that makes `startRun` revert), if any. */
export async function readOpenRun(ctx: SurgeContext): Promise<OpenRun | null> {
  const { publicClient, deployment, player, chainId } = ctx;
  if (!publicClient || !deployment || !player) return null;
  const registry = deployment.contracts.runRegistry;
  const [runId, window, block] = await Promise.all([
    publicClient.readContract({ address: registry, abi: runRegistryAbi, functionName: "lastRunOf", args: [player] }),
    publicClient.readContract({ address: registry, abi: runRegistryAbi, functionName: "submitWindow" }),
    publicClient.getBlockNumber(),
  ]);
  if (runId === 0n) return null;
  const run = await publicClient.readContract({ address: registry, abi: runRegistryAbi, functionName: "runOf", args: [runId] });
  const deadline = BigInt(run.startBlock) + window;
  const storage = browserStorage();
  if (run.status !== 1 || block > deadline) {
    // Submitted, or too late to be: nothing of it is worth keeping any more.
    forgetRun(storage, chainId, registry, runId);
    return null;
  }
  const seed = await readSeed(publicClient, registry, runId);
  let kept = readKept(storage, chainId, registry, runId);
  if (kept && seed.state === "drawn" && kept.seed.toLowerCase() !== seed.seed.toLowerCase()) {
    // Inputs kept for another mine than the chain's (a copy from an older deployment at the same address): useless.
    forgetRun(storage, chainId, registry, runId);
    kept = null;
  }
  return {
    runId,
    seed: seed.state === "drawn" ? seed.seed : null,
    boostBps: Number(run.boostBps),
    deadline,
    left: deadline - block,
    block,
    kept,
  };
}

export function useOpenRun(ctx: SurgeContext) {
  return useQuery({
    queryKey: ["open-run", ctx.chainId, ctx.deployment?.contracts.runRegistry, ctx.player],
    enabled: Boolean(ctx.player && ctx.deployment && ctx.publicClient),
    refetchInterval: 3_000,
    queryFn: () => readOpenRun(ctx),
  });
}

/** The spec of a ranked run, with where it lives (so its inputs are kept as they are played). */
export function rankedSpec(ctx: SurgeContext, run: Omit<RunSpec, "mode" | "chainId" | "registry" | "player">): RunSpec {
  return {
    ...run,
    mode: "ranked",
    chainId: ctx.chainId,
    registry: ctx.deployment?.contracts.runRegistry,
    player: ctx.player,
  };
}

/**
 * Puts a kept run back on screen: resumed paused where it stood, or — when it is over, or too little time is left
 * to play on — over at once, so the Play panel submits what was played.
 */
export function resumeKept(ctx: SurgeContext, open: OpenRun): void {
  const kept = open.kept;
  if (!kept) return;
  const spec = rankedSpec(ctx, {
    seed: kept.seed,
    runId: open.runId,
    boostBps: kept.boostBps,
    deadline: open.deadline,
    signer: kept.signer,
  });
  const actions = decodeInputs(hexToBytes(kept.inputs));
  const submitNow = kept.ended || open.left < MIN_RESUME_BLOCKS;
  const c = RunController.restore(spec, actions, submitNow);
  if (submitNow && !kept.ended) c.endNote = "Submitted as played: no time left to play on";
  const game = useGame.getState();
  game.begin(c);
  if (c.over) game.setOutcome({ spec: c.spec, result: c.result(), reason: c.endReason(), inputsHex: c.inputsHex() });
}

/** Runs whose inputs reached the chain in this page (no leave warning for them). */
const submitted = new Set<string>();
/** Runs whose submission is on its way from this page (not to be resumed meanwhile). */
const inFlight = new Set<string>();

export function isSubmitting(runId: bigint): boolean {
  return inFlight.has(runId.toString());
}

/** Submits a ranked run's inputs (through the session key that started it, else the wallet); forgets the kept copy. */
export async function submitRanked(
  ctx: SurgeContext,
  runId: bigint,
  inputsHex: Hex,
  signer: "session" | "wallet",
  label = "Submit run",
): Promise<{ epoch: bigint }> {
  inFlight.add(runId.toString());
  try {
    return await sendSubmit(ctx, runId, inputsHex, signer, label);
  } finally {
    inFlight.delete(runId.toString());
  }
}

async function sendSubmit(
  ctx: SurgeContext,
  runId: bigint,
  inputsHex: Hex,
  signer: "session" | "wallet",
  label: string,
): Promise<{ epoch: bigint }> {
  const { deployment, publicClient, walletClient, player, chainId, chain } = ctx;
  if (!deployment || !publicClient || !player) throw new Error("Not connected to the chain the run was started on.");
  const args = [runId, inputsHex] as const;
  const registry = deployment.contracts.runRegistry;
  const receipt =
    signer === "session"
      ? await runTx(`${label} (session key)`, publicClient, () =>
          sessionWallet(sessionFor(chainId, player as Address), chain).writeContract({
            address: registry,
            abi: runRegistryAbi,
            functionName: "submitRun",
            args,
          }),
        )
      : await runTx(label, publicClient, () => {
          if (!walletClient) throw new Error("the wallet is not connected");
          return walletClient.writeContract({ address: registry, abi: runRegistryAbi, functionName: "submitRun", args });
        });
  const [ev] = parseEventLogs({ abi: runRegistryAbi, logs: receipt.logs, eventName: "RunSubmitted" });
  if (!ev) throw new Error("the transaction emitted no RunSubmitted event");
  submitted.add(runId.toString());
  forgetRun(browserStorage(), chainId, registry, runId);
  updateLeaveWarning();
  return { epoch: ev.args.epoch };
}

/**
 * Gives up an open run: submits it as it stands (the inputs kept here, or none if it was played elsewhere), so the
 * player may start another. A run on screen is closed.
 */
export async function giveUp(ctx: SurgeContext, open: OpenRun, sessionActive: boolean): Promise<void> {
  const inputs: Hex = open.kept?.inputs ?? bytesToHex(encodeInputs([]));
  const signer = open.kept?.signer === "session" && sessionActive ? "session" : "wallet";
  await submitRanked(ctx, open.runId, inputs, signer, "Give up and submit the run");
  const game = useGame.getState();
  if (game.controller?.spec.runId === open.runId) game.quit();
}

// ---------------------------------------------------------------- the leave warning

/** A ranked run is on screen whose inputs are not on-chain yet: leaving would interrupt it. */
export function rankedRunAtStake(): boolean {
  const c = useGame.getState().controller;
  return Boolean(c && c.spec.mode === "ranked" && c.spec.runId !== undefined && !submitted.has(c.spec.runId.toString()));
}

function onBeforeUnload(e: BeforeUnloadEvent): void {
  // The inputs are kept in this browser, so a reload resumes the run; still, say so before the page goes.
  useGame.getState().controller?.keep();
  e.preventDefault();
  e.returnValue = "";
}

let warning = false;
/** Registers the `beforeunload` warning exactly while a ranked run is at stake. */
export function updateLeaveWarning(): void {
  const want = rankedRunAtStake();
  if (want === warning) return;
  warning = want;
  if (want) window.addEventListener("beforeunload", onBeforeUnload);
  else window.removeEventListener("beforeunload", onBeforeUnload);
}

if (typeof window !== "undefined") {
  useGame.subscribe(updateLeaveWarning);
  updateLeaveWarning();
}
