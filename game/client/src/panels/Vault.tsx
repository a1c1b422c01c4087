/**
 * Vault (sgETH, 21 decimals): deposit ETH, balance in sgETH and ETH, what a staker looks for (TVL, the share restaked
 * in Symbiotic vs kept in the buffer, the APR over 7 and 30 days of reports), the exchange rate over time from
 * ExchangeRateReported (its whole history from the indexer when there is one, else the reports one log query
 * returns, and it says so) on a time axis, the withdrawal queue with each request's ETA (the vault's delay and
 * Symbiotic's epoch, the later of the two), claims, instant exit with its fee checked against the free buffer and
 * today's limit before anything is signed, and staking sgETH in the RunRegistry for a ranked boost. The numbers
 * come from the pure functions of chain/vaultStats.ts.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatEther, formatUnits, parseAbi, type Address, type PublicClient } from "viem";
import { runRegistryAbi, surgeVaultAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { checkDeposit, checkWithdraw, parseAmount, SGETH_DECIMALS } from "../chain/amounts.js";
import { measureBlockTime, secondsToWords } from "../chain/blocktime.js";
import { indexerGet, indexerUrl } from "../chain/indexer.js";
import { explainError, runTx } from "../chain/tx.js";
import { useSurge } from "../chain/useSurge.js";
import {
  aprOver,
  aprWords,
  checkInstantExit,
  DAY,
  pct,
  restakedShare,
  sharesForMaxExit,
  spanWords,
  timeTicks,
  withdrawalEta,
  type RatePoint,
} from "../chain/vaultStats.js";

const SGETH = SGETH_DECIMALS;
/** The two views of the restaking strategy (IRestakingStrategy) the ETA needs; its ABI is not among the generated. */
const strategyAbi = parseAbi(["function withdrawalDelay() view returns (uint256)"]);
/** The two cards of the panel; a failed action's message shows in the card of its form. */
type Card = "vault" | "withdraw";

/** What is wrong with a field's amount, in words, right under it (nothing when it is fine or empty). */
function FieldProblem({ id, testId, check }: { id: string; testId: string; check: { ok: boolean; message?: string | null } }) {
  if (check.ok || !check.message) return null;
  return (
    <p className="error field-problem" id={id} data-testid={testId} role="status">
      {check.message}
    </p>
  );
}
const WITHDRAWAL_STATUS = ["none", "waiting for its delay", "claimable", "claimed", "waiting for liquidity"] as const;
/** Slippage allowed on previews (0.5%). */
const slip = (v: bigint) => (v * 995n) / 1000n;

