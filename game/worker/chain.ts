/**
 * The worker's view of the chain: viem clients over a retrying HTTP transport, the deployment's contracts, and the
 * start-up checks that turn a wrong setup into one sentence saying what to fix.
 */
import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  createPublicClient,
  createWalletClient,
  defineChain,
  http,
  type Account,
  type Chain,
  type PublicClient,
  type Transport,
  type WalletClient,
} from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { blsKey, deriveBlsSecretKey, type BlsKey } from "../chain/bls.js";
import { deploymentPath, parseDeployment, type Deployment } from "../chain/deployment.js";
import { ConfigError, type WorkerConfig } from "./config.js";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export interface ChainContext {
  chainId: number;
  chain: Chain;
  account: Account;
  publicClient: PublicClient<Transport, Chain>;
  walletClient: WalletClient<Transport, Chain, Account>;
  deployment: Deployment;
  deploymentFile: string;
  confirmations: number;
  /** The worker's BLS key: derived from its ECDSA key unless --bls-key gives one. */
  bls: BlsKey;
}

/** The RPC transport: viem retries each failed request with exponential backoff before giving up. */
function transport(url: string): Transport {
  return http(url, { retryCount: 3, retryDelay: 250, timeout: 15_000 });
}

export async function connect(config: WorkerConfig): Promise<ChainContext> {
  let account: Account;
  try {
    account = privateKeyToAccount(config.key);
  } catch {
    throw new ConfigError("--key is not a valid secp256k1 private key (0x and 64 hex digits, below the curve order)");
  }
  const probe = createPublicClient({ transport: http(config.rpc, { retryCount: 2, timeout: 10_000 }) });
  let chainId: number;
  try {
    chainId = await probe.getChainId();
  } catch (e) {
    throw new ConfigError(
      `cannot reach the RPC endpoint ${config.rpc} (${(e as Error).message.split("\n")[0]}): ` +
        "check the URL and that the node is running",
    );
  }
  const deploymentFile = resolve(config.deployment ?? `${ROOT}public/${deploymentPath(chainId)}`);
  if (!existsSync(deploymentFile)) {
    throw new ConfigError(
      `no deployment file at ${deploymentFile}: deploy to chain ${chainId} first (npm run deploy / npm start) ` +
        "or pass --deployment FILE",
    );
  }
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(deploymentFile, "utf8"));
  } catch (e) {
    throw new ConfigError(`${deploymentFile} is not JSON: ${(e as Error).message}`);
  }
  let deployment: Deployment;
  try {
    deployment = parseDeployment(json, deploymentFile);
  } catch (e) {
    throw new ConfigError((e as Error).message);
  }
  if (deployment.chainId !== chainId) {
    throw new ConfigError(
      `${deploymentFile} is for chain ${deployment.chainId} but ${config.rpc} is chain ${chainId}: ` +
        "point --rpc at the right network or pass the right --deployment",
    );
  }
  const chain = defineChain({
    id: chainId,
    name: deployment.network,
    nativeCurrency: { name: "Ether", symbol: "ETH", decimals: 18 },
    rpcUrls: { default: { http: [config.rpc] } },
  });
  const publicClient = createPublicClient({ chain, transport: transport(config.rpc), pollingInterval: 250 });
  const walletClient = createWalletClient({ chain, account, transport: transport(config.rpc) });
  const code = await publicClient.getCode({ address: deployment.contracts.settlement });
  if (code === undefined || code === "0x") {
    throw new ConfigError(
      `no contract at the settlement address ${deployment.contracts.settlement} on chain ${chainId}: ` +
        `${deploymentFile} is stale (the chain was reset?); deploy again`,
    );
  }
  return {
    chainId,
    chain,
    account,
    publicClient,
    walletClient,
    deployment,
    deploymentFile,
    confirmations: config.confirmations ?? (chainId === 31337 ? 0 : 2),
    bls: blsKey(config.blsKey ?? deriveBlsSecretKey(config.key)),
  };
}
