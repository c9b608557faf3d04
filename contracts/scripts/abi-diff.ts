/**
 * Compares two generated ABI files (`contracts/generated/index.ts` as `generate.ts` writes it): every
 * `*Abi` export as a set of entries (order does not matter), every other export but bytecode (enums,
 * `sovrCodes`) exactly. The deployed ABIs are what the TypeScript side is generated from, so a
 * contract change must leave them identical:
 *
 *   node contracts/scripts/generate.ts && cp contracts/generated/index.ts /tmp/before.ts
 *   ...change the contracts, hardhat build --no-tests...
 *   node contracts/scripts/generate.ts && node contracts/scripts/abi-diff.ts /tmp/before.ts
 *
 * Exits 1 and lists the entries that differ, 0 when there are none.
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const [beforeFile, afterFile = join(dirname(fileURLToPath(import.meta.url)), "..", "generated", "index.ts")] = process.argv.slice(2);
if (!beforeFile) {
  console.error("usage: node contracts/scripts/abi-diff.ts <before index.ts> [after index.ts]");
  process.exit(2);
}

function exportsOf(file: string): Map<string, unknown> {
  const found = new Map<string, unknown>();
  for (const m of readFileSync(file, "utf8").matchAll(/export const (\w+) = ([\s\S]*?) as const;/g)) {
    if (!m[1]!.endsWith("Bytecode")) found.set(m[1]!, JSON.parse(m[2]!));
  }
  return found;
}

/** JSON with sorted keys, so equal entries compare equal whatever their key order. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    return `{${Object.keys(record)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical(record[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value);
}

const before = exportsOf(beforeFile);
const after = exportsOf(afterFile);
let differences = 0;
for (const name of new Set([...before.keys(), ...after.keys()])) {
  if (!before.has(name) || !after.has(name)) {
    console.log(`${name}: only ${before.has(name) ? "before" : "after"}`);
    differences++;
    continue;
  }
  if (name.endsWith("Abi")) {
    const was = new Set((before.get(name) as unknown[]).map(canonical));
    const is = new Set((after.get(name) as unknown[]).map(canonical));
    const removed = [...was].filter((entry) => !is.has(entry));
    const added = [...is].filter((entry) => !was.has(entry));
    for (const entry of removed) console.log(`${name} - ${entry}`);
    for (const entry of added) console.log(`${name} + ${entry}`);
    differences += removed.length + added.length;
    console.log(`${name}: ${was.size} entries before, ${is.size} after, ${removed.length + added.length} differ`);
  } else if (canonical(before.get(name)) !== canonical(after.get(name))) {
    console.log(`${name}: differs`);
    differences++;
  }
}
console.log(differences === 0 ? "ABIs, enums and codes identical" : `${differences} differences`);
process.exit(differences === 0 ? 0 : 1);
