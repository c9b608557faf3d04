export { UserError } from "./errors.ts";
export { repoRoot, sovrHome } from "./paths.ts";
export { writeDurably } from "./durable.ts";
export { assertPortFree, freePort } from "./ports.ts";
export * as env from "./env.ts";
export { readEnv, type Setting } from "./env.ts";
export {
  isRunning,
  lastLine,
  pollUntil,
  processRef,
  processStartTime,
  spawnService,
  terminate,
  type Exit,
  type ProcessRef,
  type Service,
  type ServiceOptions,
} from "./process.ts";
