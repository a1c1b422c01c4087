/**
 * Runs & rewards: each of the player's runs on its road (submitted -> epoch closed -> attested k of n -> challenge
 * window -> final/claimable -> claimed), the GOLD balance, and claim / claim all (proofs rebuilt in the browser).
 * During an epoch's challenge window the page watches the player's own runs (game/chain/watch.ts): it checks them
 * against the attested root and, if one (or the total) is wrong, challenges it through the session key by itself,
 * or with one click from the wallet.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatUnits, type Address, type Hex, type PublicClient } from "viem";
import { goldTokenAbi, rewardSettlementAbi, runRegistryAbi, workerRegistryAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { claimOf, encodeClaims, packable, type RunClaim } from "../../../chain/claims.js";
import { epochLeaves, runGold, submittedRuns, totalGoldOf } from "../../../chain/epoch.js";
import { runLabel } from "../../../chain/runId.js";
import { formatGold, payoutOf, type Payout, type PayoutRules } from "../../../chain/payout.js";
import { blocksToWords, useBlockTime } from "../chain/blocktime.js";
import { epochTree } from "../chain/epochs.js";
import { attestationsOf } from "../chain/settlement-events.js";
import type { OpenRun } from "../chain/rankedRun.js";
import { explainError, runTx } from "../chain/tx.js";
import { useSurge } from "../chain/useSurge.js";
import { browserStorage, readKept } from "../ranked-keep.js";
import { OpenRunActions } from "./Ranked.js";
import { RunHistory } from "./RunHistory.js";
import { RejectedHere, RunWatch } from "./RunWatch.js";

/** RewardSettlement.EpochStatus */
export const EPOCH_STATUS = ["Open", "Challengeable", "Finalizable", "Final", "Fallback"] as const;

export interface EpochInfo {
  epoch: bigint;
  endBlock: bigint;
  closed: boolean;
  status: (typeof EPOCH_STATUS)[number];
  root: Hex;
  windowEnd: bigint;
  /** Most attesters behind one root in the current round. */
  attesters: number;
  /** How many runs the epoch has: its RunSubmitted logs (nothing on-chain counts them). */
  runCount: bigint;
  /** The total boosted gold attested with the root that reached quorum (what claims are paid against), if any. */
  attestedTotal: bigint | null;
}

export async function eligibleWorkers(client: PublicClient, d: Deployment): Promise<Address[]> {
  const logs = await client.getContractEvents({
    address: d.contracts.workerRegistry,
    abi: workerRegistryAbi,
    eventName: "WorkerRegistered",
    fromBlock: BigInt(d.startBlock),
  });
  const all = [...new Set(logs.map((l) => l.args.worker!))];
  const ok = await Promise.all(
    all.map((w) => client.readContract({ address: d.contracts.workerRegistry, abi: workerRegistryAbi, functionName: "isEligible", args: [w] })),
  );
  return all.filter((_, i) => ok[i]);
}

export async function epochInfo(client: PublicClient, d: Deployment, epoch: bigint, block: bigint): Promise<EpochInfo> {
  const s = d.contracts.settlement;
  const [endBlock, status, [root, windowEnd], round, submitted] = await Promise.all([
    client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "epochEnd", args: [epoch] }),
    client.readContract({ address: s, abi: rewardSettlementAbi, functionName: "epochStatus", args: [epoch] }),
    client.readContract({ address: s, abi: rewardSettlementAbi, functionName: "rootOf", args: [epoch] }),
    client.readContract({ address: s, abi: rewardSettlementAbi, functionName: "roundOf", args: [epoch] }),
    client.getContractEvents({ address: d.contracts.runRegistry, abi: runRegistryAbi, eventName: "RunSubmitted", args: { epoch }, fromBlock: BigInt(d.startBlock) }),
  ]);
  const runCount = BigInt(submitted.length);
  let attesters = 0;
  let attestedTotal: bigint | null = null;
  for (const a of await attestationsOf(client, d, epoch)) {
    if (a.round === round) attesters = Math.max(attesters, a.attesters);
    if (a.round === round && root !== ZERO_ROOT && a.root === root) attestedTotal = a.totalGold;
  }
  return {
    epoch,
    endBlock,
    closed: block >= endBlock,
    status: EPOCH_STATUS[status] ?? "Open",
    root,
    windowEnd,
    attesters,
    runCount,
    attestedTotal,
  };
}

const ZERO_ROOT = `0x${"00".repeat(32)}`;

