/** Helpers of the chain tests: the test chain from global setup, the page's burner wallet, on-chain reads. */
import { expect, type Page } from "@playwright/test";
import { createPublicClient, http, type Address, type Hex } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { parseDeployment, type Deployment } from "../game/chain/deployment.js";

/** The devnet's block time (scripts/devnet.ts starts its chain with `blockTimeMs: 1000`), restored after a pause. */
export const DEVNET_BLOCK_MS = 1000;

export function testChain(): { url: string; deployment: Deployment; workers: number } {
  const url = process.env.E2E_RPC_URL;
  const raw = process.env.E2E_DEPLOYMENT;
  if (!url || !raw) {
    throw new Error("no test chain: global setup starts one unless E2E_CHAIN=0 (run through `npm run test:e2e`)");
  }
  return { url, deployment: parseDeployment(JSON.parse(raw), "E2E_DEPLOYMENT"), workers: Number(process.env.E2E_WORKERS ?? 0) };
}

export function chainClient(url: string) {
  return createPublicClient({ transport: http(url) });
}

/**
 * Opens the app on the test chain (more of the page's query in `query`, e.g. "&seed=0x…") and connects the burner
 * wallet; returns its address once it holds test ETH.
 */
export async function connectBurner(page: Page, base: string, rpcUrl: string, query = ""): Promise<Address> {
  await page.goto(`${base}?rpc=${encodeURIComponent(rpcUrl)}${query}`);
  // The wallet code loads on demand: "Connect wallet" first, then the burner.
  await page.getByTestId("connect-wallet").click();
  await page.getByTestId("connect-burner").click();
  await expect(page.getByTestId("wallet-address")).toBeVisible();
  await expect(page.getByTestId("wallet-eth")).toContainText(/[1-9][0-9]*\.[0-9]+ ETH/);
  const key = (await page.evaluate(() => localStorage.getItem("surge-gold.burner-key"))) as Hex;
  return privateKeyToAccount(key).address;
}

/**
 * Mines `n` blocks at once with evm_mine, in one JSON-RPC batch. Not hardhat_mine: its blocks report a zero parent
 * hash, which stalls the devnet's indexer (Ponder cannot follow the chain) for every later spec.
 */
export async function mineBlocks(url: string, n: number): Promise<void> {
  if (n <= 0) return;
  const batch = Array.from({ length: n }, (_, k) => ({ jsonrpc: "2.0", id: k, method: "evm_mine", params: [] }));
  const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(batch) });
  const failed = ((await res.json()) as { error?: { message: string } }[]).filter((a) => a.error);
  if (failed.length > 0) throw new Error(`evm_mine failed: ${failed[0]!.error!.message}`);
}
