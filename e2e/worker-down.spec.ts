/**
 * One of the suite devnet's three workers is killed mid-session (SIGKILL, by the pid the devnet writes in
 * .devnet/<port>/worker-2.pid): the Network panel shows it offline, the two others still bring a ranked run's epoch to
 * quorum (two thirds of the eligible stake) and the run becomes claimable without settlement by on-chain replay ever
 * being offered; then the devnet restarts the worker and the panel shows it online again.
 *
 * While the run's epoch settles, the test keeps the killed worker down for certain by holding its HTTP port: each of
 * the devnet's restarts then fails at once (the port is taken, as by any other program), before the worker reads a
 * block. Without that, a restart could win the race with the epoch's end on a fast machine and the run would settle
 * with three signers, proving nothing. The port is released at the end, and the test waits for the worker to be back
 * (the later specs expect three workers).
 */
import { createServer, type Server } from "node:net";
import { expect, test, type Locator } from "@playwright/test";
import { createWalletClient, http, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { goldTokenAbi, rewardSettlementAbi, runRegistryAbi, workerRegistryAbi } from "../game/chain/generated/abis.js";
import { runLabel } from "../game/chain/runId.js";
import { waitForSeed } from "../game/chain/seed.js";
import { bytesToHex, encodeInputs, replay } from "../game/sim/index.js";
import { readWorkerPid } from "../scripts/lib/devnet-process.js";
import { appUrl } from "./app.js";
import { chainClient, connectBurner, testChain } from "./chain.js";
import { actionsThrough, toTreasure } from "./plan.js";

/** The worker killed: the devnet's second (Hardhat account 2), serving on the deployment file's second URL. */
const KILLED = 2;

async function healthOf(url: string): Promise<{ ok: boolean; worker: Address } | null> {
  try {
    const res = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(3_000) });
    return (await res.json()) as { ok: boolean; worker: Address };
  } catch {
    return null;
  }
}

