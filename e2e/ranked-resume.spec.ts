/**
 * Ranked runs survive the page (issue 16, items 1 and 2): a reload mid-run resumes the run where it stood (its inputs
 * are kept in the browser; the sim replays them), paused, and it plays on, is submitted and claimed — and the GOLD
 * the Runs panel said it would pay is exactly what the claim mints. A run can be given up (submitted as is) so ranked
 * play is never locked; a run with no time left to play on is submitted as played after a reload; leaving the page
 * mid-run warns first.
 */
import { expect, test, type Page } from "@playwright/test";
import { hexToBytes as viemHexToBytes, type Address, type Hex } from "viem";
import { goldTokenAbi, runRegistryAbi } from "../game/chain/generated/abis.js";
import { decodeInputs } from "../game/sim/index.js";
import { rpc } from "../scripts/lib/node.js";
import { appUrl, byKeyboard, digTo, enterMine, firstMove, probeRun, waitForRun } from "./app.js";
import { chainClient, connectBurner, DEVNET_BLOCK_MS, mineBlocks, testChain } from "./chain.js";
import { toTreasure } from "./plan.js";

/** Dispatches a cancelable `beforeunload` in the page: true if a handler asked the browser to warn before leaving. */
function leaveWarningRegistered(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const e = new Event("beforeunload", { cancelable: true });
    (globalThis as unknown as EventTarget).dispatchEvent(e);
    return e.defaultPrevented;
  });
}

async function submittedInputs(url: string, registry: Address, player: Address): Promise<{ runId: bigint; actions: number[] }[]> {
  const logs = await chainClient(url).getContractEvents({ address: registry, abi: runRegistryAbi, eventName: "RunSubmitted", args: { player }, fromBlock: 0n });
  return logs.map((l) => ({ runId: l.args.runId!, actions: Array.from(decodeInputs(viemHexToBytes(l.args.inputs!))) }));
}

test("a reload mid ranked run resumes it where it stood; it is submitted, and the claim pays the GOLD shown", async ({ page }, info) => {
  test.setTimeout(300_000);
  const { url, deployment } = testChain();
  const client = chainClient(url);
  const player = await connectBurner(page, appUrl(), url);

  // No open run yet: nothing to resume or give up.
  await expect(page.getByTestId("open-run")).toHaveCount(0);
  await page.getByTestId("play-ranked").click();
  await enterMine(page);
  await expect(page.getByTestId("ranked-clock")).toContainText(/left to submit it/);
  await expect(page.getByTestId("ranked-clock")).not.toContainText("block");
  expect(await leaveWarningRegistered(page), "a live ranked run warns before the page is left").toBe(true);

  await digTo(page, toTreasure, byKeyboard(page));
  // Pause, so the run's clock stands still across the reload (the state is then exactly comparable).
  await page.keyboard.press("KeyP");
  const before = await waitForRun(page, "paused", (p) => p.paused && p.phase === "paused", { withActions: true });
  expect(before.gold).toBeGreaterThan(0);
  await page.screenshot({ path: info.outputPath("resume-before-reload.png") });

  // The reload asks first (the beforeunload warning); the test accepts.
  const dialogs: string[] = [];
  page.on("dialog", (d) => {
    dialogs.push(d.type());
    void d.accept();
  });
  await page.reload();
  expect(dialogs, "the browser warned before leaving the run").toContain("beforeunload");

  // The run comes back by itself, paused, exactly where it stood: same seed, tick, cell, gold, lives and energy.
  const after = await waitForRun(page, "the resumed run, paused", (p) => p.mode === "ranked" && p.phase === "paused", { withActions: true });
  expect([after.seed, after.tick, after.x, after.y, after.gold, after.lives, after.energy, after.cooldown]).toEqual([
    before.seed,
    before.tick,
    before.x,
    before.y,
    before.gold,
    before.lives,
    before.energy,
    before.cooldown,
  ]);
  expect(after.actions).toEqual(before.actions);
  await expect(page.getByTestId("hud-gold")).toHaveText(String(before.gold));
  await page.screenshot({ path: info.outputPath("resume-after-reload-paused.png") });

  // The player's input resumes it; it plays on from there.
  await page.keyboard.press("KeyP");
  await waitForRun(page, "playing again", (p) => p.phase === "playing" && !p.paused && p.tick > before.tick + 2);
  await page.keyboard.press("KeyQ");
  const gold = Number(await page.getByTestId("outcome-gold").textContent());
  expect(gold).toBe(before.gold);
  await expect(page.getByTestId("ranked-submit")).toHaveAttribute("data-state", "submitted", { timeout: 30_000 });
  expect(await leaveWarningRegistered(page), "no warning once the inputs are on-chain").toBe(false);
  const [sub] = await submittedInputs(url, deployment.contracts.runRegistry, player);
  expect(sub, "the run was submitted").toBeDefined();
  expect(sub!.actions.slice(0, before.tick), "the inputs played before the reload are the submitted run's first").toEqual(before.actions);

  // Runs & rewards: what the run will pay, and why (the attesters' share), then the claim pays exactly that.
  await page.getByTestId("goto-runs").click();
  const row = page.getByTestId("run-row").first();
  await expect(row).toHaveAttribute("data-step", "claimable", { timeout: 150_000 });
  const pay = row.getByTestId("run-pay");
  await expect(pay).toHaveAttribute("data-final", "true");
  await expect(pay).toHaveAttribute("data-pay-kind", "claim");
  await expect(row.getByTestId("run-pay-reason")).toContainText(/to you, \d+(\.\d+)?% to the attesting workers/);
  const shown = BigInt((await pay.getAttribute("data-pay-wei"))!);
  expect(shown).toBeGreaterThan(0n);
  await page.screenshot({ path: info.outputPath("resume-pay-shown.png") });
  const balance = () => client.readContract({ address: deployment.contracts.gold, abi: goldTokenAbi, functionName: "balanceOf", args: [player] });
  const before$ = await balance();
  await row.getByTestId("claim-one").click();
  await expect(row).toHaveAttribute("data-step", "claimed", { timeout: 30_000 });
  expect((await balance()) - before$, "the claim paid exactly the GOLD shown").toBe(shown);
  // Still shown after the claim, the same number.
  await expect(row.getByTestId("run-pay")).toHaveAttribute("data-pay-wei", shown.toString());
  await page.screenshot({ path: info.outputPath("resume-claimed.png") });
});

