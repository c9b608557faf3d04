/**
 * `node guardian/src/main.ts`: runs the guardian until SIGINT/SIGTERM. Configured by environment
 * variables (see `config.ts` and the README): SOVR_RPC_URL, SOVR_CHAIN_ID, SOVR_DEPLOYMENT_ID,
 * SOVR_INDEXER_URL, SOVR_GUARDIAN_KEY, SOVR_GUARDIAN_PORT, GEMINI_API_KEY, GEMINI_MODEL, GUARDIAN_*.
 */
import { readGuardianConfig } from "./config.ts";
import { startGuardian } from "./guardian.ts";

try {
  const config = readGuardianConfig();
  const guardian = await startGuardian(config);
  console.log(`guardian listening on ${guardian.url} (analyzers: ${guardian.worker.analyzers.join(", ")})`);
  const shutdown = () => {
    void guardian.stop().then(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