interface RunRow {
  runId: bigint;
  epoch: bigint | null;
  gold: number | null;
  deadline: bigint;
  claimed: boolean;
  /** The submitted inputs (hex), for a settlement by on-chain replay. */
  inputs: Hex | null;
  boostBps: number;
  /** What it pays (or paid) in GOLD and why; null before it is submitted. */
  payout: Payout | null;
}

async function loadRuns(client: PublicClient, d: Deployment, player: Address) {
  const block = await client.getBlockNumber();
  const [started, submitted, goldBalance, workers, config, replayed] = await Promise.all([
    client.getContractEvents({
      address: d.contracts.runRegistry,
      abi: runRegistryAbi,
      eventName: "RunStarted",
      args: { player },
      fromBlock: BigInt(d.startBlock),
    }),
    submittedRuns(client, d, { player }),
    client.readContract({ address: d.contracts.gold, abi: goldTokenAbi, functionName: "balanceOf", args: [player] }),
    eligibleWorkers(client, d),
    client.readContract({ address: d.contracts.settlement, abi: rewardSettlementAbi, functionName: "config" }),
    client.getContractEvents({
      address: d.contracts.settlement,
      abi: rewardSettlementAbi,
      eventName: "RunSettledByReplay",
      args: { player },
      fromBlock: BigInt(d.startBlock),
    }),
  ]);
  const rules: PayoutRules = { attesterBps: config.attesterBps, epochCap: config.epochCap };
  const settledByReplay = new Set(replayed.map((l) => l.args.runId!));
  const byId = new Map(submitted.map((r) => [r.runId, r]));
  const rows: RunRow[] = await Promise.all(
    started.map(async (l) => {
      const runId = l.args.runId!;
      const sub = byId.get(runId);
      const claimed = sub
        ? await client.readContract({ address: d.contracts.settlement, abi: rewardSettlementAbi, functionName: "isClaimed", args: [runId] })
        : false;
      const gold = sub ? runGold(sub.seed, sub.inputs) : null;
      return {
        runId,
        epoch: sub?.epoch ?? null,
        gold,
        deadline: l.args.deadline!,
        claimed,
        inputs: sub?.inputs ?? null,
        boostBps: Number(l.args.boostBps!),
        payout: null,
      };
    }),
  );
  rows.reverse();
  const epochs = [...new Set(rows.flatMap((r) => (r.epoch === null ? [] : [r.epoch])))];
  const infos = new Map((await Promise.all(epochs.map((e) => epochInfo(client, d, e, block)))).map((i) => [i.epoch, i]));
  // What each submitted run pays, by the settlement's rules (game/chain/payout.ts): against the attested total once
  // a root reached quorum, else against the total of the epoch's runs so far (every run replayed, as the workers do).
  const totals = new Map<bigint, { total: bigint; final: boolean }>();
  for (const [epoch, info] of infos) {
    if (info.attestedTotal !== null) totals.set(epoch, { total: info.attestedTotal, final: true });
    else if (info.status !== "Fallback") {
      const total = info.closed ? (await epochTree(client, d, epoch)).tree.totalGold : totalGoldOf(await epochLeaves(client, d, epoch));
      totals.set(epoch, { total, final: false });
    }
  }
  for (const r of rows) {
    if (r.epoch === null || r.gold === null) continue;
    const info = infos.get(r.epoch);
    const replay = settledByReplay.has(r.runId) || info?.status === "Fallback";
    const t = totals.get(r.epoch);
    r.payout = payoutOf(BigInt(r.gold), r.runId, {
      kind: replay ? "replay" : "claim",
      totalGold: t?.total ?? 0n,
      rules,
      final: replay || (t?.final ?? false),
    });
  }
  return { block, rows, infos, goldBalance, workerCount: workers.length };
}

type Step = "submitted" | "closed" | "attested" | "window" | "claimable" | "claimed";
const ROAD: [Step, string][] = [
  ["submitted", "submitted"],
  ["closed", "epoch closed"],
  ["attested", "attested"],
  ["window", "challenge window"],
  ["claimable", "final / claimable"],
  ["claimed", "claimed"],
];

function stepOf(row: RunRow, info: EpochInfo | undefined): Step {
  if (row.claimed) return "claimed";
  if (!info) return "submitted";
  if (info.status === "Finalizable" || info.status === "Final") return "claimable";
  if (info.status === "Challengeable") return "window";
  if (info.attesters > 0) return "attested";
  if (info.closed) return "closed";
  return "submitted";
}

