/**
 * Leaderboard: all time, today or this week, by gold or by depth, with the player's own rank, from the indexer
 * (game/indexer: every run replayed once, there). Without an indexer it falls back to what the page can read
 * itself: the best runs of the recent epochs, from RunSubmitted events (each with the seed it was played on), each
 * replayed here with game/sim, and says so. A run shows in the one display form (runId.ts `runLabel`).
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getAddress, type PublicClient } from "viem";
import { runRegistryAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { hexToBytes, replay } from "../../../sim/index.js";
import { runLabel } from "../../../chain/runId.js";
import { submittedRuns } from "../chain/epochs.js";
import { indexerGet, indexerUrl, type IndexedBoard } from "../chain/indexer.js";
import { explainError } from "../chain/tx.js";
import { useSurge } from "../chain/useSurge.js";

const RECENT_EPOCHS = 20n;
type Period = IndexedBoard["period"];
type By = IndexedBoard["by"];

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

const PERIODS: [Period, string][] = [
  ["all", "All time"],
  ["day", "Today"],
  ["week", "This week"],
];
const BOARDS: [By, string][] = [
  ["gold", "By gold"],
  ["depth", "By depth"],
];

export function LeaderboardPanel() {
  const { deployment, publicClient, player } = useSurge();
  const [period, setPeriod] = useState<Period>("all");
  const [by, setBy] = useState<By>("gold");
  const base = indexerUrl(deployment);
  const indexed = useQuery({
    queryKey: ["leaderboard-indexed", base, period, by, player],
    enabled: Boolean(deployment),
    refetchInterval: 5_000,
    retry: false,
    queryFn: () =>
      indexerGet<IndexedBoard>(base, `/api/leaderboard?period=${period}&by=${by}&limit=25${player ? `&player=${player}` : ""}`),
  });
  const fallback = Boolean(deployment) && indexed.isError;
  const direct = useQuery({
    queryKey: ["leaderboard", deployment?.chainId, deployment?.contracts.runRegistry],
    enabled: fallback && Boolean(publicClient),
    refetchInterval: 5_000,
    queryFn: () => loadBoard(publicClient!, deployment!),
  });
  if (!deployment || !publicClient) return <p className="card">No deployment on this chain (see the notice above).</p>;
  if (!fallback && indexed.data) return <IndexedLeaderboard board={indexed.data} player={player} period={period} by={by} setPeriod={setPeriod} setBy={setBy} />;
  if (!fallback) return <p className="card">Reading the leaderboard…</p>;
  if (direct.error) return <p className="card error">Could not read the chain: {explainError(direct.error)}</p>;
  return (
    <section className="card">
      <h2>Leaderboard</h2>
      <p className="muted" data-testid="board-source">
        Indexer unavailable ({(indexed.error as Error).message}): showing only the recent epochs, read from the chain and
        replayed in your browser.
      </p>
      {!direct.data ? (
        <p>Replaying recent runs…</p>
      ) : (
        <>
          <p className="muted">
            Top runs of epochs {direct.data.firstEpoch.toString()}–{direct.data.current.toString()} ({direct.data.total}{" "}
            {direct.data.total === 1 ? "run" : "runs"}).
          </p>
          <BoardTable
            player={player}
            rows={direct.data.top.map((r, i) => ({
              key: r.runId.toString(),
              rank: i + 1,
              player: r.player,
              gold: r.result.gold,
              depth: r.result.maxDepth,
              ticks: r.result.ticks,
              epoch: r.epoch.toString(),
            }))}
          />
        </>
      )}
    </section>
  );
}

function IndexedLeaderboard(p: {
  board: IndexedBoard;
  player: string | undefined;
  period: Period;
  by: By;
  setPeriod: (p: Period) => void;
  setBy: (b: By) => void;
}) {
  const { board } = p;
  const label = PERIODS.find(([id]) => id === board.period)![1].toLowerCase();
  return (
    <section className="card">
      <h2>Leaderboard</h2>
      <p>
        {PERIODS.map(([id, text]) => (
          <button key={id} className={p.period === id ? "tab active" : "tab"} data-testid={`board-period-${id}`} onClick={() => p.setPeriod(id)}>
            {text}
          </button>
        ))}{" "}
        ·{" "}
        {BOARDS.map(([id, text]) => (
          <button key={id} className={p.by === id ? "tab active" : "tab"} data-testid={`board-by-${id}`} onClick={() => p.setBy(id)}>
            {text}
          </button>
        ))}
      </p>
      <p className="muted" data-testid="board-source">
        Best runs {label === "all time" ? "of all time" : label}, by {board.by}, from the indexer (block {board.indexedBlock}).
      </p>
      {p.player && (
        <p data-testid="board-me">
          {board.me
            ? `Your best: #${board.me.rank} (gold ${board.me.best.gold}, depth ${board.me.best.maxDepth}, epoch ${board.me.best.epoch})`
            : "You have no ranked run in this period yet."}
        </p>
      )}
      <BoardTable
        player={p.player}
        rows={board.runs.map((r) => ({
          key: r.runId,
          rank: r.rank,
          player: getAddress(r.player),
          gold: r.gold ?? 0,
          depth: r.maxDepth ?? 0,
          ticks: r.ticks ?? 0,
          epoch: r.epoch ?? "—",
        }))}
      />
    </section>
  );
}

interface Row {
  key: string;
  rank: number;
  player: string;
  gold: number;
  depth: number;
  ticks: number;
  epoch: string;
}

function BoardTable({ rows, player }: { rows: Row[]; player: string | undefined }) {
  const me = player?.toLowerCase();
  return (
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
        {rows.map((r) => {
          const mine = r.player.toLowerCase() === me;
          return (
            <tr key={r.key} className={mine ? "me" : ""}>
              <td>{r.rank}</td>
              <td className="mono" title={r.player}>
                {runLabel(BigInt(r.key), player ? getAddress(player) : null)}
                {mine ? " (you)" : ""}
              </td>
              <td>{r.gold}</td>
              <td>{r.depth}</td>
              <td>{(r.ticks / 20).toFixed(1)} s</td>
              <td>{r.epoch}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
