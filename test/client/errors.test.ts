/**
 * The page's words for contract and wallet errors (game/client/src/chain/errors.ts) and its amount checks
 * (amounts.ts): every custom error of the generated ABIs has a sentence, the money errors of issue 16 read as plain
 * words, and the Vault's fields say what is wrong before anything is sent.
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BaseError, ContractFunctionRevertedError, encodeErrorResult, InvalidParamsRpcError, parseEther, parseUnits } from "viem";
import * as abis from "../../game/chain/generated/abis.js";
import { checkDeposit, checkWithdraw, parseAmount } from "../../game/client/src/chain/amounts.js";
import { FRAUD_NAMES } from "../../game/chain/fraud.js";
import { ERROR_SENTENCES, explainContractError, explainFraud, explainMessage, FRAUD_SENTENCES } from "../../game/client/src/chain/errors.js";
import { explainError } from "../../game/client/src/chain/tx.js";

const allErrors = Object.values(abis).flatMap((abi) =>
  (abi as readonly { type: string; name?: string; inputs?: readonly { type: string }[] }[])
    .filter((x) => x.type === "error")
    .map((x) => ({ name: x.name!, inputs: x.inputs ?? [] })),
);

const sample = (type: string): unknown =>
  type.startsWith("uint") ? 12345n : type === "address" ? "0x0a0D000000000000000000000000000000000001" : type === "string" ? "depositCap" : type === "bool" ? true : `0x${"11".repeat(32)}`;

describe("client error sentences", () => {
  it("has a sentence for every custom error in the generated ABIs", () => {
    assert.ok(allErrors.length > 50);
    const missing = [...new Set(allErrors.map((e) => e.name))].filter((n) => !(n in ERROR_SENTENCES));
    assert.deepEqual(missing, []);
  });

  it("writes each one as a short sentence without raw arguments", () => {
    for (const e of allErrors) {
      const s = explainContractError(e.name, e.inputs.map((i) => sample(i.type)));
      assert.match(s, /^[A-Z].*\.$/, `${e.name}: ${s}`);
      assert.ok(s.length < 200, `${e.name} is too long: ${s}`);
      assert.ok(!s.includes("0x0a0D"), `${e.name} prints an address: ${s}`);
      assert.ok(!s.includes(e.name), `${e.name} repeats its own name: ${s}`);
    }
  });

  it("words every Fraud of RootRejected (issue 17's Omitted, Unordered, Invented too), by name and by number", () => {
    assert.deepEqual(Object.keys(FRAUD_SENTENCES).sort(), [...FRAUD_NAMES].sort());
    assert.equal(FRAUD_NAMES.length, 8);
    assert.equal(explainFraud(5), "a run submitted in the epoch is missing from the root");
    assert.equal(explainFraud("Unordered"), explainFraud(6));
    assert.match(explainFraud(7), /not submitted in the epoch/);
    assert.match(explainFraud(9), /unknown/);
    assert.match(explainContractError("RunNotInEpoch", [(0xb0bn << 96n) | 3n, 4n]), /#3 was not submitted in epoch 4/);
  });

  it("says the vault's cap and the sgETH held in ETH and sgETH, not wei", () => {
    const cap = explainContractError("ERC4626ExceededMaxDeposit", ["0x0a0D", 100000n * 10n ** 18n, 9995n * 10n ** 17n]);
    assert.equal(cap, "Above the vault's deposit cap: at most 999.5 ETH can be deposited now.");
    const held = explainContractError("ERC20InsufficientBalance", ["0x0a0D", parseUnits("2.5", 21), parseUnits("1000", 21)]);
    assert.equal(held, "Not enough balance: you hold 2.5 and asked for 1,000.");
    assert.match(explainContractError("NoSuchError", []), /refused the transaction \(NoSuchError\)/);
  });

  it("decodes a revert from the vault's ABI through explainError", () => {
    const data = encodeErrorResult({
      abi: abis.surgeVaultAbi,
      errorName: "ERC4626ExceededMaxDeposit",
      args: ["0x0a0D000000000000000000000000000000000001", parseEther("100000"), parseEther("5")],
    });
    const err = new ContractFunctionRevertedError({ abi: abis.surgeVaultAbi, data, functionName: "depositETH" });
    assert.equal(explainError(err), "Above the vault's deposit cap: at most 5 ETH can be deposited now. (ERC4626ExceededMaxDeposit)");
  });

  it("turns viem's and wagmi's messages into words", () => {
    const invalid = new InvalidParamsRpcError(new BaseError("Missing or invalid parameters."));
    assert.equal(explainError(invalid), "Not enough ETH for this deposit and its gas.");
    const e = new Error("Provider not found.\n\nVersion: @wagmi/core@3.6.5");
    e.name = "ProviderNotFoundError";
    assert.equal(explainError(e), "No browser wallet found: install one (e.g. MetaMask) or use the local burner wallet.");
    assert.equal(explainMessage("something else"), undefined);
  });
});

describe("client amount checks", () => {
  const limits = { balance: parseEther("1.2"), maxDeposit: parseEther("50"), cap: parseEther("100") };

  it("parses positive decimals and says what is wrong otherwise", () => {
    assert.deepEqual(parseAmount("", 18), { ok: false, message: null });
    assert.deepEqual(parseAmount("0.5", 18), { ok: true, value: parseEther("0.5") });
    assert.equal(parseAmount("abc", 18).ok, false);
    assert.match((parseAmount("abc", 18) as { message: string }).message, /not a number/);
    assert.match((parseAmount("0", 18) as { message: string }).message, /above zero/);
    assert.match((parseAmount("1.0000000000000000001", 18) as { message: string }).message, /18 digits/);
  });

  it("keeps a deposit within the balance (with gas) and the cap", () => {
    assert.equal(checkDeposit("1", limits).ok, true);
    assert.deepEqual(checkDeposit("5", limits), { ok: false, message: "You have 1.2 ETH; enter at most that" });
    assert.match((checkDeposit("1.2", limits) as { message: string }).message, /Keep some ETH for gas: enter at most 1.199 ETH/);
    const rich = { ...limits, balance: parseEther("1000") };
    assert.deepEqual(checkDeposit("60", rich), {
      ok: false,
      message: "Above the vault's deposit cap of 100 ETH: at most 50 ETH fits now",
    });
    assert.match((checkDeposit("1", { ...rich, maxDeposit: 0n }) as { message: string }).message, /vault is full/);
  });

  it("keeps a withdrawal within the sgETH held", () => {
    const held = parseUnits("3", 21);
    assert.equal(checkWithdraw("3", held).ok, true);
    assert.deepEqual(checkWithdraw("4", held), { ok: false, message: "You hold 3 sgETH; enter at most that" });
    assert.match((checkWithdraw("1", 0n) as { message: string }).message, /no sgETH/);
  });
});
