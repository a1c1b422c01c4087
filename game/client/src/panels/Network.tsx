/**
 * Network: the bonded workers that replay and attest runs, and the epochs with their settlement status: every epoch,
 * paged, from the indexer when there is one (game/indexer), else the last 8 read from the chain (and it says so).
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatUnits, type PublicClient } from "viem";
import { rewardSettlementAbi, runRegistryAbi, workerRegistryAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { indexerGet, indexerUrl, type IndexedEpoch } from "../chain/indexer.js";
import { explainError } from "../chain/tx.js";
import { useSurge } from "../chain/useSurge.js";
import { epochInfo } from "./Runs.js";

const SGETH_DECIMALS = 21;

async function loadNetwork(client: PublicClient, d: Deployment, withEpochs: boolean) {
  const block = await client.getBlockNumber();
  const reg = d.contracts.workerRegistry;
  const logs = await client.getContractEvents({ address: reg, abi: workerRegistryAbi, eventName: "WorkerRegistered", fromBlock: BigInt(d.startBlock) });
  const addresses = [...new Set(logs.map((l) => l.args.worker!))];
  const [workers, totalBonded, current] = await Promise.all([
    Promise.all(
      addresses.map(async (address) => {
        const [w, eligible] = await Promise.all([
          client.readContract({ address: reg, abi: workerRegistryAbi, functionName: "workerOf", args: [address] }),
          client.readContract({ address: reg, abi: workerRegistryAbi, functionName: "isEligible", args: [address] }),
        ]);
        return { address, ...w, eligible };
      }),
    ),
    client.readContract({ address: reg, abi: workerRegistryAbi, functionName: "totalBonded" }),
    client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "epochOf", args: [block] }),
  ]);
  const [quorums, finals] = await Promise.all([
    client.getContractEvents({ address: d.contracts.settlement, abi: rewardSettlementAbi, eventName: "QuorumReached", fromBlock: BigInt(d.startBlock) }),
    client.getContractEvents({ address: d.contracts.settlement, abi: rewardSettlementAbi, eventName: "EpochFinalized", fromBlock: BigInt(d.startBlock) }),
  ]);
  // Latency: blocks from an epoch's end to its quorum, and to its finalization (the last of each).
  const quorumAt = new Map(quorums.map((q) => [q.args.epoch!, q.blockNumber]));
  const finalAt = new Map(finals.map((f) => [f.args.epoch!, f.blockNumber]));
  const epochs = [];
  for (let e = current; withEpochs && e >= 0n && e > current - 8n; e--) {
    const info = await epochInfo(client, d, e, block);
    const q = quorumAt.get(e);
    const f = finalAt.get(e);
    epochs.push({
      ...info,
      quorumAfter: q === undefined ? null : Number(q - info.endBlock),
      finalAfter: f === undefined ? null : Number(f - info.endBlock),
    });
  }
  return { block, workers, totalBonded, epochs };
}

const PAGE = 8;
const STATUS: Record<string, string> = { open: "Open", challengeable: "Challengeable", final: "Final", fallback: "Fallback" };

export function NetworkPanel() {
  const { deployment, publicClient } = useSurge();
  const base = indexerUrl(deployment);
  /** The epoch the shown page starts below (paging back through the indexer's epochs); null: the newest. */
  const [before, setBefore] = useState<string | null>(null);
  const indexed = useQuery({
    queryKey: ["network-epochs", base, before],
    enabled: Boolean(deployment),
    refetchInterval: 3_000,
    retry: false,
    queryFn: () =>
      indexerGet<{ indexedBlock: string; epochs: IndexedEpoch[] }>(base, `/api/epochs?limit=${PAGE}${before ? `&before=${before}` : ""}`),
  });
  const fromChain = indexed.isError;
  const q = useQuery({
    queryKey: ["network", deployment?.chainId, deployment?.contracts.workerRegistry, fromChain],
    enabled: Boolean(deployment && publicClient) && (fromChain || indexed.isSuccess),
    refetchInterval: 3_000,
    queryFn: () => loadNetwork(publicClient!, deployment!, fromChain),
  });
  if (!deployment || !publicClient) return <p className="card">No deployment on this chain (see the notice above).</p>;
  if (q.error) return <p className="card error">Could not read the chain: {explainError(q.error)}</p>;
  if (!q.data) return <p className="card">Reading the network…</p>;
  const { workers, totalBonded, epochs, block } = q.data;
  const fmt = (v: bigint) => Number(formatUnits(v, SGETH_DECIMALS)).toLocaleString(undefined, { maximumFractionDigits: 3 });
  return (
    <section className="grid2">
      <div className="card">
        <h2>Workers</h2>
        <p>
          {workers.length} registered · total bonded <b>{fmt(totalBonded)} sgETH</b> · block {block.toString()}
        </p>
        <table data-testid="workers-table">
          <thead>
            <tr>
              <th>Worker</th>
              <th>Bond (sgETH)</th>
              <th>Signer index</th>
              <th>Slashes</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {workers.map((w) => (
              <tr key={w.address}>
                <td className="mono">{w.address.slice(0, 10)}…</td>
                <td>{fmt(w.bond)}</td>
                <td>{w.registered ? w.index : "–"}</td>
                <td>{w.slashes}</td>
                <td>{w.eligible ? "eligible" : w.exitBlock > 0 ? `exiting (block ${w.exitBlock})` : "not eligible"}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <p className="muted small" data-testid="tree-servers">
          {deployment.workers.length === 0
            ? "No worker serves epoch trees to this page (the deployment file lists none): it can check your runs, not prove where a wrong root is wrong."
            : `Trees of attested roots, to check your runs against: ${deployment.workers.join(", ")}`}
        </p>
      </div>
      {indexed.data && !fromChain ? (
        <IndexedEpochs data={indexed.data} before={before} setBefore={setBefore} />
      ) : (
      <div className="card">
        <h2>Epochs</h2>
        <p className="muted small" data-testid="network-source">
          Indexer unavailable{indexed.error ? ` (${(indexed.error as Error).message})` : ""}: the last 8 epochs, read from the chain.
        </p>
        <table data-testid="epochs-table">
          <EpochsHead attesters="Attesters" />
          <tbody>
            {epochs.map((e) => (
              <tr key={e.epoch.toString()}>
                <td>{e.epoch.toString()}</td>
                <td>{e.runCount.toString()}</td>
                <td>
                  {!e.closed ? `running (ends at block ${e.endBlock})` : e.runCount === 0n ? "no runs" : e.status}
                  {e.status === "Challengeable" && ` · window ends at block ${e.windowEnd}`}
                </td>
                <td>{e.attesters}</td>
                <td>
                  {e.quorumAfter === null ? "—" : `quorum +${e.quorumAfter}`}
                  {e.finalAfter !== null && ` · final +${e.finalAfter}`}
                </td>
                <td className="mono small">{/^0x0+$/.test(e.root) ? "—" : `${e.root.slice(0, 10)}…`}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      )}
    </section>
  );
}

/** The epochs table's header: the chain's reads count attesters of the current root, the indexer every attestation. */
function EpochsHead({ attesters }: { attesters: string }) {
  return (
    <thead>
      <tr>
        <th>Epoch</th>
        <th>Runs</th>
        <th>Status</th>
        <th>{attesters}</th>
        <th title="Blocks from the epoch's end to its quorum / to its finalization">Latency</th>
        <th>Root</th>
      </tr>
    </thead>
  );
}

function IndexedEpochs({
  data,
  before,
  setBefore,
}: {
  data: { indexedBlock: string; epochs: IndexedEpoch[] };
  before: string | null;
  setBefore: (b: string | null) => void;
}) {
  const head = BigInt(data.indexedBlock);
  const last = data.epochs[data.epochs.length - 1];
  return (
    <div className="card">
      <h2>Epochs</h2>
      <p className="muted small" data-testid="network-source">
        Every epoch with runs, from the indexer (block {data.indexedBlock}).{" "}
        {before !== null && (
          <button className="link" data-testid="epochs-newest" onClick={() => setBefore(null)}>
            newest
          </button>
        )}{" "}
        {last && data.epochs.length === PAGE && (
          <button className="link" data-testid="epochs-older" onClick={() => setBefore(last.id)}>
            older
          </button>
        )}
      </p>
      <table data-testid="epochs-table">
        <EpochsHead attesters="Attestations" />
        <tbody>
          {data.epochs.map((e) => {
            const running = BigInt(e.endBlock) > head;
            const finalizable = e.status === "challengeable" && e.windowEnd !== null && BigInt(e.windowEnd) < head;
            const root = e.finalRoot ?? e.quorumRoot;
            return (
              <tr key={e.id}>
                <td>{e.id}</td>
                <td>{e.runCount}</td>
                <td>
                  {running ? `running (ends at block ${e.endBlock})` : finalizable ? "Finalizable" : (STATUS[e.status] ?? e.status)}
                  {e.status === "challengeable" && !finalizable && ` · window ends at block ${e.windowEnd}`}
                  {e.challenges > 0 && ` · ${e.challenges} root${e.challenges === 1 ? "" : "s"} rejected`}
                </td>
                <td>{e.attestations}</td>
                <td>
                  {e.quorumLatencyBlocks === null ? "—" : `quorum +${e.quorumLatencyBlocks}`}
                  {e.finalLatencyBlocks !== null && ` · final +${e.finalLatencyBlocks}`}
                </td>
                <td className="mono small">{root ? `${root.slice(0, 10)}…` : "—"}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
