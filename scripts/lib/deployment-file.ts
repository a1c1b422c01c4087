/** Where a deployment's file goes, in a module light enough for the browser tests to import (no Hardhat). */
import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { deploymentPath, type Deployment } from "../../game/chain/deployment.js";
import { CLIENT_DIST, ROOT } from "./paths.js";

/**
 * Writes `public/deployments/<chainId>.json` (or into `dir`) and returns its path. The client's build serves its own
 * copy of public/ (made when it was built), so an existing build gets the file too.
 */
export function writeDeployment(deployment: Deployment, dir = join(ROOT, "public")): string {
  const write = (base: string) => {
    const file = join(base, deploymentPath(deployment.chainId));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(deployment, null, 2)}\n`);
    return file;
  };
  if (dir === join(ROOT, "public") && existsSync(CLIENT_DIST)) write(CLIENT_DIST);
  return write(dir);
}
