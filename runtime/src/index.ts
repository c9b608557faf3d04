export { appendDurably, writeDurably } from "./durable.ts";
export * as env from "./env.ts";
export { childEnv, readEnv, type Setting } from "./env.ts";
export { UserError } from "./errors.ts";
export { type GeminiSettings, readGeminiSettings } from "./gemini.ts";
export { repoRoot, sovrHome } from "./paths.ts";
export { assertPortFree, freePort, type ListeningServer, listenOnLoopback } from "./ports.ts";
export {
  type Exit,
  type HealthService,
  type HealthServiceOptions,
  isRunning,
  lastLine,
  type ProcessRef,
  pollUntil,
  processRef,
  processStartTime,
  type Service,
  type ServiceOptions,
  spawnHealthService,
  spawnService,
  terminate,
} from "./process.ts";
