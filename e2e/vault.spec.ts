/**
 * (c) The vault on a local chain: deposit ETH with the burner wallet, see what a staker looks for (TVL, the share
 * restaked in Symbiotic vs kept in the buffer), request a withdrawal and see its ETA, wait it out, claim it; an
 * instant exit larger than the free buffer is refused in the preview (never sent to revert), and the most the vault
 * can pay goes through; a withdrawal the buffer cannot pay waits for an unstake and Symbiotic's epoch, and says so.
 * Then the oracle reports over a week of chain time: the APR over 7 days, "not enough history" for 30, and the rate
 * chart's time axis.
 */
import { expect, test, type Page } from "@playwright/test";
import { createWalletClient, formatEther, formatUnits, http, parseAbi, type Address } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { surgeVaultAbi } from "../game/chain/generated/abis.js";
import { chainClient, connectBurner, mineBlocks, testChain } from "./chain.js";
import { appUrl } from "./app.js";
import { rpc } from "../scripts/lib/node.js";

const mine = mineBlocks;

/** The number a test id shows (its first number, commas dropped). */
async function shown(page: Page, testId: string): Promise<number> {
  const text = (await page.getByTestId(testId).textContent()) ?? "";
  const m = /-?[\d,]*\.?\d+/.exec(text);
  return m ? Number(m[0].replace(/,/g, "")) : Number.NaN;
}

