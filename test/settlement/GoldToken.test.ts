import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { parseEther, parseSignature } from "viem";
import { chainNow, networkHelpers, viem } from "./fixture.js";

const CAP = parseEther("100");
const EPOCH = 10n;

async function deployToken() {
  const [minter, holder, spender] = await viem.getWalletClients();
  if (minter === undefined || holder === undefined || spender === undefined) throw new Error("need accounts");
  const genesis = BigInt(await networkHelpers.time.latestBlock());
  const gold = await viem.deployContract("GoldToken", [minter.account.address, CAP, genesis, EPOCH]);
  return { gold, minter, holder, spender, genesis };
}

async function signPermit(
  token: { address: `0x${string}` },
  owner: Awaited<ReturnType<typeof deployToken>>["holder"],
  spender: `0x${string}`,
  value: bigint,
  nonce: bigint,
  deadline: bigint,
  chainId: number,
) {
  return owner.signTypedData({
    account: owner.account,
    domain: { name: "Surge Gold", version: "1", chainId, verifyingContract: token.address },
    types: {
      Permit: [
        { name: "owner", type: "address" },
        { name: "spender", type: "address" },
        { name: "value", type: "uint256" },
        { name: "nonce", type: "uint256" },
        { name: "deadline", type: "uint256" },
      ],
    },
    primaryType: "Permit",
    message: { owner: owner.account.address, spender, value, nonce, deadline },
  });
}

describe("GoldToken", () => {
  it("mints only for the minter, never past the schedule of the cap per ended epoch", async () => {
    const { gold, minter, holder } = await deployToken();
    assert.equal(await gold.read.symbol(), "GOLD");
    await viem.assertions.revertWithCustomError(
      gold.write.mint([holder.account.address, 1n], { account: holder.account }),
      gold,
      "NotMinter",
    );
    // No epoch has ended yet: nothing may be minted.
    await viem.assertions.revertWithCustomError(gold.write.mint([holder.account.address, 1n]), gold, "EmissionScheduleExceeded");
    await networkHelpers.mine(EPOCH);
    assert.equal(await gold.read.emissionAllowance(), CAP);
    await gold.write.mint([holder.account.address, CAP], { account: minter.account });
    await viem.assertions.revertWithCustomError(gold.write.mint([holder.account.address, 1n]), gold, "EmissionScheduleExceeded");
    assert.equal(await gold.read.totalSupply(), CAP);
  });

  it("accepts a permit signed for this chain and deployment, and no other", async () => {
    const { gold, holder, spender } = await deployToken();
    await networkHelpers.mine(EPOCH);
    await gold.write.mint([holder.account.address, parseEther("5")]);
    const chainId = await (await viem.getPublicClient()).getChainId();
    const deadline = (await chainNow()) + 3600n;
    const to = spender.account.address;
    // Signed for another chain: rejected.
    const other = parseSignature(await signPermit(gold, holder, to, 1n, 0n, deadline, chainId + 1));
    await viem.assertions.revertWithCustomError(
      gold.write.permit([holder.account.address, to, 1n, deadline, Number(other.v), other.r, other.s]),
      gold,
      "ERC2612InvalidSigner",
    );
    // Signed for another deployment of GOLD: rejected here.
    const twin = await viem.deployContract("GoldToken", [holder.account.address, CAP, 0n, EPOCH]);
    const elsewhere = parseSignature(await signPermit(twin, holder, to, 1n, 0n, deadline, chainId));
    await viem.assertions.revertWithCustomError(
      gold.write.permit([holder.account.address, to, 1n, deadline, Number(elsewhere.v), elsewhere.r, elsewhere.s]),
      gold,
      "ERC2612InvalidSigner",
    );
    const good = parseSignature(await signPermit(gold, holder, to, 1n, 0n, deadline, chainId));
    await gold.write.permit([holder.account.address, to, 1n, deadline, Number(good.v), good.r, good.s]);
    assert.equal(await gold.read.allowance([holder.account.address, to]), 1n);
    // The same signature again: the nonce moved on.
    await viem.assertions.revertWithCustomError(
      gold.write.permit([holder.account.address, to, 1n, deadline, Number(good.v), good.r, good.s]),
      gold,
      "ERC2612InvalidSigner",
    );
  });
});