export function claimable(row: RunRow, info: EpochInfo | undefined): boolean {
  return !row.claimed && row.epoch !== null && stepOf(row, info) === "claimable";
}

export function RunsPanel() {
  const { player, deployment, publicClient, walletClient, chainId } = useSurge();
  const secondsPerBlock = useBlockTime(publicClient, chainId);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const q = useQuery({
    queryKey: ["runs", deployment?.chainId, deployment?.contracts.runRegistry, player],
    enabled: Boolean(player && deployment && publicClient),
    refetchInterval: 2_000,
    queryFn: () => loadRuns(publicClient!, deployment!, player!),
  });

  if (!player) return <p className="card">Connect a wallet to see your ranked runs and rewards.</p>;
  if (!deployment || !publicClient) return <p className="card">No deployment on this chain (see the notice above).</p>;
  if (q.error) return <p className="card error">Could not read the chain: {explainError(q.error)}</p>;
  if (!q.data) return <p className="card">Reading your runs…</p>;
  const { block, rows, infos, goldBalance, workerCount } = q.data;

  /** No quorum in time: the contract replays the run itself and pays it (anyone may; a few million gas). */
  async function settleByReplay(r: RunRow) {
    if (!walletClient || !deployment || !publicClient || r.inputs === null) return;
    setBusy(true);
    setError(null);
    try {
      await runTx("Settle the run by on-chain replay", publicClient, () =>
        walletClient.writeContract({
          address: deployment.contracts.settlement,
          abi: rewardSettlementAbi,
          functionName: "settleByReplay",
          args: [r.runId, r.inputs!],
        }),
      );
      await q.refetch();
    } catch (e) {
      setError(explainError(e));
    } finally {
      setBusy(false);
    }
  }

  async function claim(targets: RunRow[]) {
    if (!walletClient || !deployment || !publicClient || !player) return;
    setBusy(true);
    setError(null);
    try {
      // An epoch whose challenge window passed but that nobody finalized yet: finalize it first (anyone may).
      for (const epoch of new Set(targets.map((r) => r.epoch!))) {
        const status = await publicClient.readContract({
          address: deployment.contracts.settlement,
          abi: rewardSettlementAbi,
          functionName: "epochStatus",
          args: [epoch],
        });
        if (EPOCH_STATUS[status] === "Finalizable") {
          try {
            await runTx(`Finalize epoch ${epoch}`, publicClient, () =>
              walletClient.writeContract({
                address: deployment.contracts.settlement,
                abi: rewardSettlementAbi,
                functionName: "finalize",
                args: [epoch],
              }),
            );
          } catch (e) {
            // A worker may have finalized it in the meantime: that is just as good.
            const now = await publicClient.readContract({
              address: deployment.contracts.settlement,
              abi: rewardSettlementAbi,
              functionName: "epochStatus",
              args: [epoch],
            });
            if (EPOCH_STATUS[now] !== "Final") throw e;
          }
        }
      }
      const claims: RunClaim[] = [];
      for (const r of targets) {
        const { tree } = await epochTree(publicClient, deployment, r.epoch!);
        const [onchainRoot] = await publicClient.readContract({
          address: deployment.contracts.settlement,
          abi: rewardSettlementAbi,
          functionName: "rootOf",
          args: [r.epoch!],
        });
        if (onchainRoot !== tree.root) {
          throw new Error(`epoch ${r.epoch}: the tree rebuilt here (${tree.root.slice(0, 10)}…) differs from the final root ${onchainRoot.slice(0, 10)}…`);
        }
        // The proof folds to the root and to the epoch's total (the top sum): no total is sent.
        claims.push(claimOf(tree, r.runId));
      }
      // In run order (the contract then writes the claim bitmap once per 256 runs), packed: ~10% less gas than the
      // ABI-encoded claim; a leaf too large to pack (none of a real run) goes through `claim`.
      claims.sort((x, y) => (x.runId < y.runId ? -1 : x.runId > y.runId ? 1 : 0));
      await runTx(targets.length === 1 ? "Claim GOLD for 1 run" : `Claim GOLD for ${targets.length} runs`, publicClient, () =>
        claims.every(packable)
          ? walletClient.writeContract({
              address: deployment.contracts.settlement,
              abi: rewardSettlementAbi,
              functionName: "claimPacked",
              args: [player, encodeClaims(claims)],
            })
          : walletClient.writeContract({
              address: deployment.contracts.settlement,
              abi: rewardSettlementAbi,
              functionName: "claim",
              args: [player, claims],
            }),
      );
      await q.refetch();
    } catch (e) {
      setError(explainError(e));
    } finally {
      setBusy(false);
    }
  }

  const ready = rows.filter((r) => claimable(r, r.epoch === null ? undefined : infos.get(r.epoch)));
  return (
    <section>
      <div className="card row">
        <span className="stat">
          GOLD balance: <b data-testid="gold-balance">{Number(formatUnits(goldBalance, 18)).toLocaleString(undefined, { maximumFractionDigits: 4 })}</b>
        </span>
        <span className="muted">block {block.toString()}</span>
        <button className="primary" data-testid="claim-all" disabled={busy || ready.length === 0} onClick={() => void claim(ready)}>
          {busy ? "Claiming…" : `Claim all (${ready.length})`}
        </button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {rows.length === 0 ? (
        <p className="card">No ranked runs yet: play one from the Play tab.</p>
      ) : (
        <table data-testid="runs-table">
          <thead>
            <tr>
              <th>Run</th>
              <th>Gold</th>
              <th>Pays (GOLD)</th>
              <th>Epoch</th>
              <th>Progress</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => {
              const info = r.epoch === null ? undefined : infos.get(r.epoch);
              const step = stepOf(r, info);
              const stepIdx = ROAD.findIndex(([s]) => s === step);
              return (
                <tr key={r.runId.toString()} data-testid="run-row" data-step={r.epoch === null ? "started" : step}>
                  <td className="mono" data-testid="run-label">{runLabel(r.runId)}</td>
                  <td>{r.gold ?? "—"}</td>
                  <td>
                    {r.payout ? (
                      <>
                        <b data-testid="run-pay" data-pay-wei={r.payout.amount.toString()} data-pay-kind={r.payout.kind} data-final={String(r.payout.final)}>
                          {r.payout.final ? "" : "≈ "}
                          {formatGold(r.payout.amount)}
                        </b>
                        <div className="muted small pay-reason" data-testid="run-pay-reason">
                          {r.payout.reason}
                        </div>
                      </>
                    ) : (
                      "—"
                    )}
                  </td>
                  <td>{r.epoch === null ? "—" : `epoch ${r.epoch}`}</td>
                  <td>
                    {r.epoch === null ? (
                      block > r.deadline ? (
                        <span className="muted">not submitted in time: nothing to claim</span>
                      ) : (
                        <span data-testid="run-open">
                          <span className="step now">open</span>{" "}
                          <OpenRunActions open={openRunOf(r, block, deployment.chainId, deployment.contracts.runRegistry)} secondsPerBlock={secondsPerBlock} sessionActive={false} />
                        </span>
                      )
                    ) : (
                      <div className="road">
                        {ROAD.map(([s, label], i) => (
                          <span key={s} className={`step ${i < stepIdx ? "done" : i === stepIdx ? "now" : ""}`}>
                            {s === "attested" && info ? `attested ${info.attesters} of ${workerCount}` : s === "window" && info && step === "window" ? `challenge window: ${blocksToWords(Math.max(0, Number(info.windowEnd - block)), secondsPerBlock)} left` : s === "closed" && info && !info.closed ? `epoch closes in ${blocksToWords(Number(info.endBlock - block), secondsPerBlock)}` : label}
                          </span>
                        ))}
                        {info?.status === "Fallback" && (
                          <span className="step now">no quorum in time: runs settle by on-chain replay</span>
                        )}
                        {info?.status === "Challengeable" ? <RunWatch epoch={info.epoch} root={info.root} /> : info && <RejectedHere epoch={info.epoch} />}
                      </div>
                    )}
                  </td>
                  <td>
                    {claimable(r, info) && (
                      <button data-testid="claim-one" disabled={busy} onClick={() => void claim([r])}>
                        Claim
                      </button>
                    )}
                    {!r.claimed && info?.status === "Fallback" && r.inputs !== null && (
                      <button data-testid="settle-replay" disabled={busy} onClick={() => void settleByReplay(r)}>
                        Settle by replay
                      </button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      <RunHistory deployment={deployment} player={player} />
    </section>
  );
}

/** A started row as the open run it is (its inputs, if it was played in this browser, are kept here). */
function openRunOf(r: RunRow, block: bigint, chainId: number, registry: string): OpenRun {
  return {
    runId: r.runId,
    seed: null,
    boostBps: r.boostBps,
    deadline: r.deadline,
    left: r.deadline > block ? r.deadline - block : 0n,
    block,
    kept: readKept(browserStorage(), chainId, registry, r.runId),
  };
}
