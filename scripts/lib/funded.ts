/**
 * Funded, impersonated accounts on an in-process Hardhat chain: the players of the gas and parallelism benches and
 * of their tests. Account i is at `base + i` (a fixed, readable range per caller, so two callers never share one).
 */
import { getAddress, type Address } from "viem";

interface Helpers {
  impersonateAccount(address: string): Promise<void>;
  setBalance(address: string, balance: bigint): Promise<void>;
}

export async function fundedAccounts(helpers: Helpers, count: number, base: number, balance: bigint): Promise<Address[]> {
  const accounts: Address[] = [];
  for (let i = 0; i < count; i++) {
    const a = getAddress(`0x${(base + i).toString(16).padStart(40, "0")}`);
    await helpers.impersonateAccount(a);
    await helpers.setBalance(a, balance);
    accounts.push(a);
  }
  return accounts;
}
