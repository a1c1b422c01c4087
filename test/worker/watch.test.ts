/**
 * Every player watches their own runs (issues 12 and 17): a lying quorum — one worker holding all the bonded stake,
 * alone in the signer set — attests a root whose leaf of one player's run has 1,000 gold too many
 * (test-support/liar-worker.ts, SURGE_LIAR=gold:<runId>), or that leaves that run out and attests one run fewer
 * (SURGE_LIAR=omit:<runId>), and serves that tree on /trees like any worker. No honest worker runs. The player-side
 * checker the page uses (game/chain/watch.ts) rebuilds the honest tree (the epoch's RunSubmitted logs in run-id
 * order), fetches the attested one from the worker URL, finds its own run wrong (`challengeLeaf`: WrongLeaf) or
 * missing (`challengeOmission`: Omitted) and challenges it from the player's account: the root is rejected and the
 * liar loses its whole bond. Another player, whose run is right, is told so.
 */
import assert from "node:assert/strict";
import { after, before, describe, it } from "node:test";
import { createWalletClient, defineChain, getAddress, http, parseEventLogs, type Address } from "viem";
import { FRAUD_NAMES } from "../../game/chain/fraud.js";
import { rewardSettlementAbi, runRegistryAbi } from "../../game/chain/generated/abis.js";
import { encodeRunId } from "../../game/chain/runId.js";
import { checkPlayerRuns, describeVerdict, sendChallenge } from "../../game/chain/watch.js";
import { freePort } from "../../scripts/lib/node.js";
import {
  accountAddress,
  accountKey,
  epochStatus,
  fundPlayers,
  playRuns,
  slashedOf,
  spawnWorker,
  startSystem,
  until,
  type System,
  type WorkerProcess,
} from "./harness.js";

const SGETH = 10n ** 21n;
const CHALLENGEABLE = 1;

for (const lie of [
  { mode: "gold", fraud: "WrongLeaf", fn: "challengeLeaf" },
  { mode: "omit", fraud: "Omitted", fn: "challengeOmission" },
] as const) describe(`a player's page watches its own runs (the liar: ${lie.mode} the player's run)`, { timeout: 300_000 }, () => {
  let s: System;
  let liar: WorkerProcess;
  let treesUrl: string;
  let players: Address[];
  before(async () => {
    s = await startSystem(
      { epochBlocks: 5n, challengeWindow: 80n, fallbackDelay: 160n, unbondingDelay: 400n, slashBps: 10_000n },
      400,
    );
    players = await fundPlayers(s.chain.url, 3, 31);
    const port = await freePort();
    treesUrl = `http://127.0.0.1:${port}`;
    liar = spawnWorker({
      rpc: s.chain.url,
      key: accountKey(13),
      deployment: s.deploymentFile,
      entry: "test-support/liar-worker.ts",
      env: { SURGE_LIAR: `${lie.mode}:${encodeRunId({ player: players[1]!, boostBps: 0n, nonce: 1n })}` },
      args: ["--bond", "1", "--poll-ms", "200", "--threads", "1", "--metrics-port", String(port)],
    });
    await liar.waitForLog((l) => l.msg === "worker started: following the chain");
  });
  after(async () => {
    await liar?.kill("SIGTERM");
    await s?.cleanup();
  });

  it(`finds the player's run ${lie.mode === "gold" ? "with a wrong gold" : "missing"} in the attested tree and challenges it (${lie.fn})`, async (t) => {
    const victim = players[1]!;
    const runId = encodeRunId({ player: victim, boostBps: 0n, nonce: 1n });
    await playRuns(s.chain.url, s.deployment.contracts.runRegistry, players, 3, { perBlock: 3 });
    const [sub] = await s.client.getContractEvents({
      address: s.deployment.contracts.runRegistry,
      abi: runRegistryAbi,
      eventName: "RunSubmitted",
      args: { runId },
      fromBlock: 0n,
    });
    assert.ok(sub, "the victim's run was submitted");
    const epoch = sub.args.epoch!;
    // Its place in the honest tree: its rank by run id among the epoch's runs (the liar's tree has the same place for
    // it when it lies about its gold; when it leaves it out, the challenge opens the leaf before it).
    const ids = (
      await s.client.getContractEvents({ address: s.deployment.contracts.runRegistry, abi: runRegistryAbi, eventName: "RunSubmitted", args: { epoch }, fromBlock: 0n })
    ).map((l) => l.args.runId!);
    const rank = ids.filter((id) => id < runId).length;
    await until("the liar's root reaches quorum", async () => ((await epochStatus(s, epoch)) === CHALLENGEABLE ? true : undefined));

    const base = { client: s.client, deployment: s.deployment, epoch, workers: [treesUrl] };
    // The other player's leaf is right: the page says so, and knows where the root is wrong.
    const bystander = await checkPlayerRuns({ ...base, player: players[0]! });
    assert.equal(bystander.state, "wrong-elsewhere", describeVerdict(bystander));
    assert.ok(bystander.state === "wrong-elsewhere" && bystander.elsewhere?.runId === runId, "the lie is at the victim's run");
    // Without a worker that serves the tree, nothing can be opened: said plainly.
    const blind = await checkPlayerRuns({ ...base, workers: [], player: victim });
    assert.equal(blind.state, "unavailable");
    assert.match(describeVerdict(blind), /no worker serves its tree/);

    const verdict = await checkPlayerRuns({ ...base, player: victim });
    assert.equal(verdict.state, "wrong", describeVerdict(verdict));
    assert.ok(verdict.state === "wrong");
    assert.equal(verdict.challenge.kind, lie.fraud);
    assert.equal(verdict.challenge.fn, lie.fn);
    assert.equal(verdict.challenge.runId, runId);
    const position = lie.mode === "gold" ? rank : Math.max(0, rank - 1);
    assert.equal(verdict.challenge.position, position);
    // Shown as the player's "run #1" (its nonce), never as a tree position.
    assert.match(describeVerdict(verdict), lie.mode === "gold" ? /root wrong at your run #1: / : /your run #1 is missing from it/);

    // The player's own account sends it (the page uses the session key, or the wallet with one click).
    const chain = defineChain({
      id: s.deployment.chainId,
      name: "test",
      nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
      rpcUrls: { default: { http: [s.chain.url] } },
    });
    const wallet = createWalletClient({ account: { address: victim, type: "json-rpc" }, chain, transport: http(s.chain.url) });
    const hash = await sendChallenge(wallet, s.deployment, epoch, verdict.challenge);
    const receipt = await s.client.waitForTransactionReceipt({ hash });
    assert.equal(receipt.status, "success");
    t.diagnostic(`the player's ${lie.fraud} challenge (${lie.fn}, one slash) used ${receipt.gasUsed} gas`);
    const [rejected] = parseEventLogs({ abi: rewardSettlementAbi, logs: receipt.logs, eventName: "RootRejected" });
    assert.ok(rejected, "the root was rejected");
    assert.equal(rejected.args.epoch, epoch);
    assert.equal(rejected.args.root, verdict.root);
    assert.equal(rejected.args.position, BigInt(position));
    assert.equal(FRAUD_NAMES[rejected.args.fraud], lie.fraud);
    assert.equal(getAddress(rejected.args.challenger), victim);
    // The slash is applied lazily (applySlashes): any worker does it, here the only one running, the liar itself.
    await until("the liar's slash applied", async () => ((await slashedOf(s, accountAddress(13))) === 1n * SGETH ? true : undefined));
    assert.notEqual(await epochStatus(s, epoch), CHALLENGEABLE, "the epoch is open again");
  });
});
