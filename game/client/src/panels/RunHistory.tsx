/**
 * The player's whole run history, a page at a time, from the indexer (`/api/players/<player>/runs`): every run ever
 * started, with the indexer's replayed result, its epoch and whether it was paid. The live list above it reads the
 * chain itself (it needs each run's inputs and proofs to claim and to watch); this one only reads. Without an
 * indexer it says so and shows nothing rather than scanning the chain's whole history in the browser.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { getAddress, type Address } from "viem";
import { runLabel } from "../../../chain/runId.js";
import type { Deployment } from "../../../chain/deployment.js";
import { indexerGet, indexerUrl, type IndexedRun } from "../chain/indexer.js";

const PAGE = 10;

export interface HistoryRun extends IndexedRun {
  startBlock: string;
  submitted: boolean;
  replayPaid: string | null;
}

interface HistoryPage {
  indexedBlock: string;
  runs: HistoryRun[];
  next: string | null;
}

/** What a row of the history says the run came to. */
export function historyOutcome(r: HistoryRun): string {
  if (!r.submitted) return "not submitted";
  if (r.gold === null) return "inputs refused";
  if (r.claimed) return r.replayPaid !== null ? "paid by on-chain replay" : "claimed";
  return "submitted";
}

export function RunHistory({ deployment, player }: { deployment: Deployment; player: Address }) {
  const base = indexerUrl(deployment);
  // The cursors of the pages seen so far: [undefined] is the newest page; going back pops one.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const before = cursors[cursors.length - 1];
  const q = useQuery({
    queryKey: ["run-history", base, player, before],
    enabled: base !== null,
    refetchInterval: 10_000,
    retry: false,
    queryFn: () =>
      indexerGet<HistoryPage>(base, `/api/players/${player}/runs?limit=${PAGE}${before === undefined ? "" : `&before=${before}`}`),
  });
  if (base === null) {
    return (
      <p className="card muted" data-testid="history-source">
        Your full history needs the indexer, and this deployment names none: the list above shows your runs read from the chain.
      </p>
    );
  }
  if (q.error) {
    return (
      <p className="card muted" data-testid="history-source">
        Indexer unavailable ({(q.error as Error).message}): your full history is not shown; the list above reads the chain.
      </p>
    );
  }
  if (!q.data) return <p className="card muted">Reading your history from the indexer…</p>;
  const { runs, next, indexedBlock } = q.data;
  const viewer = getAddress(player);
  return (
    <section className="card" data-testid="run-history">
      <h3>Your history</h3>
      <p className="muted" data-testid="history-source">
        Every run you started, newest first, from the indexer (block {indexedBlock}); page {cursors.length}.
      </p>
      {runs.length === 0 ? (
        <p>No runs yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th>Run</th>
              <th>Epoch</th>
              <th>Gold</th>
              <th>Depth</th>
              <th>Boost</th>
              <th>Outcome</th>
            </tr>
          </thead>
          <tbody>
            {runs.map((r) => (
              <tr key={r.runId} data-testid="history-row">
                <td className="mono">{runLabel(BigInt(r.runId), viewer)}</td>
                <td>{r.epoch ?? "—"}</td>
                <td>{r.gold ?? "—"}</td>
                <td>{r.maxDepth ?? "—"}</td>
                <td>{r.boostBps > 0 ? `+${r.boostBps / 100}%` : "—"}</td>
                <td>{historyOutcome(r)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <button data-testid="history-newer" disabled={cursors.length === 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </button>{" "}
        <button data-testid="history-older" disabled={next === null} onClick={() => next !== null && setCursors([...cursors, next])}>
          Older
        </button>
      </p>
    </section>
  );
}
