/**
 * Wallet and chain errors in plain words: an injected wallet on a chain the game does not know gets a switch prompt;
 * a request the user rejects says so; an RPC that does not answer says so.
 */
import { expect, test } from "@playwright/test";
import { appUrl } from "./app.js";
import { testChain } from "./chain.js";
import { rpc } from "../scripts/lib/node.js";

/** A minimal EIP-1193 wallet in the page: one account, starts on chain 999, rejects every transaction. */
function injectWallet(rpcUrl: string) {
  return `(() => {
    const listeners = {};
    let chainId = "0x3e7";
    const account = "0x000000000000000000000000000000000000beef";
    const emit = (e, v) => (listeners[e] || []).forEach((f) => f(v));
    window.ethereum = {
      isMetaMask: true,
      on: (e, f) => { (listeners[e] = listeners[e] || []).push(f); },
      removeListener: (e, f) => { listeners[e] = (listeners[e] || []).filter((g) => g !== f); },
      request: async ({ method, params }) => {
        if (method === "eth_requestAccounts" || method === "eth_accounts") return [account];
        if (method === "eth_chainId") return chainId;
        if (method === "wallet_requestPermissions" || method === "wallet_getPermissions") return [{ parentCapability: "eth_accounts" }];
        if (method === "wallet_switchEthereumChain") { chainId = params[0].chainId; emit("chainChanged", chainId); return null; }
        if (method === "eth_sendTransaction") { const e = new Error("User rejected the request."); e.code = 4001; throw e; }
        const res = await fetch(${JSON.stringify(rpcUrl)}, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
        const body = await res.json();
        if (body.error) { const e = new Error(body.error.message); e.code = body.error.code; throw e; }
        return body.result;
      },
    };
  })();`;
}

test("an injected wallet on an unknown chain is asked to switch; a rejected transaction says so", async ({ page }, info) => {
  const { url } = testChain();
  await page.addInitScript(injectWallet(url));
  await page.goto(appUrl(`?rpc=${encodeURIComponent(url)}`));
  await page.getByTestId("connect-wallet").click();
  await page.getByTestId("connect-injected").click();
  const notice = page.getByTestId("wrong-chain");
  await expect(notice).toContainText("chain 999");
  await page.screenshot({ path: info.outputPath("wrong-chain.png") });
  await notice.getByRole("button", { name: /Switch to Local devnet/ }).click();
  await expect(notice).toBeHidden();
  await expect(page.getByTestId("wallet")).toContainText("Local devnet");

  // The form refuses a deposit above the balance before asking the wallet: give the wallet's account some ETH.
  await rpc(url, "hardhat_setBalance", ["0x000000000000000000000000000000000000beef", `0x${(10n ** 19n).toString(16)}`]);
  await page.getByTestId("tab-vault").click();
  await page.getByTestId("deposit-amount").fill("1");
  await page.getByTestId("deposit").click();
  const tx = page.getByTestId("txlog").locator("li").first();
  await expect(tx).toHaveAttribute("data-state", "failed");
  await expect(tx).toContainText("You rejected the request in your wallet.");
  await page.screenshot({ path: info.outputPath("rejected.png") });
});

test("an RPC that does not answer is reported as such", async ({ page }) => {
  testChain(); // the served build has a deployment for 31337: only its RPC is wrong here
  await page.goto(appUrl("?rpc=http://127.0.0.1:9"));
  await page.getByTestId("tab-network").click();
  await expect(page.getByText(/The RPC at http:\/\/127\.0\.0\.1:9\/? does not answer/)).toBeVisible({ timeout: 30_000 });
});
