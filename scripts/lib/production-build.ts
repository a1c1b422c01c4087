/**
 * The production build (optimizer on), for the gas benches: built into its own folder, deployed from there, and
 * checked after every deployment.
 *
 * Hardhat's build profiles share one artifacts/ folder, so a default-profile build (tests, `npm start`, the devnet
 * bench) overwrites a production build made before it. Here the production build goes to artifacts-production/ and
 * cache-production/ (hardhat.production.config.ts) where no default-profile build writes, and a second Hardhat
 * runtime environment, on that config, deploys from it. Its `viem.deployContract` then checks that the code at the
 * new address is the production artifact's runtime code (immutables, linked libraries and a library's own address
 * masked) and that the artifact's build info says the optimizer ran with the production profile's settings: any
 * other code fails the bench with an error naming the contract.
 *
 *   const { viem } = await productionNetwork();
 *   const replayer = await viem.deployContract("SurgeReplayer"); // checked
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Address, Hex } from "viem";
import { createHardhatRuntimeEnvironment, importUserConfig } from "hardhat/hre";
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";
import type { NetworkConnection } from "hardhat/types/network";
import { ROOT } from "./paths.js";

export const PRODUCTION_CONFIG = join(ROOT, "hardhat.production.config.ts");
export const PRODUCTION_PROFILE = "production";

/** The optimizer settings a build info must show. */
export interface OptimizerSettings {
  enabled: boolean;
  runs: number;
}

/** What the checks read from an artifact (Hardhat 3's artifact format). */
export interface RuntimeArtifact {
  contractName: string;
  deployedBytecode: string;
  deployedLinkReferences: Record<string, Record<string, { start: number; length: number }[]>>;
  immutableReferences?: Record<string, { start: number; length: number }[]>;
  buildInfoId?: string;
}

/** The part of a build info (the solc input) that says how it was compiled. */
export interface BuildInfo {
  solcVersion: string;
  input: { settings: { optimizer?: Partial<OptimizerSettings>; evmVersion?: string } };
}

/** Builds the contracts with the production profile into artifacts-production/ (incremental: fast when fresh). */
export function buildProduction(): void {
  const args = ["hardhat", "build", "--config", PRODUCTION_CONFIG, "--build-profile", PRODUCTION_PROFILE, "--no-tests", "--quiet"];
  try {
    // The compiler's warnings are the default build's too: only a failure's output is shown.
    execFileSync("npx", args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], maxBuffer: 256 * 1024 * 1024 });
  } catch (e) {
    const { stdout, stderr } = e as { stdout?: Buffer; stderr?: Buffer };
    process.stderr.write(Buffer.concat([stdout ?? Buffer.alloc(0), stderr ?? Buffer.alloc(0)]));
    throw new Error(`the production build failed (\`npx ${args.join(" ")}\`): see its output above`, { cause: e });
  }
}

let hre: Promise<HardhatRuntimeEnvironment> | undefined;

/** A Hardhat runtime environment on hardhat.production.config.ts: its artifacts are the production build's. */
export function productionHre(): Promise<HardhatRuntimeEnvironment> {
  hre ??= importUserConfig(PRODUCTION_CONFIG).then((config) =>
    createHardhatRuntimeEnvironment(config, { config: PRODUCTION_CONFIG, buildProfile: PRODUCTION_PROFILE }, ROOT),
  );
  return hre;
}

/** The production profile's compiler settings, from the config (one compiler). */
export async function productionSettings(): Promise<{ solc: string; evmVersion: string; optimizer: OptimizerSettings }> {
  const profile = (await productionHre()).config.solidity.profiles[PRODUCTION_PROFILE];
  const compiler = profile?.compilers[0];
  if (compiler === undefined) throw new Error(`no "${PRODUCTION_PROFILE}" build profile in hardhat.config.ts`);
  const settings = compiler.settings as { optimizer?: Partial<OptimizerSettings>; evmVersion?: string };
  return {
    solc: compiler.version,
    evmVersion: settings.evmVersion ?? "default",
    optimizer: { enabled: settings.optimizer?.enabled === true, runs: settings.optimizer?.runs ?? 200 },
  };
}

/**
 * The optimizer settings the production profile gives the compiler `solcVersion`: our contracts' (the first
 * compiler) or Symbiotic's (solc 0.8.25, its own settings; hardhat.config.ts), which the benches deploy too.
 */
export async function productionOptimizerFor(solcVersion: string): Promise<OptimizerSettings> {
  const profile = (await productionHre()).config.solidity.profiles[PRODUCTION_PROFILE];
  const compiler = profile?.compilers.find((c) => solcVersion.startsWith(c.version)) ?? profile?.compilers[0];
  if (compiler === undefined) throw new Error(`no "${PRODUCTION_PROFILE}" build profile in hardhat.config.ts`);
  const optimizer = (compiler.settings as { optimizer?: Partial<OptimizerSettings> }).optimizer;
  return { enabled: optimizer?.enabled === true, runs: optimizer?.runs ?? 200 };
}

