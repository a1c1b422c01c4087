/**
 * Network: the bonded workers with their liveness (their /healthz where this page can reach it, and their last
 * attestation on-chain: chain/network.ts), each epoch's settlement status and latency (every epoch, paged, from the
 * indexer when there is one (game/indexer), else read from the chain page by page, and it says so), and the latency
 * to quorum and to final over the last LATENCY_EPOCHS epochs.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatUnits, type PublicClient } from "viem";
import { runRegistryAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { blocksToWords, useBlockTime } from "../chain/blocktime.js";
import { indexerGet, indexerUrl, type IndexedEpoch } from "../chain/indexer.js";
import {
  latencyFromChain,
  latencyFromIndexer,
  livenessOf,
  loadWorkers,
  pollHealth,
  type HealthAnswer,
  type LatencySummary,
  type WorkerRow,
} from "../chain/network.js";
import { settlementBlocks } from "../chain/settlement-events.js";
import { explainError } from "../chain/tx.js";
import { useSurge } from "../chain/useSurge.js";
import { epochInfo } from "./Runs.js";

const SGETH_DECIMALS = 21;

/** One page of epochs read from the chain: PAGE epochs below `before` (null: from the current one down). */
async function chainEpochs(client: PublicClient, d: Deployment, block: bigint, before: bigint | null) {
  const current = await client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "epochOf", args: [block] });
  const top = before === null ? current : before - 1n;
  const infos = [];
  for (let e = top; e >= 0n && e > top - BigInt(PAGE); e--) infos.push(await epochInfo(client, d, e, block));
  const oldest = infos[infos.length - 1];
  // Latency: blocks from an epoch's end to its (last) quorum, and to its finalization.
  const { quorumAt, finalAt } = oldest ? await settlementBlocks(client, d, oldest.endBlock, block) : { quorumAt: new Map(), finalAt: new Map() };
  const epochs = infos.map((info) => {
    const q = quorumAt.get(info.epoch);
    const f = finalAt.get(info.epoch);
    return { ...info, quorumAfter: q === undefined ? null : Number(q - info.endBlock), finalAfter: f === undefined ? null : Number(f - info.endBlock) };
  });
  return { epochs, hasOlder: oldest !== undefined && oldest.epoch > 0n };
}

async function loadNetwork(client: PublicClient, d: Deployment, withEpochs: boolean, before: bigint | null) {
  const block = await client.getBlockNumber();
  const [workers, page] = await Promise.all([
    loadWorkers(client, d, block),
    withEpochs ? chainEpochs(client, d, block, before) : Promise.resolve({ epochs: [], hasOlder: false }),
  ]);
  return { block, ...workers, ...page };
}

const PAGE = 8;
const STATUS: Record<string, string> = { open: "Open", challengeable: "Challengeable", final: "Final", fallback: "Fallback" };

