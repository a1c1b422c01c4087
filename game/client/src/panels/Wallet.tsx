/**
 * Wallet bar and chain notices: connect the burner (local chain only) or an injected wallet, see the account and
 * its ETH, switch away from an unsupported chain, and learn what to do when the chain has no deployment.
 */
import { useEffect, useState } from "react";
import { formatEther, parseEther } from "viem";
import { useBalance, useConnect, useConnectors, useDisconnect, useSwitchChain } from "wagmi";
import { isLocalChain, localChain, localRpcUrl } from "../chain/chains.js";
import { useDeployment } from "../chain/deployment.js";
import { fundOnDevnet } from "../chain/local.js";
import { LOCAL_CHAIN_ID } from "../chain/rpc.js";
import { explainError } from "../chain/tx.js";
import { useSurge } from "../chain/useSurge.js";

export function WalletBar() {
  const ctx = useSurge();
  const connectors = useConnectors();
  const connect = useConnect();
  const disconnect = useDisconnect();
  const balance = useBalance({ address: ctx.player, chainId: ctx.chainId as typeof localChain.id, query: { refetchInterval: 4_000 } });
  const [error, setError] = useState<string | null>(null);

  // A fresh burner on the devnet gets test ETH once, so it can pay gas at once.
  const isBurner = ctx.connector?.id === "burner";
  useEffect(() => {
    if (isBurner && ctx.player && balance.data && balance.data.value === 0n) {
      fundOnDevnet(ctx.player, parseEther("100"))
        .then(() => balance.refetch())
        .catch((e: unknown) => setError(explainError(e)));
    }
  }, [isBurner, ctx.player, balance.data, balance]);

  // The burner is for the local devnet only: offered when the devnet has a deployment.
  const localDeployment = useDeployment(LOCAL_CHAIN_ID);
  const offered = connectors.filter((c) => c.id !== "burner" || localDeployment.status === "ready");

  if (!ctx.isConnected) {
    return (
      <div className="wallet">
        {offered.map((c) => (
          <button
            key={c.uid}
            data-testid={`connect-${c.id}`}
            onClick={() => {
              setError(null);
              connect.mutate(
                { connector: c, chainId: c.id === "burner" ? localChain.id : undefined },
                { onError: (e) => setError(explainError(e)) },
              );
            }}
          >
            {c.id === "burner" ? "Burner wallet (local)" : c.name === "Injected" ? "Browser wallet" : c.name}
          </button>
        ))}
        {error && <span className="error">{error}</span>}
      </div>
    );
  }
  return (
    <div className="wallet" data-testid="wallet">
      <span className="chip" title={ctx.player}>
        {ctx.connector?.name}: <b data-testid="wallet-address">{ctx.player?.slice(0, 6)}…{ctx.player?.slice(-4)}</b>
      </span>
      <span className="chip" data-testid="wallet-eth">
        {balance.data ? `${Number(formatEther(balance.data.value)).toFixed(4)} ETH` : "… ETH"}
      </span>
      <span className="chip">{ctx.wrongChain ? `chain ${ctx.walletChainId}` : ctx.chain.name}</span>
      {isLocalChain(ctx.chainId) && ctx.player && (
        <button onClick={() => fundOnDevnet(ctx.player!, parseEther("100")).then(() => balance.refetch()).catch((e: unknown) => setError(explainError(e)))}>
          +100 test ETH
        </button>
      )}
      <button onClick={() => disconnect.mutate({})}>Disconnect</button>
      {error && <span className="error">{error}</span>}
    </div>
  );
}

/** Wrong chain, missing deployment, RPC down: say so and what to do. */
export function ChainNotice() {
  const ctx = useSurge();
  const switchChain = useSwitchChain();
  const [error, setError] = useState<string | null>(null);
  if (ctx.wrongChain) {
    return (
      <div className="notice" role="alert" data-testid="wrong-chain">
        Your wallet is on chain {ctx.walletChainId}, which Surge Gold does not know.{" "}
        <button
          onClick={() =>
            switchChain.mutate({ chainId: localChain.id }, { onError: (e) => setError(explainError(e)) })
          }
        >
          Switch to {localChain.name}
        </button>
        {error && <span className="error"> {error}</span>}
      </div>
    );
  }
  const d = ctx.deploymentState;
  if (d.status === "missing") {
    return (
      <div className="notice" role="alert" data-testid="no-deployment">
        No Surge Gold deployment for chain {d.chainId} ({ctx.chain.name}): the file /deployments/{d.chainId}.json is
        missing.{" "}
        {isLocalChain(d.chainId) ? (
          <>
            Start the local devnet with <code>npm start</code> (chain, contracts, workers) and reload. The page reads
            the chain at <code>{localRpcUrl()}</code> (change with <code>?rpc=URL</code>).
          </>
        ) : (
          <>
            Deploy to this network with the deploy script (README, "Deploy to a network"), or{" "}
            <button onClick={() => switchChain.mutate({ chainId: localChain.id }, { onError: (e) => setError(explainError(e)) })}>
              switch to {localChain.name}
            </button>
            .
          </>
        )}{" "}
        Practice mode works without any of this.
        {error && <span className="error"> {error}</span>}
      </div>
    );
  }
  if (d.status === "invalid") {
    return (
      <div className="notice" role="alert">
        The deployment file for chain {d.chainId} is not valid: {d.message}
      </div>
    );
  }
  return null;
}
