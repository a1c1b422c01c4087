/**
 * Loads `/deployments/<chainId>.json` at run time, so one build serves any deployment. The zod schema
 * (game/chain/deployment.ts) is imported only once a file was found: zod stays out of the first page load.
 */
import { useQuery } from "@tanstack/react-query";
import type { Deployment } from "../../../chain/deployment.js";

/** Same as `deploymentPath` in game/chain/deployment.ts (not imported here: that module pulls in zod). */
const deploymentPath = (chainId: number) => `deployments/${chainId}.json`;

export type DeploymentState =
  | { status: "loading" }
  | { status: "missing"; chainId: number }
  | { status: "invalid"; chainId: number; message: string }
  | { status: "ready"; deployment: Deployment };

export async function fetchDeployment(chainId: number): Promise<DeploymentState> {
  const url = `${import.meta.env.BASE_URL}${deploymentPath(chainId)}`;
  let res: Response;
  try {
    res = await fetch(url, { cache: "no-store", headers: { accept: "application/json" } });
  } catch (e) {
    return { status: "invalid", chainId, message: `could not fetch ${url}: ${e instanceof Error ? e.message : e}` };
  }
  if (!res.ok) return { status: "missing", chainId };
  let json: unknown;
  try {
    json = await res.json();
  } catch {
    // A server that answers every path with the page itself: there is no such file.
    return { status: "missing", chainId };
  }
  try {
    const { parseDeployment } = await import("../../../chain/deployment.js");
    const deployment = parseDeployment(json, url);
    if (deployment.chainId !== chainId) {
      return { status: "invalid", chainId, message: `${url} describes chain ${deployment.chainId}, not ${chainId}` };
    }
    return { status: "ready", deployment };
  } catch (e) {
    return { status: "invalid", chainId, message: e instanceof Error ? e.message : String(e) };
  }
}

export function useDeployment(chainId: number): DeploymentState {
  const q = useQuery({ queryKey: ["deployment", chainId], queryFn: () => fetchDeployment(chainId), staleTime: 30_000 });
  return q.data ?? { status: "loading" };
}
