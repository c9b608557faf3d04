/**
 * `pnpm bench guardian`: the rule-engine guardian's verdict lag and throughput on a local chain
 * (the benchmark lives in the guardian package, beside what it measures). Writes `.bench/guardian.json`
 * and fails when the p99 target is missed.
 */
import { join } from "node:path";
import { runGuardianBench } from "../../guardian/src/bench.ts";

const result = await runGuardianBench(join(process.cwd(), ".bench"));
if (!result.targetMet) process.exitCode = 1;
