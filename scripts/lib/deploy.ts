/**
 * Deploys the whole system through the Ignition module (ignition/modules/SurgeGold.ts) on a Hardhat network
 * connection and returns the deployment file's content. Used by the devnet (`npm start`), by the worker and
 * browser tests (on a `hardhat node` they start), and by scripts/deploy.ts.
 *
 * Restaking: the module takes an existing Symbiotic vault (`symbioticVault`) and its collateral (`weth`). On a local
 * chain (id 31337) without them, Symbiotic's own contracts are deployed first (scripts/lib/symbiotic.ts: a WETH
 * vault, its delegator and slasher, a network and an operator opted in); on any other chain they are required.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import type { NetworkConnection } from "hardhat/types/network";
import SurgeGoldModule from "../../ignition/modules/SurgeGold.js";
import { getAddress, isAddress } from "viem";
import { deploySymbiotic } from "./symbiotic.js";
import { DeploymentError, parseDeployment, type Deployment } from "../../game/chain/deployment.js";
import { ROOT } from "./paths.js";
export { writeDeployment } from "./deployment-file.js";

export { ROOT };

export type ModuleParameters = Record<string, bigint | number | string>;

export interface DeployOptions {
  /** A human name written into the file ("devnet", "sepolia", …). */
  network: string;
  /** Overrides of the module's defaults (ignition/modules/SurgeGold.ts). */
  parameters?: ModuleParameters;
  /**
   * Ignition's deployment id (its journal lives in ignition/deployments/<id>). A fresh chain needs a fresh journal:
   * pass `fresh: true` to delete an old one first (devnet and tests).
   */
  deploymentId?: string;
  fresh?: boolean;
  /** On a local chain without `symbioticVault`: the epoch of the Symbiotic vault deployed for it (default 120 s). */
  symbioticEpochSeconds?: number;
}

/** The chain id of Hardhat's local chains, where Symbiotic is deployed from its sources when not given. */
const LOCAL_CHAIN_ID = 31337;
/** The parameters that name Symbiotic's deployment: the operator fills them in for a real network. */
export const SYMBIOTIC_PARAMETERS = ["symbioticVault", "weth"] as const;

/** The module's parameter names, read from its futures (so this list cannot drift from the module). */
export function moduleParameterNames(): Set<string> {
  const names = new Set<string>();
  const seen = new Set<unknown>();
  const scan = (v: unknown): void => {
    if (v === null || typeof v !== "object" || seen.has(v)) return;
    seen.add(v);
    const o = v as Record<string, unknown>;
    if (o.type === "MODULE_PARAMETER" && typeof o.name === "string") names.add(o.name);
    for (const x of Object.values(o)) scan(x);
  };
  for (const f of SurgeGoldModule.futures) scan(f);
  return names;
}

const ADDRESS_PARAMETERS = new Set(["admin", "guardian", "oracle", "treasury", ...SYMBIOTIC_PARAMETERS]);

/** Refuses unknown parameter names (a typo would silently deploy the default) and values of the wrong kind. */
export function checkParameters(parameters: ModuleParameters): void {
  const known = moduleParameterNames();
  for (const [key, value] of Object.entries(parameters)) {
    if (!known.has(key)) {
      throw new DeploymentError(`unknown parameter "${key}"; the module takes: ${[...known].sort().join(", ")}`);
    }
    const text = String(value);
    if ((SYMBIOTIC_PARAMETERS as readonly string[]).includes(key) && text.trim() === "") {
      throw new DeploymentError(
        `parameter "${key}" is empty: fill in the address of ${key === "weth" ? "WETH (the Symbiotic vault's collateral)" : "an existing Symbiotic vault over WETH"} on this network (see README, "Deploy to a network")`,
      );
    }
    if (ADDRESS_PARAMETERS.has(key) ? !isAddress(text, { strict: false }) : !/^\d+$/.test(text)) {
      const kind = ADDRESS_PARAMETERS.has(key) ? "an address" : "a whole number (as a string for large values)";
      throw new DeploymentError(`parameter "${key}" must be ${kind}, got ${JSON.stringify(value)}`);
    }
  }
}

export async function deploySurgeGold(connection: NetworkConnection, options: DeployOptions): Promise<Deployment> {
  checkParameters(options.parameters ?? {});
  const publicClient = await connection.viem.getPublicClient();
  const chainId = await publicClient.getChainId();
  const startBlock = Number(await publicClient.getBlockNumber());
  const deploymentId = options.deploymentId ?? `chain-${chainId}`;
  if (options.fresh === true) rmSync(join(ROOT, "ignition", "deployments", deploymentId), { recursive: true, force: true });
  const parameters = { ...(options.parameters ?? {}) };
  const missing = SYMBIOTIC_PARAMETERS.filter((k) => parameters[k] === undefined);
  if (missing.length === SYMBIOTIC_PARAMETERS.length && chainId === LOCAL_CHAIN_ID) {
    const symbiotic = await deploySymbiotic(connection.viem, { epochDuration: options.symbioticEpochSeconds ?? 120 });
    parameters.weth = symbiotic.weth;
    parameters.symbioticVault = symbiotic.vault.address;
  } else if (missing.length > 0) {
    throw new DeploymentError(
      `missing parameter${missing.length > 1 ? "s" : ""} ${missing.map((k) => `"${k}"`).join(" and ")}: on chain ${chainId} ` +
        "the vault restakes into an existing Symbiotic vault; give its address and its collateral (WETH)",
    );
  }
  const c = await connection.ignition.deploy(SurgeGoldModule, {
    parameters: { SurgeGold: toIgnition(parameters) },
    deploymentId,
  });
  // A journal left from an earlier chain (a restarted local node) makes Ignition report contracts that are not there.
  for (const [name, contract] of Object.entries(c)) {
    const code = await publicClient.getCode({ address: getAddress(contract.address) });
    if (code === undefined || code === "0x") {
      throw new DeploymentError(
        `Ignition's journal ignition/deployments/${deploymentId} lists ${name} at ${contract.address}, but the chain has ` +
          "no contract there (a restarted or different chain): delete that folder, or pass another --deployment-id",
      );
    }
  }
  return parseDeployment(
    {
      version: 1,
      chainId,
      network: options.network,
      startBlock,
      contracts: {
        weth: c.weth.address,
        restakingLayer: c.strategy.address,
        vault: c.vault.address,
        runRegistry: c.runs.address,
        workerRegistry: c.workers.address,
        replayer: c.replayer.address,
        settlement: c.settlement.address,
        gold: c.gold.address,
      },
      parameters: Object.fromEntries(Object.entries(parameters).map(([k, v]) => [k, String(v)])),
    },
    "the new deployment",
  );
}

function toIgnition(parameters: ModuleParameters): Record<string, bigint | string> {
  return Object.fromEntries(
    Object.entries(parameters).map(([k, v]) => [k, typeof v === "number" ? BigInt(v) : v]),
  );
}