test("deposit, see the vault's numbers, withdraw through the queue with its ETA, and exit instantly within the buffer", async ({ page }, info) => {
  const { url, deployment } = testChain();
  const client = chainClient(url);
  const vault = deployment.contracts.vault;
  const read = {
    liquidity: () => client.readContract({ address: vault, abi: surgeVaultAbi, functionName: "liquidity" }),
    shares: (who: Address) => client.readContract({ address: vault, abi: surgeVaultAbi, functionName: "balanceOf", args: [who] }),
  };
  const player = await connectBurner(page, appUrl(), url);

  await page.getByTestId("tab-vault").click();
  await page.getByTestId("deposit-amount").fill("2");
  await page.getByTestId("deposit").click();
  await expect(page.getByTestId("txlog").locator("li").first()).toHaveAttribute("data-state", "confirmed");
  await expect(page.getByTestId("txlog")).toContainText("Deposit 2 ETH");
  const shares = await read.shares(player);
  expect(shares).toBeGreaterThan(0n);
  // The page shows the same balance the chain holds (sgETH has 21 decimals).
  await expect
    .poll(async () => Number((await page.getByTestId("vault-shares").textContent())!.replace(/,/g, "")))
    .toBeCloseTo(Number(formatUnits(shares, 21)), 4);

  // TVL and where the assets are: the vault's own views, shown as the chain has them.
  const totalAssets = await client.readContract({ address: vault, abi: surgeVaultAbi, functionName: "totalAssets" });
  await expect.poll(() => shown(page, "vault-tvl")).toBeCloseTo(Number(formatEther(totalAssets)), 3);
  const [buffer, inStrategy] = await read.liquidity();
  expect(inStrategy, "the devnet routes most of the deposits into Symbiotic").toBeGreaterThan(0n);
  const restakedPct = (Number(inStrategy) / Number(buffer + inStrategy)) * 100;
  await expect.poll(() => shown(page, "vault-restaked")).toBeCloseTo(restakedPct, 0);
  await expect.poll(() => shown(page, "vault-buffer")).toBeCloseTo(100 - restakedPct, 0);
  // No reports on this devnet yet: the APRs say so rather than show a number.
  await expect(page.getByTestId("vault-apr-7d")).toHaveText(/^not enough history/);
  await expect(page.getByTestId("vault-apr-30d")).toHaveText(/^not enough history/);
  await page.screenshot({ path: info.outputPath("vault-deposited.png") });

  // The instant-exit preview shows its fee before anything is sent.
  await page.getByTestId("withdraw-amount").fill("0.1");
  await expect(page.getByTestId("instant-exit-fee")).toContainText("fee");
  await page.getByTestId("request-withdrawal").click();
  await expect(page.getByTestId("txlog").locator("li").first()).toHaveAttribute("data-state", "confirmed");
  const row = page.getByTestId("withdrawal-row").first();
  await expect(row).toHaveAttribute("data-status", "waiting for its delay");
  // The buffer covers the queue: the ETA is the vault's own delay, in time and blocks.
  await expect(row.getByTestId("withdrawal-eta")).toHaveAttribute("data-why", "delay");
  await expect(row.getByTestId("withdrawal-eta")).toContainText(/ready in ~\d+ (s|min)( \d+ s)? \(the vault's delay: \d+ blocks?\)/);
  const requested = await client.getContractEvents({ address: vault, abi: surgeVaultAbi, eventName: "WithdrawalRequested", args: { owner: player }, fromBlock: 0n });
  expect(requested).toHaveLength(1);
  await page.screenshot({ path: info.outputPath("vault-withdrawal-requested.png") });

  // After the delay it is claimable from the buffer; claim it. The test moves the chain through the delay itself
  // instead of waiting for the devnet's block a second.
  const claimableBlock = requested[0]!.args.claimableBlock!;
  await mine(url, Number(claimableBlock - (await client.getBlockNumber())));
  await expect(row).toHaveAttribute("data-status", "claimable", { timeout: 60_000 });
  const ethBefore = await client.getBalance({ address: player });
  await row.getByRole("button", { name: "Claim" }).click();
  await expect(row).toHaveAttribute("data-status", "claimed");
  const ethAfter = await client.getBalance({ address: player });
  expect(ethAfter).toBeGreaterThan(ethBefore);
  await page.screenshot({ path: info.outputPath("vault-withdrawal-claimed.png") });

  // An instant exit of everything held: more than the free buffer can pay. The preview refuses it in words and the
  // button stays disabled: nothing is sent to revert with InsufficientLiquidity.
  const held = await read.shares(player);
  const [exitAssets] = await client.readContract({ address: vault, abi: surgeVaultAbi, functionName: "previewInstantExit", args: [held] });
  const [, , , , free] = await read.liquidity();
  expect(exitAssets, "the test's exit is larger than the free buffer").toBeGreaterThan(free);
  const txCount = await page.getByTestId("txlog").locator("li").count();
  await page.getByTestId("withdraw-amount").fill(formatUnits(held, 21));
  const limit = page.getByTestId("instant-exit-limit");
  await expect(limit).toContainText(/^The vault can pay at most [\d,.]+ ETH now \(its free buffer: [^)]*\); the rest goes through the queue\./);
  await expect.poll(() => shown(page, "instant-exit-limit")).toBeCloseTo(Number(formatEther(free)), 3);
  await expect(page.getByTestId("instant-exit")).toBeDisabled();
  await expect(page.getByTestId("instant-exit-fee")).toHaveCount(0);
  await expect(page.getByTestId("request-withdrawal")).toBeEnabled();
  expect(await page.getByTestId("txlog").locator("li").count()).toBe(txCount);
  await page.screenshot({ path: info.outputPath("vault-instant-exit-refused.png") });

  // The most it can pay instead: the field takes it, the preview promises it, and the exit goes through.
  await page.getByTestId("instant-exit-max").click();
  await expect(limit).toHaveCount(0);
  await expect(page.getByTestId("instant-exit-fee")).toContainText("fee");
  await expect(page.getByTestId("instant-exit")).toBeEnabled();
  await page.getByTestId("instant-exit").click();
  // The exit's own entry first, then its confirmation: checked the other way round, the confirmed entry could be the
  // previous transaction's, and the shares would be read before the exit is mined.
  await expect(page.getByTestId("txlog").locator("li").first()).toContainText("Instant exit");
  await expect(page.getByTestId("txlog").locator("li").first()).toHaveAttribute("data-state", "confirmed");
  expect(await read.shares(player)).toBeLessThan(held);

  // A withdrawal of the rest: the buffer cannot pay it, nothing is unstaking, so the ETA says an unstake must be
  // queued first; after Rebalance it waits for Symbiotic's epoch, which ends after the vault's delay.
  const rest = await read.shares(player);
  await page.getByTestId("withdraw-amount").fill(formatUnits(rest, 21));
  await page.getByTestId("request-withdrawal").click();
  await expect(page.getByTestId("txlog").locator("li").first()).toHaveAttribute("data-state", "confirmed");
  await expect(page.getByTestId("withdrawal-row")).toHaveCount(2);
  const big = page.getByTestId("withdrawal-row").first();
  await expect(big.getByTestId("withdrawal-eta")).toHaveAttribute("data-why", "unstake");
  await expect(big.getByTestId("withdrawal-eta")).toContainText(/ready in at most ~\d+ (s|min)( \d+ s)? once the vault queues an unstake from Symbiotic/);
  await page.getByTestId("rebalance").click();
  await expect(page.getByTestId("txlog").locator("li").first()).toHaveAttribute("data-state", "confirmed");
  const [unstake] = await client.getContractEvents({ address: vault, abi: surgeVaultAbi, eventName: "UnstakeQueued", fromBlock: 0n }).then((e) => e.slice(-1));
  expect(unstake, "Rebalance queued an unstake from Symbiotic").toBeTruthy();
  const eta = big.getByTestId("withdrawal-eta");
  await expect(eta).toHaveAttribute("data-why", "epoch");
  await expect(eta).toContainText(/ready in ~\d+ (s|min)( \d+ s)? \(waiting for Symbiotic's epoch to end\)/);
  await expect(page.getByTestId("rebalance")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("vault-withdrawal-epoch.png") });

  // The chain moves past the epoch's end and the vault's delay: the request becomes claimable, as the ETA said.
  const completableAt = Number(unstake!.args.completableAt!);
  const now = Number((await client.getBlock()).timestamp);
  await rpc(url, "evm_increaseTime", [Math.max(0, completableAt - now) + 1]);
  const [, second] = await client.getContractEvents({ address: vault, abi: surgeVaultAbi, eventName: "WithdrawalRequested", args: { owner: player }, fromBlock: 0n });
  await mine(url, Math.max(1, Number(second!.args.claimableBlock! - (await client.getBlockNumber()))));
  await expect(big).toHaveAttribute("data-status", "claimable", { timeout: 60_000 });
  await big.getByRole("button", { name: "Claim" }).click();
  await expect(big).toHaveAttribute("data-status", "claimed");
});

/** The devnet's deployer (Hardhat's account 0), which holds the vault's oracle role (scripts/devnet.ts). */
const ORACLE = mnemonicToAccount("test test test test test test test test test test test junk", { addressIndex: 0 });
const symbioticAbi = parseAbi([
  "function symbioticVault() view returns (address)",
  "function deposit(address onBehalfOf, uint256 amount) returns (uint256, uint256)",
]);
const wethAbi = parseAbi(["function deposit() payable", "function approve(address, uint256) returns (bool)"]);

test("reports over a week give a 7-day APR, 30 days say not enough history, and the chart has a time axis", async ({ page }, info) => {
  const { url, deployment } = testChain();
  const client = chainClient(url);
  const wallet = createWalletClient({ account: ORACLE, chain: hardhat, transport: http(url) });
  const { vault, weth, restakingLayer } = deployment.contracts;
  const send = async (hash: Promise<`0x${string}`>) => {
    const r = await client.waitForTransactionReceipt({ hash: await hash });
    expect(r.status).toBe("success");
  };
  const symbioticVault = await client.readContract({ address: restakingLayer, abi: symbioticAbi, functionName: "symbioticVault" });
  const firstReport = (await client.readContract({ address: vault, abi: surgeVaultAbi, functionName: "lastReportAt" })) === 0n;
  // Four reports 2.5 days apart (a span of 7.5 days): each restakes a reward of 0.05% of the position into the
  // Symbiotic vault on behalf of the strategy (as a network's rewards would be), then the oracle reports it.
  for (let i = 0; i < 4; i++) {
    if (i > 0 || !firstReport) {
      await rpc(url, "evm_increaseTime", [Math.round(2.5 * 86_400)]);
      await mine(url, 1);
    }
    const [, inStrategy] = await client.readContract({ address: vault, abi: surgeVaultAbi, functionName: "liquidity" });
    expect(inStrategy).toBeGreaterThan(0n);
    const reward = (inStrategy * 5n) / 10_000n;
    await send(wallet.writeContract({ address: weth, abi: wethAbi, functionName: "deposit", value: reward }));
    await send(wallet.writeContract({ address: weth, abi: wethAbi, functionName: "approve", args: [symbioticVault, reward] }));
    await send(wallet.writeContract({ address: symbioticVault, abi: symbioticAbi, functionName: "deposit", args: [restakingLayer, reward] }));
    await send(wallet.writeContract({ address: vault, abi: surgeVaultAbi, functionName: "report", args: [reward] }));
  }
  const reports = await client.getContractEvents({ address: vault, abi: surgeVaultAbi, eventName: "ExchangeRateReported", fromBlock: 0n });
  expect(reports.length).toBeGreaterThanOrEqual(4);
  // The 7-day APR restated from the chain's reports: the rate at the last report against the latest report at least
  // 7 days before it, annualised.
  const rateAt = (r: (typeof reports)[number]) => Number(r.args.totalAssets!) / Number(r.args.totalSupply!);
  const last = reports[reports.length - 1]!;
  const base = [...reports].reverse().find((r) => r.args.reportedAt! <= last.args.reportedAt! - 7n * 86_400n)!;
  const span = Number(last.args.reportedAt! - base.args.reportedAt!);
  const apr = (rateAt(last) / rateAt(base) - 1) * ((365 * 86_400) / span) * 100;
  expect(apr).toBeGreaterThan(0);

  await connectBurner(page, appUrl(), url);
  await page.getByTestId("tab-vault").click();
  await expect(page.getByTestId("vault-apr-7d")).toHaveAttribute("data-ok", "true", { timeout: 60_000 });
  await expect(page.getByTestId("vault-apr-7d")).toHaveText(/^-?\d+\.\d\d%$/);
  await expect.poll(() => shown(page, "vault-apr-7d")).toBeCloseTo(apr, 1);
  await expect(page.getByTestId("vault-apr-30d")).toHaveText(/^not enough history \(reports span [\d.]+ days of the 30 days needed\)$/);
  await expect(page.getByTestId("vault-tvl")).toHaveText(/^[\d,.]+ ETH$/);
  await expect(page.getByTestId("vault-restaked")).toHaveText(/^\d+\.\d% \([\d,.]+ ETH\)$/);

  // The chart's x axis is time: dated ticks from the first report to now.
  const ticks = page.getByTestId("rate-chart").getByTestId("rate-chart-tick");
  await expect(ticks).toHaveCount(4);
  const labels = await ticks.allTextContents();
  for (const l of labels) expect(l).toMatch(/^\d{1,2} [A-Z][a-z]{2,3} \d\d:\d\d$/);
  expect(Number(await ticks.first().getAttribute("data-at"))).toBe(Number(reports[0]!.args.reportedAt!));
  expect(Number(await ticks.last().getAttribute("data-at"))).toBeGreaterThanOrEqual(Number(last.args.reportedAt!));
  await page.screenshot({ path: info.outputPath("vault-apr-chart.png") });
});
