/** Devnet-only helpers (Hardhat's JSON-RPC extensions); never used on other chains. */
import type { Address } from "viem";
import { localRpcUrl } from "./chains.js";

async function rpc(method: string, params: unknown[]): Promise<unknown> {
  const res = await fetch(localRpcUrl(), {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
  });
  const body = (await res.json()) as { result?: unknown; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
}

/** Gives `address` test ETH on the local chain (hardhat_setBalance). */
export async function fundOnDevnet(address: Address, wei: bigint): Promise<void> {
  await rpc("hardhat_setBalance", [address, `0x${wei.toString(16)}`]);
}