async function loadVault(client: PublicClient, d: Deployment, player: Address | undefined) {
  const v = d.contracts.vault;
  const block = await client.getBlock();
  const blockSeconds = await measureBlockTime(client);
  const fromBlock = BigInt(d.startBlock);
  const [rate, reports, totalAssets, totalSupply, maxDeposit] = await Promise.all([
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "exchangeRate" }),
    client.getContractEvents({ address: v, abi: surgeVaultAbi, eventName: "ExchangeRateReported", fromBlock }),
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "totalAssets" }),
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "totalSupply" }),
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "maxDeposit", args: [player ?? v] }),
  ]);
  const [liq, exitRemaining, params, [, withdrawalsPaused], strategyDelay] = await Promise.all([
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "liquidity" }),
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "instantExitRemaining" }),
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "parameters" }),
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "paused" }),
    client.readContract({ address: d.contracts.restakingLayer, abi: strategyAbi, functionName: "withdrawalDelay" }),
  ]);
  const [buffer, inStrategy, queued, unstaking, free] = liq;
  const liquidity = { buffer, inStrategy, queued, unstaking, free };
  // The vault's strategy withdrawals in flight (queued, not completed) and when each can complete.
  let unstakesCompletableAt: number[] = [];
  if (unstaking > 0n) {
    const [queuedUnstakes, completed] = await Promise.all([
      client.getContractEvents({ address: v, abi: surgeVaultAbi, eventName: "UnstakeQueued", fromBlock }),
      client.getContractEvents({ address: v, abi: surgeVaultAbi, eventName: "UnstakeCompleted", fromBlock }),
    ]);
    const done = new Set(completed.map((e) => e.args.withdrawalRoot));
    unstakesCompletableAt = queuedUnstakes.filter((e) => !done.has(e.args.withdrawalRoot)).map((e) => Number(e.args.completableAt!));
  }
  // The reports' rates (ETH per sgETH at each report, the gain it booked included: it vests over the next interval).
  const points: RatePoint[] = reports
    .filter((r) => r.args.totalSupply! > 0n)
    .map((r) => ({ at: Number(r.args.reportedAt!), rate: rateOf(r.args.totalAssets!, r.args.totalSupply!) }));
  let mine = null;
  if (player) {
    const [shares, requests, stake, ethBalance] = await Promise.all([
      client.readContract({ address: v, abi: surgeVaultAbi, functionName: "balanceOf", args: [player] }),
      client.getContractEvents({ address: v, abi: surgeVaultAbi, eventName: "WithdrawalRequested", args: { owner: player }, fromBlock: BigInt(d.startBlock) }),
      client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "stakeOf", args: [player] }),
      client.getBalance({ address: player }),
    ]);
    const assets = await client.readContract({ address: v, abi: surgeVaultAbi, functionName: "convertToAssets", args: [shares] });
    const queue = await Promise.all(
      requests.map(async (r) => {
        const id = r.args.requestId!;
        const [[status, claimableBlock], payout] = await Promise.all([
          client.readContract({ address: v, abi: surgeVaultAbi, functionName: "withdrawalStatus", args: [id] }),
          client.readContract({ address: v, abi: surgeVaultAbi, functionName: "previewClaim", args: [id] }),
        ]);
        return { id, shares: r.args.shares!, assets: r.args.assets!, status, claimableBlock, payout };
      }),
    );
    mine = { shares, assets, queue: queue.reverse(), stake, ethBalance };
  }
  // maxDeposit is the cap minus the assets (0 when paused or full): the cap itself, for the sentences.
  const cap = maxDeposit > 0n ? maxDeposit + totalAssets : totalAssets;
  return {
    block: block.number,
    now: Number(block.timestamp),
    blockSeconds,
    rate,
    points,
    totalAssets,
    totalSupply,
    maxDeposit,
    cap,
    mine,
    liquidity,
    exitLimits: { free, remaining: exitRemaining, dailyLimit: params.instantExitDailyLimit, withdrawalsPaused },
    reportInterval: Number(params.minReportInterval),
    strategyDelay: Number(strategyDelay),
    unstakesCompletableAt,
  };
}

/** ETH per sgETH from a report's totals (sgETH has 21 decimals), to 1e-12. */
function rateOf(totalAssets: bigint, totalSupply: bigint): number {
  return Number((totalAssets * 10n ** 21n * 10n ** 12n) / totalSupply) / 1e30;
}

interface IndexedRates {
  indexedBlock: string;
  points: { block: string; timestamp: string; rateE18: string | null; aprBps: number | null }[];
}

/** The rate's history from the indexer, with the APR of its last report; null (and why) without one. */
function useIndexedRates(d: Deployment | null) {
  const base = indexerUrl(d);
  return useQuery({
    queryKey: ["vault-rates", base],
    enabled: Boolean(d),
    retry: false,
    refetchInterval: 10_000,
    queryFn: () => indexerGet<IndexedRates>(base, "/api/vault/rates?limit=500"),
  });
}

