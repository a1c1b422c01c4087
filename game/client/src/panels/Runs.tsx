/**
 * Runs & rewards: each of the player's runs on its road (submitted -> epoch closed -> attested k of n -> challenge
 * window -> final/claimable -> claimed), the GOLD balance, and claim / claim all (proofs rebuilt in the browser).
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatUnits, type Address, type Hex, type PublicClient } from "viem";
import { goldTokenAbi, rewardSettlementAbi, runRegistryAbi, workerRegistryAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { encodeClaims, packable, type RunClaim } from "../../../chain/claims.js";
import { epochTree, runGold, seedOf, submittedRuns } from "../chain/epochs.js";
import { explainError, runTx } from "../chain/tx.js";
import { useSurge } from "../chain/useSurge.js";

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
  runCount: bigint;
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
  const [endBlock, status, [root, windowEnd], round, runCount] = await Promise.all([
    client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "epochEnd", args: [epoch] }),
    client.readContract({ address: s, abi: rewardSettlementAbi, functionName: "epochStatus", args: [epoch] }),
    client.readContract({ address: s, abi: rewardSettlementAbi, functionName: "rootOf", args: [epoch] }),
    client.readContract({ address: s, abi: rewardSettlementAbi, functionName: "roundOf", args: [epoch] }),
    client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "runCount", args: [epoch] }),
  ]);
  const attested = await client.getContractEvents({
    address: s,
    abi: rewardSettlementAbi,
    eventName: "Attested",
    args: { epoch },
    fromBlock: BigInt(d.startBlock),
  });
  let attesters = 0;
  for (const a of attested) if (a.args.round === round) attesters = Math.max(attesters, Number(a.args.attesters));
  return {
    epoch,
    endBlock,
    closed: block >= endBlock,
    status: EPOCH_STATUS[status] ?? "Open",
    root,
    windowEnd,
    attesters,
    runCount,
  };
}

interface RunRow {
  runId: bigint;
  epoch: bigint | null;
  index: bigint | null;
  gold: number | null;
  deadline: bigint;
  claimed: boolean;
  /** The submitted inputs (hex), for a settlement by on-chain replay. */
  inputs: Hex | null;
}

async function loadRuns(client: PublicClient, d: Deployment, player: Address) {
  const block = await client.getBlockNumber();
  const [started, submitted, goldBalance, workers] = await Promise.all([
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
  ]);
  const byId = new Map(submitted.map((r) => [r.runId, r]));
  const rows: RunRow[] = await Promise.all(
    started.map(async (l) => {
      const runId = l.args.runId!;
      const sub = byId.get(runId);
      const claimed = sub
        ? await client.readContract({ address: d.contracts.settlement, abi: rewardSettlementAbi, functionName: "isClaimed", args: [runId] })
        : false;
      const gold = sub ? runGold(await seedOf(client, d, runId), sub.inputs) : null;
      return {
        runId,
        epoch: sub?.epoch ?? null,
        index: sub?.index ?? null,
        gold,
        deadline: l.args.deadline!,
        claimed,
        inputs: sub?.inputs ?? null,
      };
    }),
  );
  rows.reverse();
  const epochs = [...new Set(rows.flatMap((r) => (r.epoch === null ? [] : [r.epoch])))];
  const infos = new Map((await Promise.all(epochs.map((e) => epochInfo(client, d, e, block)))).map((i) => [i.epoch, i]));
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
  const { player, deployment, publicClient, walletClient } = useSurge();
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
        const tree = await epochTree(publicClient, deployment, r.epoch!);
        const [onchainRoot] = await publicClient.readContract({
          address: deployment.contracts.settlement,
          abi: rewardSettlementAbi,
          functionName: "rootOf",
          args: [r.epoch!],
        });
        if (onchainRoot !== tree.root) {
          throw new Error(`epoch ${r.epoch}: the tree rebuilt here (${tree.root.slice(0, 10)}…) differs from the final root ${onchainRoot.slice(0, 10)}…`);
        }
        // The attested total of that root, as the claim must state it (checked on-chain with the root).
        const attested = await publicClient.getContractEvents({
          address: deployment.contracts.settlement,
          abi: rewardSettlementAbi,
          eventName: "Attested",
          args: { epoch: r.epoch!, root: onchainRoot },
          fromBlock: BigInt(deployment.startBlock),
        });
        const totalGold = attested[0]?.args.totalGold ?? tree.totalGold;
        const p = tree.proofOf(r.runId);
        if (!p) throw new Error(`run ${r.runId} is not in epoch ${r.epoch}'s tree`);
        claims.push({ epoch: r.epoch!, index: p.leaf[0], runId: p.leaf[1], gold: p.leaf[3], totalGold, proof: p.proof });
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
                  <td className="mono">#…{(r.runId & 0xffffffn).toString(16)}</td>
                  <td>{r.gold ?? "—"}</td>
                  <td>{r.epoch === null ? "—" : `epoch ${r.epoch}, run ${Number(r.index) + 1}`}</td>
                  <td>
                    {r.epoch === null ? (
                      <span className="muted">
                        {block > r.deadline ? "not submitted: deadline passed" : `started: submit by block ${r.deadline}`}
                      </span>
                    ) : (
                      <div className="road">
                        {ROAD.map(([s, label], i) => (
                          <span key={s} className={`step ${i < stepIdx ? "done" : i === stepIdx ? "now" : ""}`}>
                            {s === "attested" && info ? `attested ${info.attesters} of ${workerCount}` : s === "window" && info && step === "window" ? `challenge window: ${Math.max(0, Number(info.windowEnd - block))} blocks left` : s === "closed" && info && !info.closed ? `epoch closes in ${Number(info.endBlock - block)} blocks` : label}
                          </span>
                        ))}
                        {info?.status === "Fallback" && (
                          <span className="step now">no quorum in time: runs settle by on-chain replay</span>
                        )}
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
    </section>
  );
}