/** Takes `port` on 127.0.0.1 (where the worker binds) and drops every connection: a port that is taken and answers nothing. */
async function holdPort(port: number): Promise<Server> {
  const deadline = Date.now() + 1_500;
  for (;;) {
    const server = createServer((socket) => socket.destroy());
    try {
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(port, "127.0.0.1", () => resolve());
      });
      return server;
    } catch (e) {
      // The killed process's socket may take a moment to go: try again, well inside the devnet's 2 s backoff.
      if (Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

function release(server: Server | null): Promise<void> {
  return new Promise((resolve) => (server ? server.close(() => resolve()) : resolve()));
}

/** The worker's row in the Network panel (its liveness in `data-liveness`). */
const rowOf = (rows: Locator, worker: Address) => rows.and(rows.page().locator(`[data-address="${worker}"]`));

test("a worker killed mid-session: offline in the Network panel, runs still settle without replay, and it comes back", async ({ page }, info) => {
  test.setTimeout(480_000);
  const { url, deployment, workers } = testChain();
  expect(workers, "this test kills one of the devnet's three workers").toBeGreaterThanOrEqual(3);
  const rpcPort = Number(new URL(url).port);
  const workerUrl = deployment.workers[KILLED - 1]!;
  const workerPort = Number(new URL(workerUrl).port);
  const before = await healthOf(workerUrl);
  expect(before?.ok, `worker ${KILLED} is healthy before the test`).toBe(true);
  const killed = before!.worker;
  const client = chainClient(url);

  const player = await connectBurner(page, appUrl(), url);
  await page.getByTestId("tab-network").click();
  const rows = page.getByTestId("workers-table").locator('tbody tr[data-testid="worker-row"]');
  await expect(rows).toHaveCount(workers);
  await expect(rows.and(page.locator('[data-liveness="online"]'))).toHaveCount(workers, { timeout: 60_000 });

  let held: Server | null = null;
  try {
    const pid = readWorkerPid(rpcPort, KILLED);
    process.kill(pid, "SIGKILL");
    held = await holdPort(workerPort);
    await expect(rowOf(rows, killed)).toHaveAttribute("data-liveness", "offline", { timeout: 30_000 });
    // Still bonded: the registry keeps its stake eligible; the panel does not call it live for that.
    await expect(rowOf(rows, killed).getByTestId("worker-registry")).toHaveText("eligible");
    await page.screenshot({ path: info.outputPath("worker-offline.png") });

    // A run of the player's, started and submitted on-chain (inputs planned on its seed: a dig to the nearest treasure).
    const key = (await page.evaluate(() => localStorage.getItem("surge-gold.burner-key"))) as Hex;
    const wallet = createWalletClient({ chain: hardhat, transport: http(url), account: privateKeyToAccount(key) });
    const { runRegistry, settlement } = deployment.contracts;
    await client.waitForTransactionReceipt({ hash: await wallet.writeContract({ address: runRegistry, abi: runRegistryAbi, functionName: "startRun" }) });
    const runId = await client.readContract({ address: runRegistry, abi: runRegistryAbi, functionName: "lastRunOf", args: [player] });
    const seed = await waitForSeed(client, runRegistry, runId, { pollMs: 100 });
    const inputs = encodeInputs(actionsThrough(seed, [toTreasure]));
    expect(replay(seed, inputs).gold, "the planned dig ends on treasure").toBeGreaterThan(0);
    const submitted = await client.waitForTransactionReceipt({
      hash: await wallet.writeContract({ address: runRegistry, abi: runRegistryAbi, functionName: "submitRun", args: [runId, bytesToHex(inputs)] }),
    });
    expect(submitted.status).toBe("success");
    const epoch = BigInt((await client.readContract({ address: runRegistry, abi: runRegistryAbi, functionName: "runOf", args: [runId] })).epoch);

    // The Runs panel: the row goes through its road to claimable; "settle by on-chain replay" is never offered.
    await page.getByTestId("tab-runs").click();
    const row = page.getByTestId("run-row").filter({ has: page.getByTestId("run-label").getByText(runLabel(runId), { exact: true }) });
    await expect(row).toHaveCount(1, { timeout: 30_000 });
    const replayOffered = async () => (await row.getByTestId("settle-replay").count()) > 0 || /no quorum in time/.test((await row.textContent()) ?? "");
    let offered = false;
    await expect
      .poll(
        async () => {
          offered ||= await replayOffered();
          return row.getAttribute("data-step");
        },
        { timeout: 180_000, intervals: [250] },
      )
      .toBe("claimable");
    expect(offered, "settlement by replay was offered for the run").toBe(false);
    await expect(row).toContainText(/attested 2 of 3/);
    await page.screenshot({ path: info.outputPath("worker-down-claimable.png") });

    // On-chain: one aggregate attestation signed by the two live workers; it names the killed one its only non-signer.
    const attested = await client.getContractEvents({ address: settlement, abi: rewardSettlementAbi, eventName: "Attested", args: { epoch }, fromBlock: 0n });
    expect(attested).toHaveLength(1);
    expect(attested[0]!.args.attesters).toBe(2n);
    expect(attested[0]!.args.worker).not.toBe(killed);
    const killedIndex = (
      await client.readContract({ address: deployment.contracts.workerRegistry, abi: workerRegistryAbi, functionName: "workerOf", args: [killed] })
    ).index;
    expect(attested[0]!.args.nonSigners).toEqual([BigInt(killedIndex)]);
    const quorum = await client.getContractEvents({ address: settlement, abi: rewardSettlementAbi, eventName: "QuorumReached", args: { epoch }, fromBlock: 0n });
    expect(quorum).toHaveLength(1);

    await row.getByTestId("claim-one").click();
    await expect(row).toHaveAttribute("data-step", "claimed", { timeout: 60_000 });
    expect(await row.getByTestId("settle-replay").count()).toBe(0);
    const replayed = await client.getContractEvents({ address: settlement, abi: rewardSettlementAbi, eventName: "RunSettledByReplay", args: { player }, fromBlock: 0n });
    expect(replayed).toHaveLength(0);
    expect(await client.readContract({ address: deployment.contracts.gold, abi: goldTokenAbi, functionName: "balanceOf", args: [player] })).toBeGreaterThan(0n);

    // Its port free again, the devnet's next restart brings the worker back, and the panel sees it.
    await release(held);
    held = null;
    await page.getByTestId("tab-network").click();
    await expect(rowOf(rows, killed)).toHaveAttribute("data-liveness", "online", { timeout: 120_000 });
    expect(readWorkerPid(rpcPort, KILLED), "a new process").not.toBe(pid);
    await expect(rows.and(page.locator('[data-liveness="online"]'))).toHaveCount(workers);
    // The latency summary counts the epochs that reached quorum, this one among them.
    await expect(page.getByTestId("network-latency")).toHaveAttribute("data-epochs", /^[1-9]\d*$/);
    await page.screenshot({ path: info.outputPath("worker-back.png") });

    // Without the indexer (an address where nothing answers), the same from the chain alone: liveness, and the
    // latency summary from the settlement's events.
    await page.goto(appUrl(`?rpc=${encodeURIComponent(url)}&indexer=${encodeURIComponent("http://127.0.0.1:9")}`));
    await page.getByTestId("tab-network").click();
    await expect(page.getByTestId("network-source")).toContainText("Indexer unavailable", { timeout: 60_000 });
    await expect(page.getByTestId("network-latency")).toContainText("from the chain", { timeout: 30_000 });
    await expect(page.getByTestId("network-latency")).toHaveAttribute("data-epochs", /^[1-9]\d*$/);
    await expect(rows.and(page.locator('[data-liveness="online"]'))).toHaveCount(workers, { timeout: 30_000 });
    await page.screenshot({ path: info.outputPath("worker-back-no-indexer.png") });
  } finally {
    // Leave the devnet as the other specs expect it: all three workers up.
    await release(held);
    await expect.poll(async () => (await healthOf(workerUrl))?.ok ?? false, { timeout: 120_000, intervals: [500] }).toBe(true);
  }
});