function RateHistorySource({ rates }: { rates: ReturnType<typeof useIndexedRates> }) {
  if (rates.data) {
    const last = rates.data.points[rates.data.points.length - 1];
    return (
      <p className="muted small" data-testid="vault-history-source">
        Rate history from the indexer: {rates.data.points.length} report{rates.data.points.length === 1 ? "" : "s"}
        {last?.aprBps != null && (
          <>
            {" "}
            · APR of the last report <b data-testid="vault-apr">{(last.aprBps / 100).toFixed(2)}%</b>
          </>
        )}
      </p>
    );
  }
  if (rates.error) {
    return (
      <p className="muted small" data-testid="vault-history-source">
        Indexer unavailable ({(rates.error as Error).message}): rate history read from the chain.
      </p>
    );
  }
  return null;
}

/**
 * The rate over time, with the time on the x axis: a line through the reports' rates (each with the gain it booked,
 * which vests over the interval after it) and a dot for the current rate (what an exit gets now, gains still vesting
 * left out: it can sit below the last report's point for that interval).
 */
function RateChart({ reports, now }: { reports: RatePoint[]; now: RatePoint }) {
  const points = [...reports, now];
  if (reports.length === 0) {
    return <p className="muted">No exchange-rate reports yet: the rate is {points[0]?.rate.toFixed(6) ?? "1"} ETH per sgETH.</p>;
  }
  const W = 400;
  const H = 160;
  const AXIS = 22; // room under the plot for the time labels
  const t0 = points[0]!.at;
  const t1 = Math.max(t0 + 1, points[points.length - 1]!.at);
  const lo = Math.min(...points.map((p) => p.rate));
  const hi = Math.max(...points.map((p) => p.rate));
  const span = hi - lo || hi * 0.001 || 1;
  const x = (t: number) => ((t - t0) / (t1 - t0)) * (W - 40) + 20;
  const y = (r: number) => H - AXIS - 6 - ((r - lo) / span) * (H - AXIS - 26);
  const xy = reports.map((p) => `${x(p.at).toFixed(1)},${y(p.rate).toFixed(1)}`);
  const ticks = timeTicks(t0, t1, 4);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} data-testid="rate-chart" role="img" aria-label="Exchange rate over time">
      <polyline points={xy.join(" ")} fill="none" stroke="#ffd84a" strokeWidth={2} />
      {reports.map((p, i) => (
        <circle key={i} cx={x(p.at)} cy={y(p.rate)} r={2.5} fill="#ffd84a" />
      ))}
      <circle cx={x(now.at)} cy={y(now.rate)} r={3.5} fill="none" stroke="#7fd1ff" strokeWidth={1.5} data-testid="rate-chart-now">
        <title>Now: {now.rate.toFixed(6)} ETH per sgETH</title>
      </circle>
      <text x={10} y={14} fill="#a89a8a" fontSize={11}>
        {hi.toFixed(6)} ETH/sgETH
      </text>
      <text x={10} y={H - AXIS - 2} fill="#a89a8a" fontSize={11}>
        {lo.toFixed(6)}
      </text>
      <g data-testid="rate-chart-axis" aria-label="Time">
        <line x1={20} x2={W - 20} y1={H - AXIS + 2} y2={H - AXIS + 2} stroke="#5a4e42" strokeWidth={1} />
        {ticks.map((t, i) => (
          <g key={t.at}>
            <line x1={x(t.at)} x2={x(t.at)} y1={H - AXIS} y2={H - AXIS + 5} stroke="#5a4e42" strokeWidth={1} />
            <text
              data-testid="rate-chart-tick"
              data-at={t.at}
              x={x(t.at)}
              y={H - 4}
              fill="#a89a8a"
              fontSize={10}
              textAnchor={i === 0 ? "start" : i === ticks.length - 1 ? "end" : "middle"}
            >
              {t.label}
            </text>
          </g>
        ))}
      </g>
    </svg>
  );
}

/** The spans of the APRs shown, in days. */
const APR_WINDOWS = [7, 30] as const;

