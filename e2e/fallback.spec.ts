/**
 * With no worker running, no root reaches quorum: once the fallback delay has passed, the Runs panel offers to settle
 * a run by on-chain replay, and the contract pays its GOLD. This test starts its own devnet (`npm start`'s, with
 * `--workers 0`) next to the shared one.
 */
import { runLabel } from "../game/chain/runId.js";
import { waitForSeed } from "../game/chain/seed.js";
import { expect, test } from "@playwright/test";
import { createWalletClient, http, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { goldTokenAbi, runRegistryAbi } from "../game/chain/generated/abis.js";
import { parseDeployment } from "../game/chain/deployment.js";
import { bytesToHex, encodeInputs, replay } from "../game/sim/index.js";
import { startDevnetProcess, type DevnetProcess } from "../scripts/lib/devnet-process.js";
import { rpc } from "../scripts/lib/node.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "./build.js";
import { writeDeployment } from "../scripts/lib/deployment-file.js";
import { chainClient, connectBurner, testChain } from "./chain.js";
import { actionsThrough, toTreasure } from "./plan.js";

let devnet: DevnetProcess;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  devnet = await startDevnetProcess({ workers: 0 });
});

test.afterAll(async () => {
  expect(await devnet.stop()).toBe(0);
  // This devnet wrote its own deployment file (its indexer, no workers) over the shared one that every page of the
  // suite's devnet reads (public/ and the build's copy): put the suite's back, or later pages would ask a dead indexer.
  writeDeployment(testChain().deployment);
});


test("without workers, a run settles by on-chain replay from the Runs panel, and pays GOLD", async ({ page }, info) => {
  test.setTimeout(300_000);
  const url = devnet.url;
  const deployment = parseDeployment(JSON.parse(readFileSync(join(ROOT, "public", "deployments", "31337.json"), "utf8")), "deployment");
  const client = chainClient(url);
  const base = `http://127.0.0.1:${devnet.webPort}/`;
  const player = await connectBurner(page, base, url);
  const key = (await page.evaluate(() => localStorage.getItem("surge-gold.burner-key"))) as Hex;
  const wallet = createWalletClient({ chain: hardhat, transport: http(url), account: privateKeyToAccount(key) });

  // Start a run as the player and submit inputs planned on its seed (e2e/plan.ts): a dig to the nearest treasure.
  const { runRegistry } = deployment.contracts;
  const started = await client.waitForTransactionReceipt({
    hash: await wallet.writeContract({ address: runRegistry, abi: runRegistryAbi, functionName: "startRun" }),
  });
  expect(started.status).toBe("success");
  const goldRun = await client.readContract({ address: runRegistry, abi: runRegistryAbi, functionName: "lastRunOf", args: [player] });
  // Its seed is the hash of the block after the start: wait for that block, then read it.
  const seed = await waitForSeed(client, runRegistry, goldRun, { pollMs: 100 });
  const inputs = encodeInputs(actionsThrough(seed, [toTreasure]));
  const hash = await wallet.writeContract({ address: runRegistry, abi: runRegistryAbi, functionName: "submitRun", args: [goldRun, bytesToHex(inputs)] });
  expect((await client.waitForTransactionReceipt({ hash })).status).toBe("success");
  const gold = replay(seed, inputs).gold;
  expect(gold, "the planned dig ends on treasure").toBeGreaterThan(0);

  // No worker attests; past the epoch's end plus the fallback delay (30 blocks), replays open.
  for (let i = 0; i < 45; i++) await rpc(url, "evm_mine");
  await page.getByTestId("tab-runs").click();
  // The run in its one display form: "run #<nonce>".
  const row = page.getByTestId("run-row").filter({ has: page.getByTestId("run-label").getByText(runLabel(goldRun), { exact: true }) });
  await expect(row).toContainText("no quorum in time", { timeout: 30_000 });
  // What the replay will pay, and why: all of the run's points, no attesters' share (unlike a claim's 95%).
  const pay = row.getByTestId("run-pay");
  await expect(pay).toHaveAttribute("data-pay-kind", "replay");
  await expect(pay).toHaveAttribute("data-pay-wei", (BigInt(gold) * 10n ** 18n).toString());
  await expect(row.getByTestId("run-pay-reason")).toContainText("settled by on-chain replay");
  await page.screenshot({ path: info.outputPath("fallback-open.png") });
  await row.getByTestId("settle-replay").click();
  await expect(row).toHaveAttribute("data-step", "claimed", { timeout: 60_000 });
  const onchain = await client.readContract({ address: deployment.contracts.gold, abi: goldTokenAbi, functionName: "balanceOf", args: [player] });
  // Replays pay 1 GOLD per boosted point (no attester share): exactly the run's gold, as the player has no boost.
  expect(onchain).toBe(BigInt(gold) * 10n ** 18n);
  await page.screenshot({ path: info.outputPath("fallback-settled.png") });
});