test("a ranked run can be given up: it is submitted as it stands and ranked play is open again", async ({ page }, info) => {
  const { url, deployment } = testChain();
  const player = await connectBurner(page, appUrl(), url);
  await page.getByTestId("play-ranked").click();
  await enterMine(page);
  const fresh = (await probeRun(page))!;
  await firstMove(page, fresh);

  // The Runs panel offers what to do with the open run, with its deadline in seconds — never "submit by block N".
  await page.getByTestId("tab-runs").click();
  const row = page.getByTestId("run-row").first();
  await expect(row).toHaveAttribute("data-step", "started");
  await expect(row.getByTestId("open-run-left")).toContainText(/\d+ (min|s).* left to submit it/);
  await expect(row).not.toContainText("block");
  await expect(row.getByTestId("resume-run")).toBeVisible();
  await page.screenshot({ path: info.outputPath("give-up-open-run.png") });
  const kept = (await page.evaluate(() => {
    const k = Object.keys(localStorage).find((key) => key.startsWith("surge-gold.ranked-run."));
    return k ? (JSON.parse(localStorage.getItem(k)!) as { inputs: Hex; ticks: number }) : null;
  }))!;
  expect(kept, "the run's inputs are kept in the browser").not.toBeNull();
  expect(kept.ticks).toBeGreaterThan(0);

  await row.getByTestId("give-up").click();
  await expect(row).toHaveAttribute("data-step", /^(submitted|closed|attested|window|claimable)$/, { timeout: 30_000 });
  const [sub] = await submittedInputs(url, deployment.contracts.runRegistry, player);
  expect(sub!.actions.length, "submitted as it stood: the inputs kept when it was given up").toBeGreaterThanOrEqual(kept.ticks);
  expect(sub!.actions.slice(0, kept.ticks)).toEqual(Array.from(decodeInputs(viemHexToBytes(kept.inputs))));
  expect(await page.evaluate(() => Object.keys(localStorage).filter((k) => k.startsWith("surge-gold.ranked-run.")).length), "a submitted run is no longer kept").toBe(0);
  await page.screenshot({ path: info.outputPath("give-up-submitted.png") });

  // Ranked play is open again at once: no RunAlreadyActive.
  await page.getByTestId("tab-play").click();
  await expect(page.getByTestId("open-run")).toHaveCount(0);
  await expect(page.getByTestId("play-ranked")).toBeEnabled({ timeout: 15_000 });
  await page.getByTestId("play-ranked").click();
  await enterMine(page);
  expect((await probeRun(page))!.mode).toBe("ranked");
  await page.keyboard.press("KeyQ");
  await expect(page.getByTestId("ranked-submit")).toHaveAttribute("data-state", "submitted", { timeout: 30_000 });
  expect((await submittedInputs(url, deployment.contracts.runRegistry, player)).length).toBe(2);
});

test("after a reload with no time left to play on, the run is submitted as it was played", async ({ page }, info) => {
  const { url, deployment } = testChain();
  const client = chainClient(url);
  const player = await connectBurner(page, appUrl(), url);
  await page.getByTestId("play-ranked").click();
  await enterMine(page);
  const fresh = (await probeRun(page))!;
  await firstMove(page, fresh);
  await page.keyboard.press("KeyP");
  const before = await waitForRun(page, "paused", (p) => p.paused, { withActions: true });
  const [started] = await client.getContractEvents({ address: deployment.contracts.runRegistry, abi: runRegistryAbi, eventName: "RunStarted", args: { player }, fromBlock: 0n });
  const deadline = started!.args.deadline!;
  page.on("dialog", (d) => void d.accept());
  // The chain races to 6 blocks before the deadline and holds there (the devnet's block a second stopped meanwhile).
  await rpc(url, "evm_setIntervalMining", [0]);
  try {
    const now = await client.getBlockNumber();
    await mineBlocks(url, Number(deadline - now - 6n));
    await page.reload();
    await expect(page.getByTestId("outcome")).toBeVisible({ timeout: 60_000 });
    await expect(page.getByTestId("outcome")).toContainText("Submitted as played");
    await expect(page.getByTestId("ranked-submit")).toHaveAttribute("data-state", "submitted", { timeout: 30_000 });
  } finally {
    await rpc(url, "evm_setIntervalMining", [DEVNET_BLOCK_MS]);
  }
  await page.screenshot({ path: info.outputPath("reload-late-submitted.png") });
  const [sub] = await submittedInputs(url, deployment.contracts.runRegistry, player);
  expect(sub!.actions).toEqual(before.actions);
});
