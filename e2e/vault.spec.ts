/** (c) The vault on a local chain: deposit ETH with the burner wallet, request a withdrawal, wait it out, claim it. */
import { expect, test } from "@playwright/test";
import { formatUnits } from "viem";
import { surgeVaultAbi } from "../game/chain/generated/abis.js";
import { chainClient, connectBurner, testChain } from "./chain.js";
import { appUrl } from "./app.js";
import { rpc } from "../scripts/lib/node.js";

test("deposit into the vault and request a withdrawal", async ({ page }, info) => {
  const { url, deployment } = testChain();
  const client = chainClient(url);
  const vault = deployment.contracts.vault;
  const player = await connectBurner(page, appUrl(), url);

  await page.getByTestId("tab-vault").click();
  await page.getByTestId("deposit-amount").fill("2");
  await page.getByTestId("deposit").click();
  await expect(page.getByTestId("txlog").locator("li").first()).toHaveAttribute("data-state", "confirmed");
  await expect(page.getByTestId("txlog")).toContainText("Deposit 2 ETH");
  const shares = await client.readContract({ address: vault, abi: surgeVaultAbi, functionName: "balanceOf", args: [player] });
  expect(shares).toBeGreaterThan(0n);
  // The page shows the same balance the chain holds (sgETH has 21 decimals).
  await expect
    .poll(async () => Number((await page.getByTestId("vault-shares").textContent())!.replace(/,/g, "")))
    .toBeCloseTo(Number(formatUnits(shares, 21)), 4);
  await page.screenshot({ path: info.outputPath("vault-deposited.png") });

  // The instant-exit preview shows its fee before anything is sent.
  await page.getByTestId("withdraw-amount").fill("0.1");
  await expect(page.getByTestId("instant-exit-fee")).toContainText("fee");
  await page.getByTestId("request-withdrawal").click();
  await expect(page.getByTestId("txlog").locator("li").first()).toHaveAttribute("data-state", "confirmed");
  const row = page.getByTestId("withdrawal-row").first();
  await expect(row).toHaveAttribute("data-status", "waiting for its delay");
  await expect(row).toContainText(/\d+ blocks \(~\d+ s\)/);
  const requested = await client.getContractEvents({ address: vault, abi: surgeVaultAbi, eventName: "WithdrawalRequested", args: { owner: player }, fromBlock: 0n });
  expect(requested).toHaveLength(1);
  await page.screenshot({ path: info.outputPath("vault-withdrawal-requested.png") });

  // After the delay it is claimable from the buffer; claim it. The test moves the chain through the delay itself
  // instead of waiting for the devnet's block a second.
  const claimableBlock = requested[0]!.args.claimableBlock!;
  const now = await client.getBlockNumber();
  if (claimableBlock > now) await rpc(url, "hardhat_mine", [`0x${(claimableBlock - now).toString(16)}`]);
  await expect(row).toHaveAttribute("data-status", "claimable", { timeout: 60_000 });
  const ethBefore = await client.getBalance({ address: player });
  await row.getByRole("button", { name: "Claim" }).click();
  await expect(row).toHaveAttribute("data-status", "claimed");
  const ethAfter = await client.getBalance({ address: player });
  expect(ethAfter).toBeGreaterThan(ethBefore);
  await page.screenshot({ path: info.outputPath("vault-withdrawal-claimed.png") });
});