/** TVL, restaked vs buffer and the APR over 7 and 30 days of reports, each with its testid. */
function VaultStats({ data, history }: { data: VaultData; history: RatePoint[] }) {
  const share = restakedShare(data.liquidity);
  const eth = (x: bigint) => Number(formatEther(x)).toLocaleString(undefined, { maximumFractionDigits: 4 });
  const aprTitle = (a: ReturnType<typeof aprOver>) =>
    a.ok
      ? `${a.reports} reports over ${spanWords(a.to - a.from)}, to the last report; each report's gain vests over the ${secondsToWords(data.reportInterval)} after it`
      : undefined;
  return (
    <dl className="vault-stats" data-testid="vault-stats">
      <div>
        <dt>TVL</dt>
        <dd data-testid="vault-tvl">{eth(data.totalAssets)} ETH</dd>
      </div>
      <div>
        <dt>Restaked in Symbiotic</dt>
        <dd data-testid="vault-restaked">
          {share ? `${pct(share.restaked)} (${eth(data.liquidity.inStrategy)} ETH)` : "nothing yet (the vault is empty)"}
        </dd>
      </div>
      <div>
        <dt>Buffer</dt>
        <dd data-testid="vault-buffer">
          {share ? `${pct(share.buffer)} (${eth(data.liquidity.buffer)} ETH, ${eth(data.liquidity.free)} ETH free for instant exits)` : "—"}
        </dd>
      </div>
      {APR_WINDOWS.map((days) => {
        const apr = aprOver(history, days * DAY);
        return (
          <div key={days}>
            <dt>APR, {days} days</dt>
            <dd data-testid={`vault-apr-${days}d`} data-ok={apr.ok} title={aprTitle(apr)}>
              {aprWords(apr)}
            </dd>
          </div>
        );
      })}
    </dl>
  );
}

type VaultData = Awaited<ReturnType<typeof loadVault>>;

