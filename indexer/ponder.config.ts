// For TypeScript only: Ponder's generated ponder-env.d.ts types the config from this folder, while
// Ponder itself runs with `--config ../ponder.config.ts` (the configuration lives at the root).
export { default } from "../ponder.config.ts";
