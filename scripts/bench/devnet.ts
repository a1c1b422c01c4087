/**
 * devnet.submitToClaimableSeconds: on `npm start`'s devnet with its default parameters (5-block epochs, 3-block
 * challenge window, a block a second, three workers), the time from a run's submission (its receipt) to its leaf
 * being claimable (its epoch Final, which the workers finalize), median of three runs by a fresh player. Each time,
 * the claim is then checked by simulating claimPacked with the leaf's proof (from a tree built from the chain's
 * events, as any client does): it must pay GOLD.
 * worker.aggregateSeconds: in the same runs, the time from the epoch's end (the first poll that sees the chain's head
 * at its end block) to its aggregate attestation on-chain (the first poll that sees it challengeable: the workers
 * have signed, one gathered two thirds of the eligible stake's signatures and sent them), median of the three.
 */
import {
  createPublicClient,
  createWalletClient,
  http,
  parseEventLogs,
  type Address,
  type PublicClient,
} from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { hardhat } from "viem/chains";
import { claimOf, encodeClaims } from "../../game/chain/claims.js";
import { parseDeployment, type Deployment } from "../../game/chain/deployment.js";
import { honestTree } from "../../game/chain/epoch.js";
import { rewardSettlementAbi, runRegistryAbi } from "../../game/chain/generated/abis.js";
import { bytesToHex } from "../../game/sim/index.js";
import { waitForSeed } from "../../game/chain/seed.js";
import { generateRun } from "../../test/helpers/runs.js";
import { startDevnetProcess } from "../lib/devnet-process.js";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { ROOT } from "../lib/deploy.js";

const MNEMONIC = "test test test test test test test test test test test junk";
const CHALLENGEABLE = 1; // IRewardSettlementTypes.EpochStatus.Challengeable
const FINAL = 3; // IRewardSettlementTypes.EpochStatus.Final

export default {
  name: "devnet",
  async run(): Promise<Record<string, number>> {
    const devnet = await startDevnetProcess();
    try {
      const deployment = parseDeployment(
        JSON.parse(readFileSync(join(ROOT, "public", "deployments", "31337.json"), "utf8")),
        "public/deployments/31337.json",
      );
      const { runRegistry, settlement } = deployment.contracts;
      const transport = http(devnet.url);
      const client = createPublicClient({ chain: hardhat, transport, pollingInterval: 100 });
      const times: number[] = [];
      const aggregate: number[] = [];
      for (let r = 0; r < 3; r++) {
        const account = mnemonicToAccount(MNEMONIC, { addressIndex: 12 + r });
        const wallet = createWalletClient({ chain: hardhat, transport, account });
        const started = await client.waitForTransactionReceipt({
          hash: await wallet.writeContract({ address: runRegistry, abi: runRegistryAbi, functionName: "startRun" }),
        });
        const [start] = parseEventLogs({ abi: runRegistryAbi, logs: started.logs, eventName: "RunStarted" });
        const inputs = bytesToHex(generateRun(31, 1 + r).inputs);
        // The seed comes from the block after the start (the devnet mines one every blockTimeMs): submit after it.
        await waitForSeed(client as PublicClient, runRegistry, start!.args.runId, { pollMs: 100 });
        const submitted = await client.waitForTransactionReceipt({
          hash: await wallet.writeContract({
            address: runRegistry,
            abi: runRegistryAbi,
            functionName: "submitRun",
            args: [start!.args.runId, inputs],
          }),
        });
        const t0 = performance.now();
        const [sub] = parseEventLogs({ abi: runRegistryAbi, logs: submitted.logs, eventName: "RunSubmitted" });
        const epoch = sub!.args.epoch;
        const end = await client.readContract({ address: runRegistry, abi: runRegistryAbi, functionName: "epochEnd", args: [epoch] });
        let ended: number | undefined;
        let attested: number | undefined;
        for (;;) {
          const [status, head] = await Promise.all([
            client.readContract({ address: settlement, abi: rewardSettlementAbi, functionName: "epochStatus", args: [epoch] }),
            client.getBlockNumber({ cacheTime: 0 }),
          ]);
          const now = performance.now();
          if (ended === undefined && head >= end) ended = now;
          if (attested === undefined && status >= CHALLENGEABLE && status <= FINAL) attested = now;
          if (status === FINAL) break;
          if (performance.now() - t0 > 300_000) throw new Error(`epoch ${epoch} not final within 300 s`);
          await new Promise((res) => setTimeout(res, 100));
        }
        times.push((performance.now() - t0) / 1000);
        if (ended === undefined || attested === undefined) throw new Error(`epoch ${epoch}: its end or its attestation was not seen`);
        aggregate.push((attested - ended) / 1000);
        await checkClaimable(client, deployment, epoch, start!.args.runId, account.address);
      }
      console.error(`  submit to claimable: ${times.map((t) => t.toFixed(1)).join(", ")} s`);
      console.error(`  epoch end to aggregate attestation: ${aggregate.map((t) => t.toFixed(1)).join(", ")} s`);
      const median = (xs: number[]) => Number([...xs].sort((a, b) => a - b)[1]!.toFixed(1));
      return { "devnet.submitToClaimableSeconds": median(times), "worker.aggregateSeconds": median(aggregate) };
    } finally {
      await devnet.stop();
    }
  },
};

/** Builds the epoch's tree from events (as any client does) and simulates the player's claimPacked: it must pay. */
async function checkClaimable(
  client: ReturnType<typeof createPublicClient>,
  deployment: Deployment,
  epoch: bigint,
  runId: bigint,
  player: Address,
): Promise<void> {
  const { tree } = await honestTree(client as PublicClient, deployment, epoch);
  const claim = claimOf(tree, runId);
  const gold = claim.gold;
  const { result } = await client.simulateContract({
    account: player,
    address: deployment.contracts.settlement,
    abi: rewardSettlementAbi,
    functionName: "claimPacked",
    args: [player, encodeClaims([claim])],
  });
  if (gold > 0n && result === 0n) throw new Error(`run ${runId} is final but its claim pays nothing`);
}
