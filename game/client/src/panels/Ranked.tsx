/**
 * Ranked play: `startRun` (or `startRunFor` through the session key) draws the seed on-chain; after the run the
 * encoded inputs go to `submitRun`. The session key spares a wallet prompt per run; GOLD always goes to the player.
 */
import { useQuery } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { useBlockNumber } from "wagmi";
import { bus } from "../bus.js";
import { formatEther, parseEventLogs, type Address } from "viem";
import { runRegistryAbi } from "../../../chain/generated/abis.js";
import { isLocalChain } from "../chain/chains.js";
import { fundOnDevnet } from "../chain/local.js";
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

  const ready = Boolean(player && deployment && publicClient && walletClient);
  const sessionActive = status.data?.active === true;

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
      onStart({
        mode: "ranked",
        seed: started.args.seed,
        runId: started.args.runId,
        boostBps: Number(started.args.boostBps),
        deadline: started.args.deadline,
        signer: viaSession ? "session" : "wallet",
      });
    } catch (e) {
      setError(explainError(e));
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
      <button className="primary" data-testid="play-ranked" disabled={!ready || busy !== null} onClick={start}>
        {busy === "start" ? "Starting run on-chain…" : "Play ranked"}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}

type SubmitState =
  | { state: "submitting" }
  | { state: "submitted"; epoch: bigint; index: bigint }
  | { state: "failed"; message: string };

export function RankedSubmit({ outcome }: { outcome: Outcome }) {
  const ctx = useSurge();
  const setPanel = useUi((s) => s.setPanel);
  const [sub, setSub] = useState<SubmitState>({ state: "submitting" });
  const started = useRef(false);

  async function submit() {
    const { deployment, publicClient, walletClient, player, chainId, chain } = ctx;
    const runId = outcome.spec.runId;
    if (!deployment || !publicClient || !player || runId === undefined) {
      setSub({ state: "failed", message: "Not connected to the chain the run was started on." });
      return;
    }
    setSub({ state: "submitting" });
    try {
      const args = [runId, outcome.inputsHex] as const;
      const registry = deployment.contracts.runRegistry;
      const receipt =
        outcome.spec.signer === "session"
          ? await runTx("Submit run (session key)", publicClient, () =>
              sessionWallet(sessionFor(chainId, player), chain).writeContract({
                address: registry,
                abi: runRegistryAbi,
                functionName: "submitRun",
                args,
              }),
            )
          : await runTx("Submit run", publicClient, () => {
              if (!walletClient) throw new Error("the wallet is not connected");
              return walletClient.writeContract({ address: registry, abi: runRegistryAbi, functionName: "submitRun", args });
            });
      const [ev] = parseEventLogs({ abi: runRegistryAbi, logs: receipt.logs, eventName: "RunSubmitted" });
      if (!ev) throw new Error("the transaction emitted no RunSubmitted event");
      setSub({ state: "submitted", epoch: ev.args.epoch, index: ev.args.index });
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
          <b className="ok">Submitted</b> as run {sub.index.toString()} of epoch {sub.epoch.toString()}. Workers replay
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

/** Blocks a ranked run ends itself before its submit deadline, so its inputs still reach the chain in time. */
const DEADLINE_MARGIN = 4n;

/**
 * The submit deadline of a ranked run in progress, in blocks: shown under the HUD, and when it comes close the run
 * ends (as if the player climbed out) so that it can still be submitted.
 */
export function RankedClock({ spec }: { spec: RunSpec }) {
  const { chainId } = useSurge();
  const block = useBlockNumber({ chainId: chainId as never, watch: true });
  const phase = useGame((s) => s.phase);
  const left = spec.deadline !== undefined && block.data !== undefined ? spec.deadline - block.data : null;
  const ending = left !== null && left <= DEADLINE_MARGIN;
  useEffect(() => {
    if (ending && (phase === "playing" || phase === "paused")) bus.emit("finish", undefined);
  }, [ending, phase]);
  if (left === null) return null;
  return (
    <p className={left <= 15n ? "error small" : "muted small"} data-testid="ranked-clock">
      Ranked run: submit by block {spec.deadline!.toString()} ({left > 0n ? left.toString() : 0} blocks left)
      {ending ? " — ending the run now so it can still be submitted" : ""}
    </p>
  );
}
