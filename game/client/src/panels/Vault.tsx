/**
 * Vault (sgETH, 21 decimals): deposit ETH, balance in sgETH and ETH, the exchange rate over time from
 * ExchangeRateReported (its whole history and the APR from the indexer when there is one, else the reports one log
 * query returns, and it says so), the withdrawal queue with countdowns, claims, instant exit with its fee, and staking
 * sgETH in the RunRegistry for a ranked boost.
 */
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { formatEther, formatUnits, type Address, type PublicClient } from "viem";
import { runRegistryAbi, surgeVaultAbi } from "../../../chain/generated/abis.js";
import type { Deployment } from "../../../chain/deployment.js";
import { checkDeposit, checkWithdraw } from "../chain/amounts.js";
import { indexerGet, indexerUrl } from "../chain/indexer.js";
import { explainError, runTx } from "../chain/tx.js";
import { useSurge } from "../chain/useSurge.js";

const SGETH = 21;
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
  const earlier = await client.getBlock({ blockNumber: block.number > 20n ? block.number - 20n : 0n });
  const blockSeconds = block.number > earlier.number ? Number(block.timestamp - earlier.timestamp) / Number(block.number - earlier.number) : 1;
  const [rate, reports, totalAssets, totalSupply, maxDeposit] = await Promise.all([
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "exchangeRate" }),
    client.getContractEvents({ address: v, abi: surgeVaultAbi, eventName: "ExchangeRateReported", fromBlock: BigInt(d.startBlock) }),
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "totalAssets" }),
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "totalSupply" }),
    client.readContract({ address: v, abi: surgeVaultAbi, functionName: "maxDeposit", args: [player ?? v] }),
  ]);
  const points = reports.map((r) => ({
    block: r.blockNumber,
    rate: r.args.totalSupply! === 0n ? 1 : Number((r.args.totalAssets! * 10n ** 21n * 10n ** 6n) / r.args.totalSupply!) / 1e24,
  }));
  points.push({ block: block.number, rate: Number(rate) / 1e18 });
  let mine = null;
  if (player) {
    const [shares, requests, stake, ethBalance] = await Promise.all([
      client.readContract({ address: v, abi: surgeVaultAbi, functionName: "balanceOf", args: [player] }),
      client.getContractEvents({ address: v, abi: surgeVaultAbi, eventName: "WithdrawalRequested", args: { owner: player }, fromBlock: BigInt(d.startBlock) }),
      client.readContract({ address: d.contracts.runRegistry, abi: runRegistryAbi, functionName: "stakeOf", args: [player] }),
      client.getBalance({ address: player }),
    ]);
    const [assets, exitPreview] = await Promise.all([
      client.readContract({ address: v, abi: surgeVaultAbi, functionName: "convertToAssets", args: [shares] }),
      client.readContract({ address: v, abi: surgeVaultAbi, functionName: "previewInstantExit", args: [shares] }),
    ]);
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
    mine = { shares, assets, exitPreview, queue: queue.reverse(), stake, ethBalance };
  }
  // maxDeposit is the cap minus the assets (0 when paused or full): the cap itself, for the sentences.
  const cap = maxDeposit > 0n ? maxDeposit + totalAssets : totalAssets;
  return { block: block.number, blockSeconds, rate, points, totalAssets, totalSupply, maxDeposit, cap, mine };
}

