/**
 * The leaderboard with the devnet's indexer (game/indexer, started by `npm start`): a run played on-chain is still
 * on the board ten minutes of devnet time later (600 blocks and 600 s mined at once, no waiting), where the page's
 * own chain reads (the last 20 epochs, 100 blocks) would have lost it; and with the indexer unreachable the page
 * falls back to reading the chain itself, and says so.
 */
import { expect, test } from "@playwright/test";
import { createWalletClient, getAddress, http, parseEventLogs, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { runRegistryAbi } from "../game/chain/generated/abis.js";
import { bytesToHex, encodeInputs, replay } from "../game/sim/index.js";
import { rpc } from "../scripts/lib/node.js";
import { appUrl } from "./app.js";
import { chainClient, testChain } from "./chain.js";

/** Hardhat's account 17 (a well-known devnet key, funded with 10,000 ETH on `hardhat node`). */
const PLAYER_KEY = "0x689af8efa8c651a91ad287602527f3af2fe9f6501a7ac4b061667b5a93e037fd" as const;

/** Short inputs that differ with `i`; the test keeps the one that finds the most gold in its mine. */
function candidate(i: number): Uint8Array {
  return encodeInputs([4, 4, 4, (i % 2) + 1, 4, 4, 4, 4, (i % 3) + 1, 4, 4, 4, 4, 4, (i % 5) % 3 + 1, 4, 4]);
}

async function indexedHead(indexer: string): Promise<number> {
  const res = await fetch(`${indexer}/healthz`).catch(() => null);
  if (!res || res.status !== 200) return -1;
  return ((await res.json()) as { indexed: number }).indexed;
}

test("the leaderboard still shows a run ten minutes of devnet time later", async ({ page }, info) => {
  const { url, deployment } = testChain();
  expect(deployment.indexer, "npm start's deployment file names its indexer").toBeTruthy();
  const indexer = deployment.indexer!;
  const client = chainClient(url);
  const account = privateKeyToAccount(PLAYER_KEY);
  const wallet = createWalletClient({ account, chain: hardhat, transport: http(url) });
  const registry = deployment.contracts.runRegistry;

  const started = await client.waitForTransactionReceipt({
    hash: await wallet.writeContract({ address: registry, abi: runRegistryAbi, functionName: "startRun" }),
  });
  const [event] = parseEventLogs({ abi: runRegistryAbi, logs: started.logs, eventName: "RunStarted" });
  const { runId, seed } = event!.args as { runId: bigint; seed: Hex };
  const inputs = Array.from({ length: 12 }, (_, i) => candidate(i)).reduce((best, c) =>
    replay(seed, c).gold > replay(seed, best).gold ? c : best,
  );
  const gold = replay(seed, inputs).gold;
  await client.waitForTransactionReceipt({
    hash: await wallet.writeContract({ address: registry, abi: runRegistryAbi, functionName: "submitRun", args: [runId, bytesToHex(inputs)] }),
  });

  // Ten minutes of devnet time: 600 blocks one second apart, mined at once.
  await rpc(url, "hardhat_mine", ["0x258", "0x1"]);
  const head = Number(await client.getBlockNumber());
  await expect.poll(() => indexedHead(indexer), { timeout: 120_000, message: "the indexer catches up with the head" }).toBeGreaterThanOrEqual(head);

  await page.goto(appUrl(`?rpc=${encodeURIComponent(url)}`));
  await page.getByTestId("tab-leaderboard").click();
  await expect(page.getByTestId("board-source")).toContainText("from the indexer");
  const row = page.getByTestId("leaderboard").locator("tbody tr", { hasText: `${getAddress(account.address).slice(0, 8)}…` });
  await expect(row).toHaveCount(1);
  await expect(row.locator("td").nth(2)).toHaveText(String(gold));
  await page.screenshot({ path: info.outputPath("indexer-leaderboard-all-time.png") });

  // Ten minutes is still today and this week; the board by depth has the run too.
  await page.getByTestId("board-period-day").click();
  await expect(page.getByTestId("board-source")).toContainText("today");
  await expect(row).toHaveCount(1);
  await page.getByTestId("board-by-depth").click();
  await expect(page.getByTestId("board-source")).toContainText("by depth");
  await expect(row).toHaveCount(1);
});

test("without the indexer the leaderboard reads the chain itself, and says so", async ({ page }, info) => {
  const { url } = testChain();
  // Port 9 (discard) on this machine: nothing answers there, as when the indexer is down.
  await page.goto(appUrl(`?rpc=${encodeURIComponent(url)}&indexer=${encodeURIComponent("http://127.0.0.1:9")}`));
  await page.getByTestId("tab-leaderboard").click();
  await expect(page.getByTestId("board-source")).toContainText("Indexer unavailable");
  await expect(page.getByTestId("board-source")).toContainText("read from the chain");
  await expect(page.getByTestId("leaderboard")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("board-period-all")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("indexer-leaderboard-fallback.png") });
});
