/**
 * Forms check before sending (issue 16, item 3): each Vault field says what is wrong right under it, in words (over
 * the ETH balance, over the vault's deposit cap, over the sgETH held), its buttons stay disabled meanwhile, and the
 * message sits inside the card of its form without overflowing it. "Browser wallet" without an extension says so.
 */
import { expect, test, type Locator } from "@playwright/test";
import { formatEther, parseEther } from "viem";
import { surgeVaultAbi } from "../game/chain/generated/abis.js";
import { rpc } from "../scripts/lib/node.js";
import { appUrl } from "./app.js";
import { chainClient, connectBurner, testChain } from "./chain.js";

/** True when the element's content fits its box (nothing drawn across the card's edge). */
const fits = (card: Locator) =>
  card.evaluate((el) => {
    const box = el as unknown as { scrollWidth: number; clientWidth: number };
    return box.scrollWidth <= box.clientWidth + 1;
  });

test("vault fields say what is wrong next to the field and keep their buttons disabled", async ({ page }, info) => {
  const { url, deployment } = testChain();
  const client = chainClient(url);
  const vault = deployment.contracts.vault;
  const player = await connectBurner(page, appUrl(), url);
  await page.getByTestId("tab-vault").click();

  const depositCard = page.locator(".card", { has: page.getByTestId("deposit-amount") });
  const withdrawCard = page.locator(".card", { has: page.getByTestId("withdraw-amount") });
  await expect(page.getByTestId("deposit")).toBeEnabled();

  // More ETH than the account holds.
  const balance = await client.getBalance({ address: player });
  const tooMuch = (balance / 10n ** 18n + 5n).toString();
  await page.getByTestId("deposit-amount").fill(tooMuch);
  const depositProblem = depositCard.getByTestId("deposit-problem");
  await expect(depositProblem).toHaveText(/^You have [\d,.]+ ETH; enter at most that$/);
  await expect(page.getByTestId("deposit")).toBeDisabled();
  expect(await fits(depositCard)).toBe(true);
  await expect(withdrawCard.getByTestId("deposit-problem")).toHaveCount(0);
  await page.screenshot({ path: info.outputPath("forms-over-balance.png") });

  // Not a number.
  await page.getByTestId("deposit-amount").fill("1,5");
  await expect(depositProblem).toContainText("is not a number");
  await expect(page.getByTestId("deposit")).toBeDisabled();

  // The same check guards the stake field (it deposits first).
  await page.getByTestId("stake-amount").fill(tooMuch);
  await expect(depositCard.getByTestId("stake-problem")).toHaveText(/^You have [\d,.]+ ETH; enter at most that$/);
  await expect(page.getByTestId("stake")).toBeDisabled();
  await page.getByTestId("stake-amount").fill("");
  await expect(depositCard.getByTestId("stake-problem")).toHaveCount(0);

  // Above the vault's deposit cap: give the account more ETH than the room left under the cap.
  const room = await client.readContract({ address: vault, abi: surgeVaultAbi, functionName: "maxDeposit", args: [player] });
  await rpc(url, "hardhat_setBalance", [player, `0x${(room + parseEther("1000")).toString(16)}`]);
  const overCap = formatEther(room + parseEther("10"));
  await page.getByTestId("deposit-amount").fill(overCap.split(".")[0]!);
  await expect(depositProblem).toHaveText(/^Above the vault's deposit cap of [\d,.]+ ETH: at most [\d,.]+ ETH fits now$/, { timeout: 30_000 });
  await expect(page.getByTestId("deposit")).toBeDisabled();
  expect(await fits(depositCard)).toBe(true);
  await page.screenshot({ path: info.outputPath("forms-over-cap.png") });

  // A valid amount: no message, the button is back.
  await page.getByTestId("deposit-amount").fill("1");
  await expect(depositProblem).toHaveCount(0);
  await expect(page.getByTestId("deposit")).toBeEnabled();
  await page.getByTestId("deposit").click();
  await expect(page.getByTestId("txlog").locator("li").first()).toHaveAttribute("data-state", "confirmed");

  // More sgETH than held: the message is in the Withdraw card, both buttons disabled, no preview promised.
  const shares = await client.readContract({ address: vault, abi: surgeVaultAbi, functionName: "balanceOf", args: [player] });
  expect(shares).toBeGreaterThan(0n);
  await page.getByTestId("withdraw-amount").fill("1000000");
  const withdrawProblem = withdrawCard.getByTestId("withdraw-problem");
  await expect(withdrawProblem).toHaveText(/^You hold [\d,.]+ sgETH; enter at most that$/);
  await expect(page.getByTestId("request-withdrawal")).toBeDisabled();
  await expect(page.getByTestId("instant-exit")).toBeDisabled();
  await expect(page.getByTestId("instant-exit-fee")).toHaveCount(0);
  await expect(depositCard.getByTestId("withdraw-problem")).toHaveCount(0);
  expect(await fits(withdrawCard)).toBe(true);
  await page.screenshot({ path: info.outputPath("forms-over-sgeth.png") });

  await page.getByTestId("withdraw-amount").fill("0.01");
  await expect(withdrawProblem).toHaveCount(0);
  await expect(page.getByTestId("request-withdrawal")).toBeEnabled();
  await expect(page.getByTestId("instant-exit-fee")).toContainText("fee");
});

test("Browser wallet without an extension says what to do", async ({ page }) => {
  const { url } = testChain();
  await page.goto(appUrl(`?rpc=${encodeURIComponent(url)}`));
  await page.getByTestId("connect-wallet").click();
  await page.getByTestId("connect-injected").click();
  const wallet = page.locator("header .wallet");
  await expect(wallet).toContainText("No browser wallet found: install one (e.g. MetaMask) or use the local burner wallet");
  await expect(wallet).not.toContainText("Provider not found");
  await expect(wallet).not.toContainText("@wagmi/core");
});
