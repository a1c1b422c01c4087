/**
 * The leaderboard with the devnet's indexer (game/indexer, started by `npm start`): a run played on-chain is still
 * on the board ten minutes of devnet time later (150 blocks four seconds apart, mined at once: past the 20 epochs of
 * 5 blocks that the page's own chain reads cover, and fewer blocks for the indexer to fetch than the devnet's 600
 * in ten minutes, to keep CI short), where the page's own reads would have lost it; and with the indexer unreachable the page
 * falls back to reading the chain itself, and says so.
 */
import { runLabel } from "../game/chain/runId.js";
import { waitForSeed } from "../game/chain/seed.js";
import { expect, test } from "@playwright/test";
import { createWalletClient, http, parseEventLogs } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { runRegistryAbi } from "../game/chain/generated/abis.js";
import { bytesToHex, encodeInputs, replay } from "../game/sim/index.js";
import { rpc } from "../scripts/lib/node.js";
import { appUrl } from "./app.js";
import { chainClient, DEVNET_BLOCK_MS, testChain } from "./chain.js";

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
  // The seed is drawn from the block after the start (the devnet mines one every block time): wait for it.
  const { runId } = event!.args;
  const seed = await waitForSeed(client, registry, runId!, { pollMs: 100 });
  const inputs = Array.from({ length: 12 }, (_, i) => candidate(i)).reduce((best, c) =>
    replay(seed, c).gold > replay(seed, best).gold ? c : best,
  );
  const gold = replay(seed, inputs).gold;
  const submitted = await client.waitForTransactionReceipt({
    hash: await wallet.writeContract({ address: registry, abi: runRegistryAbi, functionName: "submitRun", args: [runId, bytesToHex(inputs)] }),
  });

  // Ten minutes of devnet time: 150 blocks four seconds apart, mined at once (evm_mine with timestamps, in batches:
  // hardhat_mine's blocks report a zero parent hash, which no indexer can follow).
  // The devnet's block a second is stopped meanwhile (transactions still mine at once), then restored.
  await rpc(url, "evm_setIntervalMining", [0]);
  const now = Number((await client.getBlock()).timestamp);
  try {
    for (let i = 0; i < 150; i += 50) {
      const batch = Array.from({ length: 50 }, (_, k) => ({ jsonrpc: "2.0", id: k, method: "evm_mine", params: [now + 4 * (i + k + 1)] }));
      const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch) });
      const answers = (await res.json()) as { error?: { message: string } }[];
      expect(answers.filter((a) => a.error)).toEqual([]);
    }
  } finally {
    await rpc(url, "evm_setIntervalMining", [DEVNET_BLOCK_MS]);
  }
  expect(Number((await client.getBlock()).timestamp) - now).toBeGreaterThanOrEqual(600);
  const head = Number(await client.getBlockNumber());
  expect(head - Number(submitted.blockNumber), "the run is older than the 20 epochs (100 blocks) the page reads itself").toBeGreaterThan(100);
  await expect.poll(() => indexedHead(indexer), { timeout: 120_000, message: "the indexer catches up with the head" }).toBeGreaterThanOrEqual(head);

  await page.goto(appUrl(`?rpc=${encodeURIComponent(url)}`));
  await page.getByTestId("tab-leaderboard").click();
  // On a loaded machine the indexer may miss the page's first asks (each waits 10 s, then the panel falls back and
  // asks again at its next refresh): wait for the answer, not for the first try.
  await expect(page.getByTestId("board-source")).toContainText("from the indexer", { timeout: 60_000 });
  // The run in the one display form: another player's run reads "0x1234…abcd #n".
  const row = page.getByTestId("leaderboard").locator("tbody tr", { hasText: runLabel(runId!, null) });
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

  // The Network panel's epochs and the Vault's rate history come from the indexer too.
  const [sub] = parseEventLogs({ abi: runRegistryAbi, logs: submitted.logs, eventName: "RunSubmitted" });
  await page.getByTestId("tab-network").click();
  await expect(page.getByTestId("network-source")).toContainText("from the indexer", { timeout: 60_000 });
  let epochRow = page.getByTestId("epochs-table").locator("tbody tr").filter({ has: page.locator(`td:first-child:text-is("${sub!.args.epoch}")`) });
  while ((await epochRow.count()) === 0 && (await page.getByTestId("epochs-older").count()) > 0) {
    await page.getByTestId("epochs-older").click();
    epochRow = page.getByTestId("epochs-table").locator("tbody tr").filter({ has: page.locator(`td:first-child:text-is("${sub!.args.epoch}")`) });
  }
  await expect(epochRow).toHaveCount(1);
  await page.getByTestId("tab-vault").click();
  await expect(page.getByTestId("vault-history-source")).toContainText("from the indexer", { timeout: 60_000 });
});

test("without the indexer the leaderboard, the epochs and the rate history read the chain itself, and say so", async ({ page }, info) => {
  const { url } = testChain();
  // Port 9 (discard) on this machine: nothing answers there, as when the indexer is down.
  await page.goto(appUrl(`?rpc=${encodeURIComponent(url)}&indexer=${encodeURIComponent("http://127.0.0.1:9")}`));
  await page.getByTestId("tab-leaderboard").click();
  await expect(page.getByTestId("board-source")).toContainText("Indexer unavailable");
  await expect(page.getByTestId("board-source")).toContainText("read from the chain");
  await expect(page.getByTestId("leaderboard")).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId("board-period-all")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("indexer-leaderboard-fallback.png") });
  await page.getByTestId("tab-network").click();
  await expect(page.getByTestId("network-source")).toContainText("Indexer unavailable");
  await expect(page.getByTestId("epochs-table")).toBeVisible();
  await page.getByTestId("tab-vault").click();
  await expect(page.getByTestId("vault-history-source")).toContainText("Indexer unavailable");
});
