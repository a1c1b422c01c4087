/**
 * (b) A ranked run on a local chain with three worker nodes: the burner wallet authorizes a session key, the run
 * starts on-chain through it, the player digs to the nearest treasure by keyboard, the inputs are submitted, the
 * workers replay and attest the epoch, and the player claims GOLD: the balance rises in the page and on-chain.
 */
import { expect, test } from "@playwright/test";
import { formatUnits, type Hex } from "viem";
import { goldTokenAbi, runRegistryAbi } from "../game/chain/generated/abis.js";
import { Action, Cell, cellAt, createState, type CellType } from "../game/sim/index.js";
import { appUrl, enterMine } from "./app.js";
import { chainClient, connectBurner, testChain } from "./chain.js";
import { rpc } from "../scripts/lib/node.js";

const TREASURE = new Set<CellType>([Cell.NUGGET, Cell.ORE, Cell.BIG_NUGGET, Cell.GEM]);
const DIGGABLE = new Set<CellType>([Cell.EMPTY, Cell.DIRT, Cell.CANTEEN, ...TREASURE]);
const KEY: Record<number, string> = { [Action.LEFT]: "ArrowLeft", [Action.RIGHT]: "ArrowRight", [Action.UP]: "ArrowUp", [Action.DOWN]: "ArrowDown" };

/**
 * The shortest dig from (x0, y0) to a treasure through cells dug in one move, never under a boulder, on the mine as
 * generated (cells dug since are empty, which the plan may cross anyway).
 */
function planToTreasure(seed: Hex, x0: number, y0: number): { action: Action; x: number; y: number }[] {
  const s = createState(seed);
  s.x = x0;
  s.y = y0;
  const key = (x: number, y: number) => y * 16 + x;
  const from = new Map<number, { prev: number; action: Action; x: number; y: number }>();
  const queue: [number, number][] = [[s.x, s.y]];
  from.set(key(s.x, s.y), { prev: -1, action: Action.NONE, x: s.x, y: s.y });
  while (queue.length > 0) {
    const [x, y] = queue.shift()!;
    if (TREASURE.has(cellAt(s, x, y))) {
      const path = [];
      for (let k = key(x, y); from.get(k)!.prev !== -1; k = from.get(k)!.prev) path.unshift(from.get(k)!);
      return path;
    }
    for (const [action, dx, dy] of [
      [Action.DOWN, 0, 1],
      [Action.LEFT, -1, 0],
      [Action.RIGHT, 1, 0],
      [Action.UP, 0, -1],
    ] as const) {
      const nx = x + dx;
      const ny = y + dy;
      if (nx < 0 || nx > 15 || ny < 0 || ny > 60 || from.has(key(nx, ny))) continue;
      if (!DIGGABLE.has(cellAt(s, nx, ny))) continue;
      if (ny > 0 && cellAt(s, nx, ny - 1) === Cell.BOULDER) continue;
      from.set(key(nx, ny), { prev: key(x, y), action, x: nx, y: ny });
      queue.push([nx, ny]);
    }
  }
  throw new Error(`no reachable treasure near the start for seed ${seed}`);
}

test("a ranked run is submitted, verified by the workers and claimed as GOLD", async ({ page }, info) => {
  const { url, deployment, workers } = testChain();
  expect(workers, "the ranked test needs the worker nodes (game/worker) running").toBeGreaterThanOrEqual(3);
  const client = chainClient(url);
  const player = await connectBurner(page, appUrl(), url);

  // One wallet transaction authorizes the session key; runs then need no prompt.
  await page.getByTestId("enable-session").click();
  await expect(page.getByTestId("session-status")).toContainText("active", { timeout: 30_000 });

  await page.getByTestId("play-ranked").click();
  await enterMine(page);
  await expect(page.getByTestId("ranked-clock")).toContainText(/submit by block \d+ \(\d+ blocks left\)/);
  const seed = (await page.getByTestId("game-host").getAttribute("data-seed")) as Hex;
  // Dig toward the nearest treasure one key press at a time, planning again from wherever the prospector is (a busy
  // machine can deliver a key's release late, and a held key moves twice).
  const hud = page.getByTestId("hud");
  for (let i = 0; i < 80 && Number(await page.getByTestId("hud-gold").textContent()) === 0; i++) {
    const pos = (await hud.getAttribute("data-pos"))!;
    const [x, y] = pos.split(",").map(Number) as [number, number];
    const next = planToTreasure(seed, x, y)[0];
    if (!next) break;
    await page.keyboard.press(KEY[next.action]!);
    // Until it moved (or, against a cell that changed since generation, a moment passed).
    await expect(hud).not.toHaveAttribute("data-pos", pos, { timeout: 1_000 }).catch(() => undefined);
  }
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

  await page.getByTestId("goto-runs").click();
  const row = page.getByTestId("run-row").first();
  await expect(row).toContainText(String(gold));
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
  const mine = page.getByTestId("leaderboard").locator("tbody tr", { hasText: `${player.slice(0, 8)}… (you)` });
  await expect(mine).toHaveCount(1);
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
  // The chain races ahead to 3 blocks before the deadline.
  const now = await client.getBlockNumber();
  await rpc(url, "hardhat_mine", [`0x${(deadline - now - 3n).toString(16)}`]);
  await expect(page.getByTestId("outcome")).toBeVisible({ timeout: 15_000 });
  await expect(page.getByTestId("ranked-submit")).toHaveAttribute("data-state", "submitted", { timeout: 15_000 });
  await page.screenshot({ path: info.outputPath("ranked-deadline.png") });
  const [submitted] = await client.getContractEvents({ address: deployment.contracts.runRegistry, abi: runRegistryAbi, eventName: "RunSubmitted", args: { player }, fromBlock: 0n });
  expect(submitted!.blockNumber).toBeLessThanOrEqual(deadline);
});
