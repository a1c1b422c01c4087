// @ts-check
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", "artifacts/", "cache/", "artifacts-production/", "cache-production/", "types/", "coverage/", "game/chain/generated/", "dist/", "test-results/", "playwright-report/"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-properties": [
        "error",
        { object: "Math", property: "random", message: "game code must be deterministic: derive from the seed" },
      ],
    },
  },
  {
    // The deterministic core: no clock, no randomness, no imports from the rest of the project.
    files: ["game/sim/**/*.ts"],
    rules: {
      "no-restricted-globals": ["error", "Date", "performance", "setTimeout", "setInterval", "crypto"],
      "no-restricted-imports": ["error", { patterns: ["../*", "node:*"] }],
    },
  },
);