export function NetworkPanel() {
  const { deployment, publicClient, chainId } = useSurge();
  const base = indexerUrl(deployment);
  const secondsPerBlock = useBlockTime(publicClient, chainId);
  /** The epoch the shown page starts below (paging back through the indexer's epochs); null: the newest. */
  const [before, setBefore] = useState<string | null>(null);
  /** The same for the chain's epochs, when there is no indexer. */
  const [chainBefore, setChainBefore] = useState<bigint | null>(null);
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
    queryKey: ["network", deployment?.chainId, deployment?.contracts.workerRegistry, fromChain, chainBefore?.toString()],
    enabled: Boolean(deployment && publicClient) && (fromChain || indexed.isSuccess),
    refetchInterval: 3_000,
    queryFn: () => loadNetwork(publicClient!, deployment!, fromChain, chainBefore),
  });
  const urls = deployment?.workers ?? [];
  const health = useQuery({
    queryKey: ["worker-health", deployment?.chainId, urls.join(",")],
    enabled: Boolean(publicClient) && urls.length > 0,
    refetchInterval: 2_000,
    retry: false,
    queryFn: async () => pollHealth(urls, await publicClient!.getBlockNumber()),
  });
  const latency = useQuery({
    queryKey: ["network-latency", deployment?.chainId, base, fromChain],
    enabled: Boolean(deployment && publicClient) && (fromChain || indexed.isSuccess),
    refetchInterval: 10_000,
    queryFn: async () => {
      const head = await publicClient!.getBlockNumber();
      return fromChain ? latencyFromChain(publicClient!, deployment!, head) : latencyFromIndexer(base, head);
    },
  });
  if (!deployment || !publicClient) return <p className="card">No deployment on this chain (see the notice above).</p>;
  if (q.error) return <p className="card error">Could not read the chain: {explainError(q.error)}</p>;
  if (!q.data) return <p className="card">Reading the network…</p>;
  const { workers, totalBonded, eligibleStake, newest, epochs, hasOlder, block } = q.data;
  const fmt = (v: bigint) => Number(formatUnits(v, SGETH_DECIMALS)).toLocaleString(undefined, { maximumFractionDigits: 3 });
  const answers = health.data ?? [];
  const matched = new Set(answers.filter((a) => a.worker !== null).map((a) => a.worker!.toLowerCase()));
  const unmatched = answers.filter((a) => a.worker === null || !workers.some((w) => w.address.toLowerCase() === a.worker!.toLowerCase()));
  return (
    <section className="grid2">
      <div className="card">
        <h2>Workers</h2>
        <p>
          {workers.length} registered · eligible stake <b>{fmt(eligibleStake)}</b> of {fmt(totalBonded)} sgETH bonded · block{" "}
          {block.toString()}
        </p>
        <table data-testid="workers-table" className="workers">
          <thead>
            <tr>
              <th>Worker</th>
              <th title="sgETH, and what the registry says about it">Bond</th>
              <th title="Its place in the registry's signer set: an aggregate attestation names its non-signers by it">Index</th>
              <th title="The newest aggregate attestation on-chain that this worker signed (it is not among its non-signers)">Last signed</th>
              <th title="From its /healthz where this page can reach it, and from its attestations">Liveness</th>
            </tr>
          </thead>
          <tbody>
            {workers.map((w) => {
              const answer = answers.find((a) => a.worker?.toLowerCase() === w.address.toLowerCase());
              const verdict = livenessOf({ health: answer, last: w.last, newest, head: block });
              return (
                <tr key={w.address} data-testid="worker-row" data-address={w.address} data-liveness={verdict.liveness}>
                  <td className="mono" title={`${w.address}: ${answer?.url ?? "no /healthz matched to it"}`}>
                    {w.address.slice(0, 6)}…{w.address.slice(-4)}
                  </td>
                  <td>
                    {fmt(w.bond)} · <span data-testid="worker-registry">{registryStatus(w)}</span>
                  </td>
                  <td>{w.index}</td>
                  <td className="wrap" title={w.last === undefined ? "no signature found among the newest attestations" : `epoch ${w.last.epoch}`}>
                    {w.last === undefined ? "—" : `block ${w.last.block}, ${blocksToWords(block - w.last.block, secondsPerBlock)} ago`}
                  </td>
                  <td title={verdict.why} data-testid="worker-liveness">
                    <span className={`liveness ${verdict.liveness}`}>{verdict.liveness}</span>
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <WorkerUrls urls={urls} unmatched={unmatched} matched={matched.size} polling={health.isFetched} />
        <LatencyLine latency={latency.data} secondsPerBlock={secondsPerBlock} />
      </div>
      {indexed.data && !fromChain ? (
        <IndexedEpochs data={indexed.data} before={before} setBefore={setBefore} />
      ) : (
      <div className="card">
        <h2>Epochs</h2>
        <p className="muted small" data-testid="network-source">
          Indexer unavailable{indexed.error ? ` (${(indexed.error as Error).message})` : ""}: epochs read from the chain, {PAGE} a
          page.{" "}
          {chainBefore !== null && (
            <button className="link" data-testid="epochs-newest" onClick={() => setChainBefore(null)}>
              newest
            </button>
          )}{" "}
          {hasOlder && epochs.length > 0 && (
            <button className="link" data-testid="epochs-older" onClick={() => setChainBefore(epochs[epochs.length - 1]!.epoch)}>
              older
            </button>
          )}
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

function registryStatus(w: WorkerRow): string {
  if (w.eligible) return "eligible";
  if (w.exitBlock > 0) return `exiting (block ${w.exitBlock})`;
  if (w.slashes > 0) return "slashed";
  return "not eligible";
}

/** The workers' /healthz URLs from the deployment file, and those that answer nobody this page knows. */
function WorkerUrls({ urls, unmatched, matched, polling }: { urls: readonly string[]; unmatched: HealthAnswer[]; matched: number; polling: boolean }) {
  if (urls.length === 0) {
    return (
      <p className="muted small" data-testid="tree-servers">
        The deployment file lists no worker server: liveness comes from attestations alone, and this page can check your runs,
        not prove where a wrong root is wrong.
      </p>
    );
  }
  return (
    <p className="muted small" data-testid="tree-servers">
      Worker servers (/healthz, and the trees of attested roots to check your runs against): {urls.join(", ")}.
      {polling && ` ${matched} of ${urls.length} matched to a registered worker.`}
      {unmatched.map((a) => (
        <span key={a.url}>
          {" "}
          {a.url}: {a.state === "down" ? "not answering" : a.state === "unhealthy" ? "unhealthy" : "answers"}
          {a.worker === null ? " (this page has not yet seen which worker it is)" : ", not a registered worker"}.
        </span>
      ))}
    </p>
  );
}

function LatencyLine({ latency, secondsPerBlock }: { latency: LatencySummary | undefined; secondsPerBlock: number }) {
  if (!latency) return null;
  const source = latency.source === "indexer" ? "from the indexer" : "from the chain";
  const window = blocksToWords(latency.spanBlocks, secondsPerBlock);
  const words = (s: { median: number; max: number } | null) =>
    s === null ? "none yet" : `median ${s.median} blocks (${blocksToWords(s.median, secondsPerBlock)}), worst ${s.max}`;
  return (
    <p className="small" data-testid="network-latency" data-epochs={latency.epochs}>
      {latency.epochs === 0
        ? `No epoch reached quorum ${latency.spanBlocks === 0 ? "yet" : `in the last ${window}`} (${source}).`
        : `Latency from an epoch's end, over ${latency.epochs} epoch${latency.epochs === 1 ? "" : "s"} with a quorum in the last ${window} ` +
          `(${source}): to quorum ${words(latency.quorum)}; to final ${words(latency.final)}.`}
    </p>
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