/** "production (optimizer 1,000 runs)": the condition every gas figure is measured under. */
export async function productionLabel(): Promise<string> {
  const s = await productionSettings();
  const opt = s.optimizer.enabled ? `optimizer ${s.optimizer.runs.toLocaleString("en-US")} runs` : "optimizer off";
  return `${PRODUCTION_PROFILE} (${opt})`;
}

/** Throws unless the build info shows the optimizer with `expected`'s settings. */
export function assertOptimized(contract: string, buildInfo: BuildInfo, expected: OptimizerSettings): void {
  const got = buildInfo.input.settings.optimizer;
  if (got?.enabled !== true || (got.runs ?? 200) !== expected.runs) {
    throw new Error(
      `${contract} was compiled with optimizer ${JSON.stringify(got ?? "unset")}, not the production profile's ` +
        `${JSON.stringify(expected)}: gas from it would not be the production build's`,
    );
  }
}

/**
 * Whether `code` (from eth_getCode) is the artifact's runtime code. Bytes that differ per deployment are masked:
 * immutables, linked library addresses, and a library's own address (the PUSH20 that guards against calls).
 */
export function runtimeCodeMatches(artifact: RuntimeArtifact, code: Hex): boolean {
  const expected = artifact.deployedBytecode.replace(/^0x/, "").toLowerCase();
  const actual = code.replace(/^0x/, "").toLowerCase();
  if (expected.length === 0 || expected.length !== actual.length) return false;
  const masked = new Uint8Array(expected.length / 2);
  const mask = (start: number, length: number) => masked.fill(1, start, start + length);
  for (const refs of Object.values(artifact.immutableReferences ?? {})) for (const r of refs) mask(r.start, r.length);
  for (const file of Object.values(artifact.deployedLinkReferences ?? {})) {
    for (const refs of Object.values(file)) for (const r of refs) mask(r.start, r.length);
  }
  if (/^73(?:00){20}3014/.test(expected)) mask(1, 20);
  for (let i = 0; i < masked.length; i++) {
    if (masked[i] === 0 && expected.slice(2 * i, 2 * i + 2) !== actual.slice(2 * i, 2 * i + 2)) return false;
  }
  return true;
}

/** Reads `name`'s artifact and its build info from `env`'s artifacts folder. */
export async function readArtifactAndBuildInfo(
  env: HardhatRuntimeEnvironment,
  name: string,
): Promise<{ artifact: RuntimeArtifact; buildInfo: BuildInfo }> {
  const artifact = (await env.artifacts.readArtifact(name)) as unknown as RuntimeArtifact;
  const id = artifact.buildInfoId ?? (await env.artifacts.getBuildInfoId(name));
  const path = id === undefined ? undefined : await env.artifacts.getBuildInfoPath(id);
  if (path === undefined) throw new Error(`${name}: no build info in ${env.config.paths.artifacts}`);
  return { artifact, buildInfo: JSON.parse(readFileSync(path, "utf8")) as BuildInfo };
}

/** Every contract checked by a production connection, with its address, in deployment order. */
export const checkedDeployments: { name: string; address: Address }[] = [];

/**
 * Throws unless the code at `address` is `name`'s production runtime code, compiled with the production profile's
 * optimizer settings.
 */
export async function assertProductionCode(
  connection: Pick<NetworkConnection, "viem">,
  name: string,
  address: Address,
): Promise<void> {
  const env = await productionHre();
  const { artifact, buildInfo } = await readArtifactAndBuildInfo(env, name);
  assertOptimized(name, buildInfo, await productionOptimizerFor(buildInfo.solcVersion));
  const code = await (await connection.viem.getPublicClient()).getCode({ address });
  if (code === undefined || !runtimeCodeMatches(artifact, code)) {
    throw new Error(
      `${name} at ${address} is not the production build's code (${env.config.paths.artifacts}): ` +
        `${((code?.length ?? 2) - 2) / 2} bytes deployed, ${(artifact.deployedBytecode.length - 2) / 2} expected`,
    );
  }
  checkedDeployments.push({ name, address });
}

/**
 * A fresh in-process chain (like `network.create()`) whose `viem.deployContract` deploys from the production build
 * and checks each deployment with assertProductionCode.
 */
export async function productionNetwork(): Promise<NetworkConnection> {
  const connection = await (await productionHre()).network.create();
  const { viem } = connection;
  const deployContract = (async (...args: Parameters<typeof viem.deployContract>) => {
    const contract = await viem.deployContract(...args);
    await assertProductionCode(connection, args[0], contract.address);
    return contract;
  }) as typeof viem.deployContract;
  return Object.assign(connection, { viem: { ...viem, deployContract } });
}
