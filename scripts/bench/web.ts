/**
 * `pnpm bench web`: the command center's initial JavaScript and its page-load-to-live-data time on a
 * local stack (the benchmark lives in the web package, beside what it measures). Writes `.bench/web.json`
 * and fails when the bundle is over budget.
 */
import { join } from "node:path";
import { runWebBench } from "../../web/bench.ts";

const result = await runWebBench(join(process.cwd(), ".bench"));
if (!result.bundle.withinBudget) process.exitCode = 1;
