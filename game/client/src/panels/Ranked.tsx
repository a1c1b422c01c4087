/**
 * Ranked play: `startRun` (or `startRunFor` through the session key) commits the player to a run whose seed comes
 * from the hash of the next block; the card shows "Drawing your mine…" until that block exists and `seedOf` gives
 * the seed (game/chain/seed.ts), then the run begins. After the run the encoded inputs go to `submitRun`. The session
 * key spares a wallet prompt per run; GOLD always goes to the player.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useBlockNumber } from "wagmi";
import { bus } from "../bus.js";
import { formatEther, parseEventLogs, type Address } from "viem";
import { runRegistryAbi } from "../../../chain/generated/abis.js";
import { runLabel } from "../../../chain/runId.js";
import { SeedExpiredError, waitForSeed } from "../../../chain/seed.js";
import { blocksToWords, useBlockTime } from "../chain/blocktime.js";
import { isLocalChain } from "../chain/chains.js";
import { fundOnDevnet } from "../chain/local.js";
import {
  DEADLINE_MARGIN,
  giveUp,
  isSubmitting,
  MIN_RESUME_BLOCKS,
  rankedSpec,
  resumeKept,
  submitRanked,
  useOpenRun,
  type OpenRun,
} from "../chain/rankedRun.js";
import { sessionFor, sessionWallet, SESSION_FUNDING_WEI, SESSION_LOW_WEI, SESSION_SECONDS } from "../chain/session.js";
import { explainError, runTx } from "../chain/tx.js";
import { useSurge, type SurgeContext } from "../chain/useSurge.js";
import type { RunSpec } from "../run.js";
import { useGame, useUi, type Outcome } from "../store.js";

function useSessionStatus(ctx: SurgeContext) {
  const { player, deployment, publicClient, chainId } = ctx;
  return useQuery({
    queryKey: ["session", chainId, player, deployment?.contracts.runRegistry],
    enabled: Boolean(player && deployment && publicClient),
    refetchInterval: 4_000,
    queryFn: async () => {
      const session = sessionFor(chainId, player!);
      const [expiry, balance, boost, block] = await Promise.all([
        publicClient!.readContract({
          address: deployment!.contracts.runRegistry,
          abi: runRegistryAbi,
          functionName: "sessionKeyExpiry",
          args: [player!, session.address],
        }),
        publicClient!.getBalance({ address: session.address }),
        publicClient!.readContract({
          address: deployment!.contracts.runRegistry,
          abi: runRegistryAbi,
          functionName: "currentBoostOf",
          args: [player!],
        }),
        publicClient!.getBlock(),
      ]);
      return { session, expiry, balance, boost, active: expiry > block.timestamp };
    },
  });
}

export function RankedCard({ onStart }: { onStart: (spec: RunSpec) => void }) {
  const ctx = useSurge();
  const { player, deployment, publicClient, walletClient, chainId, chain } = ctx;
  const status = useSessionStatus(ctx);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [useSession, setUseSession] = useState(true);
  /** A run started here whose seed is being drawn (or could not be read: retry). */
  const [drawing, setDrawing] = useState<(Omit<RunSpec, "mode" | "seed"> & { runId: bigint; seedBlock: bigint | null }) | null>(null);

  const ready = Boolean(player && deployment && publicClient && walletClient);
  const sessionActive = status.data?.active === true;
  const open = useOpenRun(ctx);
  const openRun = open.data ?? null;
  const secondsPerBlock = useBlockTime(publicClient, chainId);

  // After a reload: the run kept in this browser comes back by itself, paused where it stood (or, with no time
  // left to play, over at once, so what was played is submitted).
  useEffect(() => {
    if (!openRun?.kept || autoResumed.has(openRun.runId.toString()) || isSubmitting(openRun.runId) || useGame.getState().controller) return;
    autoResumed.add(openRun.runId.toString());
    resumeKept(ctx, openRun);
  }, [openRun]);

  async function enableSession() {
    if (!ready || !status.data) return;
    setBusy("session");
    setError(null);
    try {
      const { session } = status.data;
      const expiry = BigInt(Math.floor(Date.now() / 1000) + SESSION_SECONDS);
      await runTx("Authorize session key", publicClient!, () =>
        walletClient!.writeContract({
          address: deployment!.contracts.runRegistry,
          abi: runRegistryAbi,
          functionName: "authorizeSessionKey",
          args: [session.address, expiry],
        }),
      );
      if (status.data.balance < SESSION_LOW_WEI) {
        if (isLocalChain(chainId)) await fundOnDevnet(session.address, SESSION_FUNDING_WEI);
        else {
          await runTx("Send gas money to the session key", publicClient!, () =>
            walletClient!.sendTransaction({ to: session.address, value: SESSION_FUNDING_WEI }),
          );
        }
      }
      await status.refetch();
    } catch (e) {
      setError(explainError(e));
    } finally {
      setBusy(null);
    }
  }

  async function revokeSession() {
    if (!ready || !status.data) return;
    setBusy("revoke");
    setError(null);
    try {
      await runTx("Revoke session key", publicClient!, () =>
        walletClient!.writeContract({
          address: deployment!.contracts.runRegistry,
          abi: runRegistryAbi,
          functionName: "authorizeSessionKey",
          args: [status.data!.session.address, 0n],
        }),
      );
      await status.refetch();
    } catch (e) {
      setError(explainError(e));
    } finally {
      setBusy(null);
    }
  }

  async function start() {
    if (!ready) return;
    setBusy("start");
    setError(null);
    try {
      const viaSession = useSession && sessionActive && status.data !== undefined;
      const registry = deployment!.contracts.runRegistry;
      const receipt = viaSession
        ? await runTx("Start ranked run (session key)", publicClient!, () =>
            sessionWallet(status.data!.session, chain).writeContract({
              address: registry,
              abi: runRegistryAbi,
              functionName: "startRunFor",
              args: [player as Address],
            }),
          )
        : await runTx("Start ranked run", publicClient!, () =>
            walletClient!.writeContract({ address: registry, abi: runRegistryAbi, functionName: "startRun" }),
          );
      const [started] = parseEventLogs({ abi: runRegistryAbi, logs: receipt.logs, eventName: "RunStarted" });
      if (!started) throw new Error("the transaction emitted no RunStarted event");
      const run = {
        runId: started.args.runId,
        boostBps: Number(started.args.boostBps),
        deadline: started.args.deadline,
        signer: viaSession ? ("session" as const) : ("wallet" as const),
        seedBlock: started.args.seedBlock,
      };
      setDrawing(run);
      await draw(run);
    } catch (e) {
      const message = explainError(e);
      if (/RunAlreadyActive/.test(message)) {
        // The open run is shown below with what to do about it (resume, or give up and submit).
        await open.refetch();
        setError("You already have a ranked run open: resume it, or give it up (it is submitted as it stands), then play again.");
      } else setError(message);
    } finally {
      setBusy(null);
    }
  }

  /** Waits for the run's seed block, reads the seed and begins the run; on failure says so (retry, or start anew). */
  async function draw(run: NonNullable<typeof drawing>) {
    setBusy("draw");
    setError(null);
    try {
      const seed = await waitForSeed(publicClient!, deployment!.contracts.runRegistry, run.runId, {
        pollMs: 250,
        onWait: (seedBlock) => setDrawing((d) => (d && d.runId === run.runId && d.seedBlock !== seedBlock ? { ...d, seedBlock } : d)),
      });
      setDrawing(null);
      if (run.deadline !== undefined && (await publicClient!.getBlockNumber()) + MIN_RESUME_BLOCKS > run.deadline) {
        // Drawn too late to play it: it is open until its deadline; give it up (below) or let it pass.
        await open.refetch();
        setError(`Your mine for ${runLabel(run.runId)} was drawn too close to its deadline to play it: give it up, then play again.`);
        return;
      }
      const { seedBlock: _seedBlock, ...spec } = run;
      onStart(rankedSpec(ctx, { ...spec, seed }));
    } catch (e) {
      if (e instanceof SeedExpiredError) {
        setDrawing(null);
        await open.refetch();
        setError(`Your mine for ${runLabel(run.runId)} can no longer be drawn: ${e.message}.`);
      } else {
        setError(`Could not read your mine's seed: ${explainError(e)}`);
      }
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="card" data-testid="ranked-card">
      <h2>Ranked</h2>
      <p>
        The seed is drawn on-chain; your inputs are submitted, replayed by bonded workers, and the gold you dig is
        paid in GOLD once the epoch is final.
      </p>
      {!player && <p className="muted">Connect a wallet (top right) to play ranked.</p>}
      {player && !deployment && <p className="muted">No Surge Gold deployment on this chain (see the notice above).</p>}
      {ready && status.data && (
        <>
          <p>
            {status.data.boost > 0n ? <>Boost from staked sgETH: <b>+{(Number(status.data.boost) / 100).toFixed(2)}%</b></> : "No boost yet: stake sgETH (Vault tab) to earn up to +50% GOLD on ranked runs"}
          </p>
          <p data-testid="session-status">
            Session key {status.data.session.address.slice(0, 8)}…:{" "}
            {sessionActive ? (
              <>
                <b className="ok">active</b> until {new Date(Number(status.data.expiry) * 1000).toLocaleString()} · gas{" "}
                {Number(formatEther(status.data.balance)).toFixed(4)} ETH
              </>
            ) : (
              <><b>not enabled yet</b>{ctx.connector?.id === "burner" ? " (the burner signs it at once, no prompt)" : ""}: enable it once, then runs start without a prompt each</>
            )}
          </p>
          <div className="row">
            {!sessionActive ? (
              <button data-testid="enable-session" disabled={busy !== null} onClick={enableSession}>
                {busy === "session" ? "Authorizing…" : ctx.connector?.id === "burner" ? "Enable session key" : "Enable session key (one wallet prompt)"}
              </button>
            ) : (
              <>
                <label>
                  <input type="checkbox" checked={useSession} onChange={(e) => setUseSession(e.target.checked)} /> play
                  through the session key
                </label>
                <button disabled={busy !== null} onClick={revokeSession}>
                  Revoke
                </button>
              </>
            )}
          </div>
        </>
      )}
      {ready && openRun && drawing?.runId !== openRun.runId && (
        <OpenRunBox open={openRun} secondsPerBlock={secondsPerBlock} sessionActive={sessionActive} onDone={() => setError(null)} />
      )}
      {drawing && (
        <p data-testid="drawing-mine" data-state={busy === "draw" ? "waiting" : "failed"}>
          {busy === "draw" ? (
            <>
              <b>Drawing your mine…</b> its seed is the hash of block {drawing.seedBlock?.toString() ?? "after the start"}, which
              nobody knows before it is made
            </>
          ) : (
            <>
              {runLabel(drawing.runId)} is started but its mine is not drawn yet.{" "}
              <button data-testid="retry-seed" onClick={() => void draw(drawing)}>
                Retry
              </button>
            </>
          )}
        </p>
      )}
      <button className="primary" data-testid="play-ranked" disabled={!ready || busy !== null || openRun !== null || drawing !== null} onClick={start}>
        {busy === "start" ? "Starting run on-chain…" : busy === "draw" ? "Drawing your mine…" : "Play ranked"}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

/** Runs this page has put back on screen by itself after a reload (once each). */
const autoResumed = new Set<string>();

/**
 * A ranked run of the player's that is started and not submitted: how long is left to submit it, and what to do —
 * resume it (when its inputs are kept in this browser and there is time to play on) or give it up (submitted as it
 * stands), so ranked play is never locked.
 */
export function OpenRunActions({ open, secondsPerBlock, sessionActive, onDone }: { open: OpenRun; secondsPerBlock: number; sessionActive: boolean; onDone?: () => void }) {
  const ctx = useSurge();
  const queryClient = useQueryClient();
  const setPanel = useUi((s) => s.setPanel);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const onScreen = useGame((s) => s.controller?.spec.runId === open.runId);
  const canResume = open.kept !== null && !open.kept.ended && open.left >= MIN_RESUME_BLOCKS;

  function resume() {
    if (!onScreen) resumeKept(ctx, open);
    setPanel("play");
  }

  async function quit() {
    setBusy(true);
    setError(null);
    try {
      await giveUp(ctx, open, sessionActive);
      await Promise.all([
        queryClient.invalidateQueries({ queryKey: ["open-run"] }),
        queryClient.invalidateQueries({ queryKey: ["runs"] }),
      ]);
      onDone?.();
    } catch (e) {
      setError(explainError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <span className="open-run-actions">
      {canResume && (
        <button className="primary" data-testid="resume-run" disabled={busy} onClick={resume}>
          {onScreen ? "Back to the run" : "Resume"}
        </button>
      )}
      <button data-testid="give-up" disabled={busy} onClick={() => void quit()} title="Ends the run now and submits the inputs played so far (or none)">
        {busy ? "Submitting…" : "Give up and submit"}
      </button>
      {error && (
        <span className="error" role="alert">
          {error}
        </span>
      )}
      <span className="muted small" data-testid="open-run-left">
        {" "}
        {blocksToWords(open.left, secondsPerBlock)} left to submit it
        {open.kept ? ` · ${(open.kept.ticks / 20).toFixed(1)} s played here` : " · played in another browser: nothing kept here"}
      </span>
    </span>
  );
}

function OpenRunBox(props: { open: OpenRun; secondsPerBlock: number; sessionActive: boolean; onDone?: () => void }) {
  return (
    <div className="open-run" data-testid="open-run">
      <p>
        <b>You have a ranked run open.</b> Finish it or give it up before starting another.
      </p>
      <OpenRunActions {...props} />
    </div>
  );
}

type SubmitState =
  | { state: "submitting" }
  | { state: "submitted"; epoch: bigint }
  | { state: "failed"; message: string };

export function RankedSubmit({ outcome }: { outcome: Outcome }) {
  const ctx = useSurge();
  const setPanel = useUi((s) => s.setPanel);
  const [sub, setSub] = useState<SubmitState>({ state: "submitting" });
  const started = useRef(false);

  async function submit() {
    const { deployment, publicClient, player } = ctx;
    const runId = outcome.spec.runId;
    if (!deployment || !publicClient || !player || runId === undefined) {
      setSub({ state: "failed", message: "Not connected to the chain the run was started on." });
      return;
    }
    setSub({ state: "submitting" });
    try {
      const ev = await submitRanked(ctx, runId, outcome.inputsHex, outcome.spec.signer ?? "wallet");
      setSub({ state: "submitted", epoch: ev.epoch });
    } catch (e) {
      setSub({ state: "failed", message: explainError(e) });
    }
  }

  useEffect(() => {
    if (started.current || !ctx.publicClient || !ctx.deployment) return;
    started.current = true;
    void submit();
  }, [ctx.publicClient, ctx.deployment]);

  return (
    <div className="submit" data-testid="ranked-submit" data-state={sub.state}>
      {sub.state === "submitting" && <p>Submitting your inputs on-chain…</p>}
      {sub.state === "submitted" && (
        <p>
          <b className="ok">Submitted</b> {outcome.spec.runId === undefined ? "" : runLabel(outcome.spec.runId)} in epoch {sub.epoch.toString()}. Workers replay
          it once the epoch closes.{" "}
          <button data-testid="goto-runs" onClick={() => setPanel("runs")}>
            Follow it in Runs & rewards
          </button>
        </p>
      )}
      {sub.state === "failed" && (
        <p className="error" role="alert">
          Submission failed: {sub.message}{" "}
          <button onClick={() => void submit()}>Retry</button>
        </p>
      )}
    </div>
  );
}

/**
 * The submit deadline of a ranked run in progress, in blocks: shown under the HUD, and when it comes close the run
 * ends (as if the player climbed out) so that it can still be submitted.
 */
export function RankedClock({ spec }: { spec: RunSpec }) {
  const { chainId, publicClient } = useSurge();
  const block = useBlockNumber({ chainId: chainId as never, watch: true });
  const secondsPerBlock = useBlockTime(publicClient, chainId);
  const phase = useGame((s) => s.phase);
  const left = spec.deadline !== undefined && block.data !== undefined ? spec.deadline - block.data : null;
  const ending = left !== null && left <= DEADLINE_MARGIN;
  useEffect(() => {
    if (ending && (phase === "playing" || phase === "paused")) bus.emit("finish", undefined);
  }, [ending, phase]);
  if (left === null) return null;
  return (
    <p className={left <= 15n ? "error small" : "muted small"} data-testid="ranked-clock" data-deadline-block={spec.deadline!.toString()} title={`submit by block ${spec.deadline!.toString()}`}>
      Ranked run: {blocksToWords(left > 0n ? left : 0n, secondsPerBlock)} left to submit it
      {ending ? " — ending the run now so it can still be submitted" : ""}
    </p>
  );
}
