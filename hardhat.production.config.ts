/**
 * The production build in its own folders: `hardhat build --config hardhat.production.config.ts --build-profile
 * production` writes artifacts-production/ and cache-production/, which no default-profile build (tests, devnet)
 * touches; Hardhat's build profiles otherwise share artifacts/. The gas benches deploy from here
 * (scripts/lib/production-build.ts). Everything else is hardhat.config.ts's.
 */
import { defineConfig } from "hardhat/config";
import base from "./hardhat.config.js";

export default defineConfig({
  ...base,
  paths: { ...base.paths, artifacts: "./artifacts-production", cache: "./cache-production" },
});
