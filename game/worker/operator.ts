/**
 * The operator's one-off actions: bond on first start, leave (requestExit), withdraw after the unbonding delay,
 * and a status report. All read the chain first and say what to do when an action cannot be taken.
 */
import type { Logger } from "pino";
import { signPop } from "../chain/bls.js";
import { formatUnits } from "viem";
import { surgeVaultAbi, workerRegistryAbi } from "../chain/generated/abis.js";
import type { ChainContext } from "./chain.js";
import { ConfigError } from "./config.js";
import { TxSender } from "./tx.js";

const SGETH_DECIMALS = 21;
const fmt = (v: bigint) => `${formatUnits(v, SGETH_DECIMALS)} sgETH`;

export async function workerState(ctx: ChainContext) {
  const read = ctx.publicClient;
  const c = ctx.deployment.contracts;
  const me = ctx.account.address;
  const [worker, eligible, minBond, slashed, block, delay] = await Promise.all([
    read.readContract({ address: c.workerRegistry, abi: workerRegistryAbi, functionName: "workerOf", args: [me] }),
    read.readContract({ address: c.workerRegistry, abi: workerRegistryAbi, functionName: "isEligible", args: [me] }),
    read.readContract({ address: c.workerRegistry, abi: workerRegistryAbi, functionName: "minBond" }),
    read.readContract({ address: c.workerRegistry, abi: workerRegistryAbi, functionName: "slashedOf", args: [me] }),
    read.getBlockNumber(),
    read.readContract({ address: c.workerRegistry, abi: workerRegistryAbi, functionName: "unbondingDelay" }),
  ]);
  return { worker, eligible, minBond, slashed, block, unbondingDelay: delay };
}

/**
 * Makes sure the worker can attest. Unregistered: with `bond`, deposit ETH into the vault for whatever sgETH is
 * missing, approve and register; without, fail saying so. Registered below the minimum: add the difference if
 * `bond` allows. Slashed or exiting: fail, since the registry will never let it attest again.
 */
export async function ensureBonded(ctx: ChainContext, bond: bigint | undefined, log: Logger): Promise<void> {
  const s = await workerState(ctx);
  const me = ctx.account.address;
  if (s.worker.registered && s.worker.slashes > 0) {
    throw new ConfigError(
      `worker ${me} was slashed (${fmt(s.slashed)} lost) and can never attest again: run \`npm run worker -- leave\`, ` +
        "withdraw after the delay, and use a new key",
    );
  }
  if (s.worker.registered && s.worker.exitBlock !== 0) {
    throw new ConfigError(
      `worker ${me} is leaving (exit requested; withdraw from block ${s.worker.exitBlock}): ` +
        "`npm run worker -- withdraw` then register again with --bond",
    );
  }
  if (s.worker.registered && s.worker.bond >= s.minBond) {
    log.info({ worker: me, bond: fmt(s.worker.bond) }, "worker is bonded");
    return;
  }
  const needed = s.worker.registered ? s.minBond - s.worker.bond : (bond ?? 0n);
  if (bond === undefined) {
    throw new ConfigError(
      s.worker.registered
        ? `worker ${me} is bonded ${fmt(s.worker.bond)}, below the minimum ${fmt(s.minBond)}: pass --bond to add to it`
        : `worker ${me} is not bonded: pass --bond ${formatUnits(s.minBond, SGETH_DECIMALS)} (sgETH; at least the ` +
            `minimum ${fmt(s.minBond)}) to bond on start; the ETH for it is deposited into the vault`,
    );
  }
  const amount = s.worker.registered ? (bond > needed ? bond : needed) : bond;
  if (!s.worker.registered && amount < s.minBond) {
    throw new ConfigError(`--bond ${fmt(amount)} is below the minimum bond ${fmt(s.minBond)}`);
  }
  const c = ctx.deployment.contracts;
  const tx = new TxSender(ctx);
  const balance = await ctx.publicClient.readContract({
    address: c.vault, abi: surgeVaultAbi, functionName: "balanceOf", args: [me],
  });
  if (balance < amount) {
    // previewMint rounds up: the ETH that buys at least the missing shares.
    const assets = await ctx.publicClient.readContract({
      address: c.vault, abi: surgeVaultAbi, functionName: "previewMint", args: [amount - balance],
    });
    const eth = await ctx.publicClient.getBalance({ address: me });
    if (eth < assets) {
      throw new ConfigError(
        `worker ${me} has ${formatUnits(eth, 18)} ETH; bonding ${fmt(amount)} needs ${formatUnits(assets, 18)} ETH ` +
          "for the vault deposit, plus gas: fund the address",
      );
    }
    log.info({ eth: formatUnits(assets, 18) }, "depositing ETH into the vault for the bond");
    await tx.send({ address: c.vault, abi: surgeVaultAbi, functionName: "depositETH", args: [me, amount - balance], value: assets });
  }
  await tx.send({ address: c.vault, abi: surgeVaultAbi, functionName: "approve", args: [c.workerRegistry, amount] });
  if (s.worker.registered) {
    await tx.send({ address: c.workerRegistry, abi: workerRegistryAbi, functionName: "addBond", args: [amount] });
  } else {
    // The BLS key with its proof of possession: the registry refuses a key its sender cannot sign with.
    const pop = signPop(ctx.bls, ctx.chainId, c.workerRegistry, me);
    await tx.send({
      address: c.workerRegistry,
      abi: workerRegistryAbi,
      functionName: "register",
      args: [amount, ctx.bls.publicKey, pop],
    });
  }
  log.info({ worker: me, bond: fmt(amount) }, s.worker.registered ? "added to the bond" : "registered and bonded");
}

