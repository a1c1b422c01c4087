/**
 * Session keys: a local key the player authorizes once on the RunRegistry (`authorizeSessionKey(key, expiry)`), so
 * starting and submitting runs needs no wallet prompt. The key only acts *for* the player: GOLD always goes to the
 * player. Kept in localStorage per chain and player; it needs a little ETH for gas.
 */
import { createWalletClient, http, type Address, type Chain, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";

export interface StoredSession {
  key: Hex;
  address: Address;
}

const slot = (chainId: number, player: Address) => `surge-gold.session.${chainId}.${player.toLowerCase()}`;

/** The session key for (chain, player), created on first use. */
export function sessionFor(chainId: number, player: Address): StoredSession {
  const raw = localStorage.getItem(slot(chainId, player));
  if (raw && /^0x[0-9a-fA-F]{64}$/.test(raw)) return { key: raw as Hex, address: privateKeyToAccount(raw as Hex).address };
  const key = generatePrivateKey();
  localStorage.setItem(slot(chainId, player), key);
  return { key, address: privateKeyToAccount(key).address };
}

export function forgetSession(chainId: number, player: Address): void {
  localStorage.removeItem(slot(chainId, player));
}

export function sessionWallet(session: StoredSession, chain: Chain) {
  const url = chain.rpcUrls.default.http[0];
  return createWalletClient({ account: privateKeyToAccount(session.key), chain, transport: http(url, { retryCount: 0 }) });
}

/** How long a new session key stays valid. */
export const SESSION_SECONDS = 7 * 24 * 3600;
/** Gas money a session key is topped up to. */
export const SESSION_FUNDING_WEI = 20_000_000_000_000_000n; // 0.02 ETH
export const SESSION_LOW_WEI = 5_000_000_000_000_000n; // 0.005 ETH
