/**
 * The watch over the player's own runs during an epoch's challenge window (game/chain/watch.ts): "your run checked ✓
 * against the attested root", or "root wrong at your run #n: challenging…" (a wrong gold: `challengeLeaf`) or "your
 * run #n is missing from it" (`challengeOmission`), and the challenge sent — by itself through the session key when
 * it has gas for it, else with one click from the wallet — then "challenge sent: root rejected". A run is shown by
 * its nonce ("run #n"), never by its place in the tree. One per epoch and root, shared by the epoch's rows.
 */
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useEffect, useState } from "react";
import type { Address, Hex } from "viem";
import { checkPlayerRuns, describeVerdict, sendChallenge, type WatchVerdict } from "../../../chain/watch.js";
import { epochTree } from "../chain/epochs.js";
import { sessionFor, sessionWallet } from "../chain/session.js";
import { rejectedRootIn } from "../chain/settlement-events.js";
import { explainFraud } from "../chain/errors.js";
import { explainError, runTx } from "../chain/tx.js";
import { useSurge } from "../chain/useSurge.js";

/** A session key with less than this much ETH does not send a challenge by itself (a challenge's replay is costly). */
const CHALLENGE_GAS_WEI = 2_000_000_000_000_000n; // 0.002 ETH

type Sent = { state: "sending"; via: "session" | "wallet" } | { state: "rejected"; tx: Hex } | { state: "failed"; message: string };

/** Challenges sent from this page, by epoch and root: each at most once by itself. */
const autoSent = new Set<string>();
/** Roots this page got rejected, by chain and epoch (the row keeps saying so once the epoch is open again). */
const rejectedHere = new Map<string, Hex>();

/** What this page's challenge did to `epoch`, once its root is gone: shown in the epoch's rows. */
export function RejectedHere({ epoch }: { epoch: bigint }) {
  const { chainId } = useSurge();
  const tx = rejectedHere.get(`${chainId}:${epoch}`);
  if (tx === undefined) return null;
  return (
    <span className="step ok" data-testid="run-watch" data-state="rejected" title={tx}>
      challenge sent: root rejected, its attesters slashed; the epoch is attested again
    </span>
  );
}

export function RunWatch({ epoch, root }: { epoch: bigint; root: Hex }) {
  const { player, deployment, publicClient, walletClient, chainId, chain } = useSurge();
  const queryClient = useQueryClient();
  const [sent, setSent] = useState<Sent | null>(null);
  const key = `${chainId}:${epoch}:${root}`;
  const q = useQuery({
    queryKey: ["watch", chainId, deployment?.contracts.settlement, epoch.toString(), root, player],
    enabled: Boolean(player && deployment && publicClient),
    staleTime: Infinity,
    retry: 2,
    queryFn: async (): Promise<WatchVerdict> =>
      checkPlayerRuns({
        client: publicClient!,
        deployment: deployment!,
        epoch,
        player: player as Address,
        workers: deployment!.workers,
        honest: await epochTree(publicClient!, deployment!, epoch),
      }),
  });
  const verdict = q.data;

  async function challenge(via: "session" | "wallet") {
    if (!verdict || verdict.state !== "wrong" || !deployment || !publicClient || !player) return;
    setSent({ state: "sending", via });
    try {
      const receipt = await runTx(
        via === "session" ? "Challenge the wrong root (session key)" : "Challenge the wrong root",
        publicClient,
        () => {
          if (via === "session") return sendChallenge(sessionWallet(sessionFor(chainId, player as Address), chain), deployment, epoch, verdict.challenge);
          if (!walletClient) throw new Error("the wallet is not connected");
          return sendChallenge(walletClient, deployment, epoch, verdict.challenge);
        },
      );
      if (!rejectedRootIn(receipt.logs)) throw new Error("the transaction emitted no RootRejected event");
      setSent({ state: "rejected", tx: receipt.transactionHash });
      rejectedHere.set(`${chainId}:${epoch}`, receipt.transactionHash);
      await queryClient.invalidateQueries({ queryKey: ["runs"] });
    } catch (e) {
      setSent({ state: "failed", message: explainError(e) });
    }
  }

  // A wrong root at the player's run: challenge it by itself through the session key, if it has gas for it.
  useEffect(() => {
    if (verdict?.state !== "wrong" || autoSent.has(key) || !player || !publicClient) return;
    autoSent.add(key);
    const session = sessionFor(chainId, player as Address);
    void publicClient.getBalance({ address: session.address }).then((balance) => {
      if (balance >= CHALLENGE_GAS_WEI) void challenge("session");
    });
  }, [verdict?.state, key]);

  if (q.error) {
    return (
      <span className="step error" data-testid="run-watch" data-state="error">
        could not check your run: {explainError(q.error)}
      </span>
    );
  }
  if (!verdict) {
    return (
      <span className="step" data-testid="run-watch" data-state="checking">
        checking your run against the attested root…
      </span>
    );
  }
  const state = sent?.state === "rejected" ? "rejected" : verdict.state;
  return (
    <span
      className={`step ${verdict.state === "ok" ? "ok" : verdict.state === "wrong" ? "error" : ""}`}
      data-testid="run-watch"
      data-state={state}
      data-fraud={verdict.state === "wrong" ? verdict.challenge.kind : undefined}
      title={verdict.state === "wrong" ? `${explainFraud(verdict.challenge.kind)} (${verdict.challenge.fn})` : undefined}
    >
      {sent?.state === "rejected" ? (
        "challenge sent: root rejected, its attesters slashed; the epoch is attested again"
      ) : sent?.state === "sending" ? (
        `${describeVerdict(verdict)} — challenging…`
      ) : (
        describeVerdict(verdict)
      )}
      {verdict.state === "wrong" && sent?.state !== "sending" && sent?.state !== "rejected" && (
        <>
          {" "}
          <button data-testid="challenge-root" onClick={() => void challenge("wallet")}>
            Challenge it
          </button>
        </>
      )}
      {sent?.state === "failed" && (
        <span className="error" role="alert">
          {" "}
          challenge failed: {sent.message}
        </span>
      )}
    </span>
  );
}