export async function leave(ctx: ChainContext, log: Logger): Promise<void> {
  const s = await workerState(ctx);
  const me = ctx.account.address;
  if (!s.worker.registered) throw new ConfigError(`worker ${me} is not registered: nothing to leave`);
  if (s.worker.exitBlock !== 0) {
    log.info({ worker: me, exitBlock: s.worker.exitBlock }, "already leaving: run `withdraw` from the exit block on");
    return;
  }
  await new TxSender(ctx).send({
    address: ctx.deployment.contracts.workerRegistry, abi: workerRegistryAbi, functionName: "requestExit", args: [],
  });
  const after = await workerState(ctx);
  log.info(
    { worker: me, exitBlock: after.worker.exitBlock, bond: fmt(after.worker.bond) },
    "exit requested: this worker no longer attests; it stays slashable until then. Run `withdraw` from the exit block on",
  );
}

export async function withdraw(ctx: ChainContext, log: Logger): Promise<void> {
  const s = await workerState(ctx);
  const me = ctx.account.address;
  if (!s.worker.registered) throw new ConfigError(`worker ${me} is not registered: nothing to withdraw`);
  if (s.worker.exitBlock === 0) throw new ConfigError(`worker ${me} has not asked to leave: run \`leave\` first`);
  if (s.block < BigInt(s.worker.exitBlock)) {
    throw new ConfigError(
      `the bond can be withdrawn from block ${s.worker.exitBlock} on (now ${s.block}, ${BigInt(s.worker.exitBlock) - s.block} blocks to go)`,
    );
  }
  await new TxSender(ctx).send({
    address: ctx.deployment.contracts.workerRegistry, abi: workerRegistryAbi, functionName: "withdraw", args: [],
  });
  log.info({ worker: me, amount: fmt(s.worker.bond) }, "withdrew the bond: this worker is deregistered");
}

export async function status(ctx: ChainContext): Promise<Record<string, unknown>> {
  const s = await workerState(ctx);
  return {
    worker: ctx.account.address,
    chainId: ctx.chainId,
    deployment: ctx.deploymentFile,
    registered: s.worker.registered,
    bond: fmt(s.worker.bond),
    minBond: fmt(s.minBond),
    eligible: s.eligible,
    exitBlock: s.worker.exitBlock,
    index: s.worker.registered ? s.worker.index : null,
    slashes: s.worker.slashes,
    slashed: fmt(s.slashed),
    block: Number(s.block),
    unbondingDelay: Number(s.unbondingDelay),
  };
}