interface IndexedRates {
  indexedBlock: string;
  points: { block: string; rateE18: string | null; aprBps: number | null }[];
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

function RateChart({ points }: { points: { block: bigint; rate: number }[] }) {
  if (points.length < 2) {
    return <p className="muted">No exchange-rate reports yet: the rate is {points[0]?.rate.toFixed(6) ?? "1"} ETH per sgETH.</p>;
  }
  const W = 400;
  const H = 140;
  const b0 = Number(points[0]!.block);
  const b1 = Math.max(b0 + 1, Number(points[points.length - 1]!.block));
  const lo = Math.min(...points.map((p) => p.rate));
  const hi = Math.max(...points.map((p) => p.rate));
  const span = hi - lo || hi * 0.001 || 1;
  const xy = points.map((p) => `${(((Number(p.block) - b0) / (b1 - b0)) * (W - 20) + 10).toFixed(1)},${(H - 10 - ((p.rate - lo) / span) * (H - 30)).toFixed(1)}`);
  return (
    <svg className="chart" viewBox={`0 0 ${W} ${H}`} data-testid="rate-chart" role="img" aria-label="Exchange rate over time">
      <polyline points={xy.join(" ")} fill="none" stroke="#ffd84a" strokeWidth={2} />
      <text x={10} y={14} fill="#a89a8a" fontSize={11}>
        {hi.toFixed(6)} ETH/sgETH
      </text>
      <text x={10} y={H - 2} fill="#a89a8a" fontSize={11}>
        {lo.toFixed(6)} · blocks {b0}–{b1}
      </text>
    </svg>
  );
}

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
      const [assets] = await publicClient.readContract({ address: v, abi: surgeVaultAbi, functionName: "previewInstantExit", args: [shares] });
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
  let withdrawPreview: { assets: bigint; fee: bigint } | null = null;
  if (data.mine && withdrawCheck.ok) {
    try {
      const shares = withdrawCheck.value;
      // Proportional to the full-balance preview: only for display; the transaction uses an exact preview.
      if (data.mine.shares > 0n && shares > 0n) {
        withdrawPreview = {
          assets: (data.mine.exitPreview[0] * shares) / data.mine.shares,
          fee: (data.mine.exitPreview[1] * shares) / data.mine.shares,
        };
      }
    } catch {
      withdrawPreview = null;
    }
  }
  return (
    <section className="grid2">
      <div className="card">
        <h2>sgETH vault</h2>
        <p>
          Rate <b data-testid="vault-rate">{(Number(data.rate) / 1e18).toFixed(6)}</b> ETH per sgETH · total {eth(data.totalAssets)} ETH ·{" "}
          {sg(data.totalSupply)} sgETH
        </p>
        <RateChart
          points={
            rates.data
              ? [
                  ...rates.data.points
                    .filter((p) => p.rateE18 !== null)
                    .map((p) => ({ block: BigInt(p.block), rate: Number((BigInt(p.rateE18!) * 10n ** 6n) / 10n ** 18n) / 1e6 })),
                  data.points[data.points.length - 1]!,
                ]
              : data.points
          }
        />
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
          <button data-testid="instant-exit" disabled={!data.mine || busy !== null || !withdrawCheck.ok} onClick={doInstant}>
            Instant exit
          </button>
        </div>
        {data.mine && <FieldProblem id="withdraw-problem" testId="withdraw-problem" check={withdrawCheck} />}
        {withdrawPreview && (
          <p className="muted" data-testid="instant-exit-fee">
            Instant exit pays ≈ {eth(withdrawPreview.assets)} ETH now, fee {eth(withdrawPreview.fee)} ETH stays in the vault. The queue pays without fee after its delay.
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
                const left = Number(r.claimableBlock - data.block);
                return (
                  <tr key={r.id.toString()} data-testid="withdrawal-row" data-status={WITHDRAWAL_STATUS[r.status]}>
                    <td>{r.id.toString()}</td>
                    <td>{sg(r.shares)}</td>
                    <td>{eth(r.payout > 0n ? r.payout : r.assets)}</td>
                    <td>
                      {WITHDRAWAL_STATUS[r.status] ?? r.status}
                      {r.status === 1 && left > 0 && ` · ${left} blocks (~${Math.round(left * data.blockSeconds)} s)`}
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
        {error?.card === "withdraw" && (
          <p className="error" role="alert" data-testid="withdraw-error">
            {error.message}
          </p>
        )}
      </div>
    </section>
  );
}
