/**
 * Leaderboard: the best runs of the recent epochs, from RunSubmitted events (each with the seed it was played on),
 * each replayed here with game/sim. A run shows in the one display form (runId.ts `runLabel`).
 */
import { useQuery } from "@tanstack/react-query";
import type { PublicClient } from "viem";
import { runRegistryAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { hexToBytes, replay } from "../../../sim/index.js";
import { runLabel } from "../../../chain/runId.js";
import { submittedRuns } from "../chain/epochs.js";
import { explainError } from "../chain/tx.js";
import { useSurge } from "../chain/useSurge.js";

const RECENT_EPOCHS = 20n;

async function loadBoard(client: PublicClient, d: Deployment) {
  const block = await client.getBlockNumber();
  const [current, epochBlocks, genesis] = await Promise.all([
    client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "epochOf", args: [block] }),
    client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "epochBlocks" }),
    client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "genesisBlock" }),
  ]);
  const firstEpoch = current > RECENT_EPOCHS ? current - RECENT_EPOCHS : 0n;
  const fromBlock = BigInt(Math.max(d.startBlock, Number(genesis + firstEpoch * epochBlocks)));
  const runs = await submittedRuns(client, d, { fromBlock });
  const scored = runs.map((r) => ({ ...r, result: replay(r.seed, hexToBytes(r.inputs)) }));
  scored.sort((a, b) => b.result.gold - a.result.gold || Number(a.blockNumber - b.blockNumber));
  return { top: scored.slice(0, 20), firstEpoch, current, total: runs.length };
}

export function LeaderboardPanel() {
  const { deployment, publicClient, player } = useSurge();
  const q = useQuery({
    queryKey: ["leaderboard", deployment?.chainId, deployment?.contracts.runRegistry],
    enabled: Boolean(deployment && publicClient),
    refetchInterval: 5_000,
    queryFn: () => loadBoard(publicClient!, deployment!),
  });
  if (!deployment || !publicClient) return <p className="card">No deployment on this chain (see the notice above).</p>;
  if (q.error) return <p className="card error">Could not read the chain: {explainError(q.error)}</p>;
  if (!q.data) return <p className="card">Replaying recent runs…</p>;
  const { top, firstEpoch, current, total } = q.data;
  return (
    <section className="card">
      <h2>Leaderboard</h2>
      <p className="muted">
        Top runs of epochs {firstEpoch.toString()}–{current.toString()} ({total} {total === 1 ? "run" : "runs"}), replayed in your browser.
      </p>
      <table data-testid="leaderboard">
        <thead>
          <tr>
            <th>#</th>
            <th>Run</th>
            <th>Gold</th>
            <th>Depth</th>
            <th>Time</th>
            <th>Epoch</th>
          </tr>
        </thead>
        <tbody>
          {top.map((r, i) => (
            <tr key={r.runId.toString()} className={r.player === player ? "me" : ""}>
              <td>{i + 1}</td>
              <td className="mono" title={r.player}>
                {runLabel(r.runId, player ?? null)}
                {r.player === player ? " (you)" : ""}
              </td>
              <td>{r.result.gold}</td>
              <td>{r.result.maxDepth}</td>
              <td>{(r.result.ticks / 20).toFixed(1)} s</td>
              <td>{r.epoch.toString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
