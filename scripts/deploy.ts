/**
 * `npm run deploy -- --network NAME [--parameters FILE] [--deployment-id ID]`: deploys the whole system with the
 * Ignition module (ignition/modules/SurgeGold.ts) to a network of hardhat.config.ts and writes
 * public/deployments/<chainId>.json for the client and the workers. Parameters default to
 * ignition/parameters/<network>.json when it exists. Ignition keeps its journal in ignition/deployments/<id>, so a
 * deploy that stopped half-way resumes where it stopped when run again.
 *
 * Keys never enter the repository: a network's `accounts` come from configuration variables (env, or the Hardhat
 * keystore: `npx hardhat keystore set SEPOLIA_PRIVATE_KEY`). Verify the contracts afterwards with
 * `npx hardhat ignition verify <id>` (hardhat-verify; set ETHERSCAN_API_KEY).
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runCli, UsageError } from "./lib/cli.js";
import { ROOT, writeDeployment, type ModuleParameters } from "./lib/deploy.js";

runCli(async () => {
  const { values } = parseArgs({
    options: {
      network: { type: "string" },
      parameters: { type: "string" },
      "deployment-id": { type: "string" },
    },
    strict: true,
  });
  const name = values.network;
  if (name === undefined) throw new UsageError("--network NAME is required (a network of hardhat.config.ts, e.g. sepolia)");
  const file = values.parameters ?? join(ROOT, "ignition", "parameters", `${name}.json`);
  let parameters: ModuleParameters = {};
  if (existsSync(file)) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, "utf8"));
    } catch (e) {
      throw new UsageError(`${file} is not valid JSON: ${(e as Error).message}`);
    }
    const inner = (parsed as { SurgeGold?: unknown }).SurgeGold;
    if (typeof inner !== "object" || inner === null) throw new UsageError(`${file} must have a "SurgeGold" object`);
    parameters = inner as ModuleParameters;
  } else if (values.parameters !== undefined) {
    throw new UsageError(`no parameters file at ${file}`);
  }
  const { network } = await import("hardhat");
  const { deploySurgeGold } = await import("./lib/deploy.js");
  let connection;
  try {
    connection = await network.create({ network: name });
  } catch (e) {
    throw new UsageError(`cannot connect to network "${name}": ${(e as Error).message.split("\n")[0]}`);
  }
  const chainId = await (await connection.viem.getPublicClient()).getChainId();
  console.log(`deploying Surge Gold to ${name} (chain ${chainId}) with ${Object.keys(parameters).length} parameters…`);
  const deployment = await deploySurgeGold(connection, {
    network: name,
    parameters,
    deploymentId: values["deployment-id"] ?? `chain-${chainId}`,
  });
  const out = writeDeployment(deployment);
  console.log(`deployed; wrote ${out}`);
  for (const [k, v] of Object.entries(deployment.contracts)) console.log(`  ${k.padEnd(16)} ${v}`);
  await connection.close();
});