export function VaultPanel() {
  const { player, deployment, publicClient, walletClient } = useSurge();
  const [deposit, setDeposit] = useState("1");
  const [withdraw, setWithdraw] = useState("");
  const [stake, setStake] = useState("");
  const [busy, setBusy] = useState<string | null>(null);
  const rates = useIndexedRates(deployment);
  // A failed action's sentence, shown in the card of the form that sent it.
  const [error, setError] = useState<{ card: Card; message: string } | null>(null);
  const q = useQuery({
    queryKey: ["vault", deployment?.chainId, deployment?.contracts.vault, player],
    enabled: Boolean(deployment && publicClient),
    refetchInterval: 2_000,
    queryFn: () => loadVault(publicClient!, deployment!, player),
  });
  // The exact instant-exit preview of the amount typed (the contract's own view), checked below against the limits.
  const exitShares = parseAmount(withdraw, SGETH);
  const exitPreview = useQuery({
    queryKey: ["vault-exit-preview", deployment?.contracts.vault, exitShares.ok ? exitShares.value.toString() : null],
    enabled: Boolean(deployment && publicClient && exitShares.ok),
    refetchInterval: 2_000,
    queryFn: () =>
      publicClient!.readContract({
        address: deployment!.contracts.vault,
        abi: surgeVaultAbi,
        functionName: "previewInstantExit",
        args: [exitShares.ok ? exitShares.value : 0n],
      }),
  });
  if (!deployment || !publicClient) return <p className="card">No deployment on this chain (see the notice above).</p>;
  if (q.error) return <p className="card error">Could not read the chain: {explainError(q.error)}</p>;
  if (!q.data) return <p className="card">Reading the vault…</p>;
  const data = q.data;
  const v = deployment.contracts.vault;

  async function act(name: string, card: Card, fn: () => Promise<unknown>) {
    setBusy(name);
    setError(null);
    try {
      await fn();
      await q.refetch();
    } catch (e) {
      setError({ card, message: explainError(e) });
    } finally {
      setBusy(null);
    }
  }
  const need = () => {
    if (!walletClient || !player) throw new Error("Connect a wallet first.");
    return { w: walletClient, me: player };
  };
  // Every amount is checked before sending: the sentence shows under its field and the button stays disabled.
  const limits = { balance: data.mine?.ethBalance ?? 0n, maxDeposit: data.maxDeposit, cap: data.cap };
  const depositCheck = checkDeposit(deposit, limits);
  const stakeCheck = checkDeposit(stake, limits);
  const withdrawCheck = checkWithdraw(withdraw, data.mine?.shares ?? 0n);
  const parse = (c: ReturnType<typeof checkDeposit>) => {
    if (!c.ok) throw new Error(c.message ?? "Enter an amount.");
    return c.value;
  };

  const doDeposit = () =>
    act("deposit", "vault", async () => {
      const { w, me } = need();
      const assets = parse(depositCheck);
      const preview = await publicClient.readContract({ address: v, abi: surgeVaultAbi, functionName: "previewDeposit", args: [assets] });
      await runTx(`Deposit ${deposit} ETH`, publicClient, () =>
        w.writeContract({ address: v, abi: surgeVaultAbi, functionName: "depositETH", args: [me, slip(preview)], value: assets }),
      );
    });
  const doRequest = () =>
    act("request", "withdraw", async () => {
      const { w } = need();
      const shares = parse(withdrawCheck);
      const preview = await publicClient.readContract({ address: v, abi: surgeVaultAbi, functionName: "previewRedeem", args: [shares] });
      await runTx(`Request withdrawal of ${withdraw} sgETH`, publicClient, () =>
        w.writeContract({ address: v, abi: surgeVaultAbi, functionName: "requestWithdrawal", args: [shares, slip(preview)] }),
      );
    });
  const doInstant = () =>
    act("instant", "withdraw", async () => {
      const { w, me } = need();
      const shares = parse(withdrawCheck);
      // Checked again on the latest block, right before signing: never send an exit the vault would refuse.
      const [[assets], [, , , , free], remaining, params, [, withdrawalsPaused]] = await Promise.all([
        publicClient.readContract({ address: v, abi: surgeVaultAbi, functionName: "previewInstantExit", args: [shares] }),
        publicClient.readContract({ address: v, abi: surgeVaultAbi, functionName: "liquidity" }),
        publicClient.readContract({ address: v, abi: surgeVaultAbi, functionName: "instantExitRemaining" }),
        publicClient.readContract({ address: v, abi: surgeVaultAbi, functionName: "parameters" }),
        publicClient.readContract({ address: v, abi: surgeVaultAbi, functionName: "paused" }),
      ]);
      const check = checkInstantExit(assets, { free, remaining, dailyLimit: params.instantExitDailyLimit, withdrawalsPaused });
      if (!check.ok) throw new Error(`${check.message}.`);
      await runTx(`Instant exit of ${withdraw} sgETH`, publicClient, () =>
        w.writeContract({ address: v, abi: surgeVaultAbi, functionName: "instantExit", args: [shares, slip(assets), me] }),
      );
    });
  const doClaim = (id: bigint, payout: bigint) =>
    act(`claim-${id}`, "withdraw", async () => {
      const { w, me } = need();
      await runTx(`Claim withdrawal #${id}`, publicClient, () =>
        w.writeContract({ address: v, abi: surgeVaultAbi, functionName: "claimWithdrawal", args: [id, me, slip(payout)] }),
      );
    });
  const doRebalance = () =>
    act("rebalance", "withdraw", async () => {
      const { w } = need();
      await runTx("Rebalance the vault (queue the unstake)", publicClient, () =>
        w.writeContract({ address: v, abi: surgeVaultAbi, functionName: "rebalance" }),
      );
    });
  const doStake = () =>
    act("stake", "vault", async () => {
      const { w } = need();
      const assets = parse(stakeCheck);
      const preview = await publicClient.readContract({ address: v, abi: surgeVaultAbi, functionName: "previewDeposit", args: [assets] });
      await runTx(`Stake ${stake} ETH for a boost`, publicClient, () =>
        w.writeContract({ address: deployment.contracts.runRegistry, abi: runRegistryAbi, functionName: "stakeETH", args: [slip(preview)], value: assets }),
      );
    });

  const eth = (x: bigint) => Number(formatEther(x)).toLocaleString(undefined, { maximumFractionDigits: 6 });
  const sg = (x: bigint) => Number(formatUnits(x, SGETH)).toLocaleString(undefined, { maximumFractionDigits: 6 });
  // The instant exit of the amount typed: what it pays and its fee, promised only if the vault can pay it now.
  const preview = data.mine && withdrawCheck.ok && exitPreview.data ? { assets: exitPreview.data[0], fee: exitPreview.data[1] } : null;
  const exitCheck = preview ? checkInstantExit(preview.assets, data.exitLimits) : null;
  const maxExitShares =
    preview && exitCheck && !exitCheck.ok && withdrawCheck.ok ? sharesForMaxExit(exitCheck.max, withdrawCheck.value, preview.assets) : 0n;
  const history: RatePoint[] = rates.data
    ? rates.data.points
        .filter((p) => p.rateE18 !== null)
        .map((p) => ({ at: Number(p.timestamp), rate: Number((BigInt(p.rateE18!) * 10n ** 12n) / 10n ** 18n) / 1e12 }))
    : data.points;
  const etas = new Map(
    (data.mine?.queue ?? []).map((r) => [
      r.id,
      withdrawalEta({
        status: r.status,
        claimableBlock: r.claimableBlock,
        block: data.block,
        now: data.now,
        blockSeconds: data.blockSeconds,
        liquidity: data.liquidity,
        unstakesCompletableAt: data.unstakesCompletableAt,
        strategyDelay: data.strategyDelay,
      }),
    ]),
  );
  const needsRebalance = [...etas.values()].some((e) => e.state === "waiting" && e.needsRebalance);
  return (
    <section className="grid2">
      <div className="card">
        <h2>sgETH vault</h2>
        <p>
          Rate <b data-testid="vault-rate">{(Number(data.rate) / 1e18).toFixed(6)}</b> ETH per sgETH · total {eth(data.totalAssets)} ETH ·{" "}
          {sg(data.totalSupply)} sgETH
        </p>
        <VaultStats data={data} history={history} />
        <RateChart reports={history} now={{ at: data.now, rate: Number(data.rate) / 1e18 }} />
        <RateHistorySource rates={rates} />
        {data.mine ? (
          <p className="big">
            You hold <b data-testid="vault-shares">{sg(data.mine.shares)}</b> sgETH ≈ <b data-testid="vault-assets">{eth(data.mine.assets)}</b> ETH
            {data.mine.stake.locked > 0n && <> · staked for boost {sg(data.mine.stake.locked)} sgETH (locked until block {data.mine.stake.unlockBlock.toString()})</>}
          </p>
        ) : (
          <p className="muted">Connect a wallet to deposit.</p>
        )}
        <div className="row">
          <input
            aria-label="ETH to deposit"
            data-testid="deposit-amount"
            value={deposit}
            onChange={(e) => setDeposit(e.target.value)}
            size={8}
            inputMode="decimal"
            aria-invalid={data.mine && !depositCheck.ok && depositCheck.message ? true : undefined}
            aria-describedby="deposit-problem"
          />{" "}
          ETH
          <button className="primary" data-testid="deposit" disabled={!data.mine || busy !== null || !depositCheck.ok} onClick={doDeposit}>
            {busy === "deposit" ? "Depositing…" : "Deposit"}
          </button>
        </div>
        {data.mine && <FieldProblem id="deposit-problem" testId="deposit-problem" check={depositCheck} />}
        <div className="row">
          <input
            aria-label="ETH to stake"
            data-testid="stake-amount"
            value={stake}
            placeholder="0.5"
            onChange={(e) => setStake(e.target.value)}
            size={8}
            inputMode="decimal"
            aria-invalid={data.mine && !stakeCheck.ok && stakeCheck.message ? true : undefined}
            aria-describedby="stake-problem"
          />{" "}
          ETH
          <button data-testid="stake" disabled={!data.mine || busy !== null || !stakeCheck.ok} onClick={doStake}>
            Stake for a ranked boost
          </button>
        </div>
        {data.mine && <FieldProblem id="stake-problem" testId="stake-problem" check={stakeCheck} />}
        {error?.card === "vault" && (
          <p className="error" role="alert" data-testid="vault-error">
            {error.message}
          </p>
        )}
      </div>
      <div className="card">
        <h2>Withdraw</h2>
        <div className="row">
          <input
            aria-label="sgETH to withdraw"
            data-testid="withdraw-amount"
            value={withdraw}
            placeholder="sgETH"
            onChange={(e) => setWithdraw(e.target.value)}
            size={10}
            inputMode="decimal"
            aria-invalid={data.mine && !withdrawCheck.ok && withdrawCheck.message ? true : undefined}
            aria-describedby="withdraw-problem"
          />
          <button data-testid="request-withdrawal" disabled={!data.mine || busy !== null || !withdrawCheck.ok} onClick={doRequest}>
            Request withdrawal
          </button>
          <button
            data-testid="instant-exit"
            disabled={!data.mine || busy !== null || !withdrawCheck.ok || exitCheck === null || !exitCheck.ok}
            onClick={doInstant}
          >
            Instant exit
          </button>
        </div>
        {data.mine && <FieldProblem id="withdraw-problem" testId="withdraw-problem" check={withdrawCheck} />}
        {preview && exitCheck?.ok && (
          <p className="muted" data-testid="instant-exit-fee">
            Instant exit pays ≈ {eth(preview.assets)} ETH now, fee {eth(preview.fee)} ETH stays in the vault. The queue pays without fee after its delay.
          </p>
        )}
        {exitCheck && !exitCheck.ok && (
          <p className="error field-problem" data-testid="instant-exit-limit" role="status">
            {exitCheck.message}.{" "}
            {maxExitShares > 0n && (
              <button className="link" data-testid="instant-exit-max" onClick={() => setWithdraw(formatUnits(maxExitShares, SGETH))}>
                Exit {sg(maxExitShares)} sgETH instantly instead
              </button>
            )}
          </p>
        )}
        <h3>Withdrawal queue</h3>
        {data.mine && data.mine.queue.length > 0 ? (
          <table data-testid="withdrawal-queue">
            <thead>
              <tr>
                <th>#</th>
                <th>sgETH</th>
                <th>ETH</th>
                <th>Status</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {data.mine.queue.map((r) => {
                const eta = etas.get(r.id)!;
                return (
                  <tr key={r.id.toString()} data-testid="withdrawal-row" data-status={WITHDRAWAL_STATUS[r.status]}>
                    <td>{r.id.toString()}</td>
                    <td>{sg(r.shares)}</td>
                    <td>{eth(r.payout > 0n ? r.payout : r.assets)}</td>
                    <td>
                      {WITHDRAWAL_STATUS[r.status] ?? r.status}
                      {eta.state === "waiting" && (
                        <span data-testid="withdrawal-eta" data-why={eta.why}>
                          {" "}
                          · {eta.text}
                        </span>
                      )}
                    </td>
                    <td>
                      {r.status === 2 && (
                        <button disabled={busy !== null} onClick={() => doClaim(r.id, r.payout)}>
                          Claim
                        </button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        ) : (
          <p className="muted">No withdrawals requested.</p>
        )}
        {needsRebalance && (
          <p className="muted">
            The buffer cannot pay the queue: the vault must unstake from Symbiotic first.{" "}
            <button data-testid="rebalance" disabled={!data.mine || busy !== null} onClick={doRebalance}>
              {busy === "rebalance" ? "Rebalancing…" : "Rebalance (queue the unstake)"}
            </button>
          </p>
        )}
        {error?.card === "withdraw" && (
          <p className="error" role="alert" data-testid="withdraw-error">
            {error.message}
          </p>
        )}
      </div>
    </section>
  );
}
