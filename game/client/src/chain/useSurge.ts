/**
 * The chain context every panel needs: which chain we read (the wallet's, else the local devnet), who the player
 * is, the clients, and the deployment for that chain.
 */
import { usePublicClient, useConnection, useWalletClient } from "wagmi";
import type { PublicClient } from "viem";
import type { Deployment } from "../../../chain/deployment.js";
import { chains, LOCAL_CHAIN_ID } from "./chains.js";
import { useDeployment, type DeploymentState } from "./deployment.js";

export function useSurge() {
  const connection = useConnection();
  const walletChainId = connection.chainId;
  const supported = walletChainId === undefined || chains.some((c) => c.id === walletChainId);
  const chainId = connection.isConnected && supported && walletChainId !== undefined ? walletChainId : LOCAL_CHAIN_ID;
  const publicClient = usePublicClient({ chainId: chainId as (typeof chains)[number]["id"] }) as PublicClient | undefined;
  const wallet = useWalletClient();
  const deploymentState: DeploymentState = useDeployment(chainId);
  const deployment: Deployment | null = deploymentState.status === "ready" ? deploymentState.deployment : null;
  return {
    chainId,
    chain: chains.find((c) => c.id === chainId)!,
    walletChainId,
    /** Connected to a chain the client does not know. */
    wrongChain: connection.isConnected && !supported,
    player: connection.isConnected ? connection.address : undefined,
    connector: connection.connector,
    isConnected: connection.isConnected,
    publicClient,
    walletClient: wallet.data,
    deploymentState,
    deployment,
  };
}

export type SurgeContext = ReturnType<typeof useSurge>;
