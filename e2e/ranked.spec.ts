/**
 * (b) A ranked run on a local chain with three worker nodes: the burner wallet authorizes a session key, the run
 * starts on-chain through it, the player digs to the nearest treasure by keyboard, the inputs are submitted, the
 * workers replay and attest the epoch, and the player claims GOLD: the balance rises in the page and on-chain.
 */
import { expect, test } from "@playwright/test";
import { formatUnits, type Hex } from "viem";
import { goldTokenAbi, rewardSettlementAbi, runRegistryAbi } from "../game/chain/generated/abis.js";
import { appUrl, byKeyboard, digTo, enterMine } from "./app.js";
import { toTreasure } from "./plan.js";
import { chainClient, connectBurner, DEVNET_BLOCK_MS, mineBlocks, testChain } from "./chain.js";
import { rpc } from "../scripts/lib/node.js";

/** A practice seed in the page URL: ranked runs must not take it (their seed comes from the chain). */
const URL_SEED = `0x${"5eed".repeat(16)}` as const;

test("a ranked run is submitted, verified by the workers and claimed as GOLD", async ({ page }, info) => {
  const { url, deployment, workers } = testChain();
  expect(workers, "the ranked test needs the worker nodes (game/worker) running").toBeGreaterThanOrEqual(3);
  const client = chainClient(url);
  const player = await connectBurner(page, appUrl(), url, `&seed=${URL_SEED}`);

  // One wallet transaction authorizes the session key; runs then need no prompt.
  await page.getByTestId("enable-session").click();
  await expect(page.getByTestId("session-status")).toContainText("active", { timeout: 30_000 });

  await page.getByTestId("play-ranked").click();
  await enterMine(page);
  // The deadline in seconds (blocks x the chain's block time), the block it stands for in an attribute.
  await expect(page.getByTestId("ranked-clock")).toContainText(/Ranked run: \d+ (min|s)( \d+ s)? left to submit it/);
  await expect(page.getByTestId("ranked-clock")).toHaveAttribute("data-deadline-block", /^\d+$/);
  const seed = (await page.getByTestId("game-host").getAttribute("data-seed")) as Hex;
  // Dig to the nearest treasure one key press at a time, planning again from wherever the prospector is (a busy
  // machine can deliver a key's release late, and a held key moves twice).
  const found = await digTo(page, toTreasure, byKeyboard(page));
  expect(found.gold).toBeGreaterThan(0);
  await expect.poll(async () => Number(await page.getByTestId("hud-gold").textContent())).toBeGreaterThan(0);
  await page.screenshot({ path: info.outputPath("ranked-playing.png") });
  await page.keyboard.press("KeyQ");
  const gold = Number(await page.getByTestId("outcome-gold").textContent());
  expect(gold).toBeGreaterThan(0);

  const submit = page.getByTestId("ranked-submit");
  await expect(submit).toHaveAttribute("data-state", "submitted", { timeout: 30_000 });
  await page.screenshot({ path: info.outputPath("ranked-submitted.png") });
  const [started] = await client.getContractEvents({ address: deployment.contracts.runRegistry, abi: runRegistryAbi, eventName: "RunStarted", args: { player }, fromBlock: 0n });
  expect(started, "the run belongs to the player, not to the session key").toBeDefined();
  // The mine is the chain's: `?seed=` in the page URL (a practice hook) does not reach ranked runs.
  const [sub] = await client.getContractEvents({ address: deployment.contracts.runRegistry, abi: runRegistryAbi, eventName: "RunSubmitted", args: { player }, fromBlock: 0n });
  // The seed is drawn from the block after the start: the page played what seedOf gives, and submitRun stored it.
  expect(started!.args.seedBlock).toBeGreaterThan(started!.blockNumber);
  expect(seed).toBe(sub!.args.seed);
  expect(seed).toBe(await client.readContract({ address: deployment.contracts.runRegistry, abi: runRegistryAbi, functionName: "seedOf", args: [started!.args.runId!] }));
  expect(seed).not.toBe(URL_SEED);

  await page.getByTestId("goto-runs").click();
  const row = page.getByTestId("run-row").first();
  await expect(row).toContainText(String(gold));
  await expect(row.getByTestId("run-label")).toHaveText(/^run #\d+$/);

  // The page watches the player's own run: once the epoch's root reaches quorum, it checks the run against it. The
  // devnet's window is 3 blocks, so once the epoch has ended the block a second is stopped: the workers' attestations
  // still mine at once (automine), the root reaches quorum, and the chain holds inside the window while the row says so.
  const epoch = sub!.args.epoch!;
  const end = await client.readContract({ address: deployment.contracts.runRegistry, abi: runRegistryAbi, functionName: "epochEnd", args: [epoch] });
  await expect.poll(() => client.getBlockNumber(), { timeout: 120_000, intervals: [100] }).toBeGreaterThanOrEqual(end);
  await rpc(url, "evm_setIntervalMining", [0]);
  try {
    const status = () => client.readContract({ address: deployment.contracts.settlement, abi: rewardSettlementAbi, functionName: "epochStatus", args: [epoch] });
    await expect.poll(status, { timeout: 60_000 }).toBe(1); // Challengeable
    await expect(row.getByTestId("run-watch")).toHaveAttribute("data-state", "ok", { timeout: 60_000 });
    await expect(row.getByTestId("run-watch")).toHaveText("your run checked ✓ against the attested root");
    await page.screenshot({ path: info.outputPath("ranked-watched.png") });
  } finally {
    await rpc(url, "evm_setIntervalMining", [DEVNET_BLOCK_MS]);
  }
  await expect(row).toHaveAttribute("data-step", "claimable", { timeout: 120_000 });
  await expect(row).toContainText(/attested [2-9] of [3-9]/);
  await page.screenshot({ path: info.outputPath("ranked-claimable.png") });
  expect(await page.getByTestId("gold-balance").textContent()).toBe("0");

  await row.getByTestId("claim-one").click();
  await expect(row).toHaveAttribute("data-step", "claimed", { timeout: 30_000 });
  const onchain = await client.readContract({ address: deployment.contracts.gold, abi: goldTokenAbi, functionName: "balanceOf", args: [player] });
  expect(onchain).toBeGreaterThan(0n);
  await expect
    .poll(async () => Number((await page.getByTestId("gold-balance").textContent())!.replace(/,/g, "")))
    .toBeCloseTo(Number(formatUnits(onchain, 18)), 2);
  await page.screenshot({ path: info.outputPath("ranked-claimed.png") });

  // The Network panel lists the three bonded workers and the final epoch; the Leaderboard has the run, replayed.
  await page.getByTestId("tab-network").click();
  await expect(page.getByTestId("workers-table").locator("tbody tr")).toHaveCount(workers);
  await expect(page.getByTestId("epochs-table")).toContainText("Final");
  await page.screenshot({ path: info.outputPath("network.png") });
  await page.getByTestId("tab-leaderboard").click();
  const mine = page.getByTestId("leaderboard").locator("tbody tr", { hasText: "(you)" });
  await expect(mine).toHaveCount(1);
  // The one display form of a run: the player's own is "run #<nonce>".
  await expect(mine.locator("td").nth(1)).toHaveText(/^run #\d+ \(you\)$/);
  await expect(mine.locator("td").nth(2)).toHaveText(String(gold));
});

test("a ranked run about to miss its submit deadline ends itself and is submitted in time", async ({ page }, info) => {
  const { url, deployment } = testChain();
  const client = chainClient(url);
  const player = await connectBurner(page, appUrl(), url);
  // No session key this time: the wallet (the burner) signs the start and the submission.
  await page.getByTestId("play-ranked").click();
  await enterMine(page);
  await page.keyboard.press("ArrowDown");
  const [started] = await client.getContractEvents({ address: deployment.contracts.runRegistry, abi: runRegistryAbi, eventName: "RunStarted", args: { player }, fromBlock: 0n });
  const deadline = started!.args.deadline!;
  // The chain races ahead to 3 blocks before the deadline, and holds there: the devnet's block a second is stopped
  // meanwhile (transactions still mine at once), so the test does not race the wall clock for those 3 blocks.
  await rpc(url, "evm_setIntervalMining", [0]);
  try {
    const now = await client.getBlockNumber();
    await mineBlocks(url, Number(deadline - now - 3n));
    await expect(page.getByTestId("outcome")).toBeVisible({ timeout: 30_000 });
    await expect(page.getByTestId("ranked-submit")).toHaveAttribute("data-state", "submitted", { timeout: 30_000 });
  } finally {
    await rpc(url, "evm_setIntervalMining", [DEVNET_BLOCK_MS]);
  }
  await page.screenshot({ path: info.outputPath("ranked-deadline.png") });
  const [submitted] = await client.getContractEvents({ address: deployment.contracts.runRegistry, abi: runRegistryAbi, eventName: "RunSubmitted", args: { player }, fromBlock: 0n });
  expect(submitted!.blockNumber).toBeLessThanOrEqual(deadline);
});
