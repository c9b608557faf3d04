import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { ensureHostKeys } from "./keys.ts";

const homes: string[] = [];
const newHome = () => {
  const home = mkdtempSync(join(tmpdir(), "sovr-keys-"));
  homes.push(home);
  return home;
};
afterAll(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

describe("host keys", () => {
  it("generates distinct owner-only keys once and reads the same ones afterwards", () => {
    const home = newHome();
    const first = ensureHostKeys(home);
    expect(first.supervisor.account.address).not.toBe(first.guardian.account.address);
    for (const key of [first.supervisor, first.guardian]) {
      expect(statSync(key.file).mode & 0o777).toBe(0o600);
      expect(readFileSync(key.file, "utf8")).toMatch(/^0x[0-9a-f]{64}\n$/);
    }
    expect(statSync(join(home, "keys")).mode & 0o777).toBe(0o700);
    const again = ensureHostKeys(home);
    expect(again.supervisor.account.address).toBe(first.supervisor.account.address);
    expect(again.guardian.privateKey).toBe(first.guardian.privateKey);
  });

  it("refuses a key file others can read, and one that holds no key, naming the file", () => {
    const home = newHome();
    const { supervisor } = ensureHostKeys(home);
    chmodSync(supervisor.file, 0o644);
    expect(() => ensureHostKeys(home)).toThrow(`${supervisor.file} can be read by others (mode 644); run \`chmod 600 ${supervisor.file}\``);
    writeFileSync(supervisor.file, "not a key\n", { mode: 0o600 });
    chmodSync(supervisor.file, 0o600);
    expect(() => ensureHostKeys(home)).toThrow(`${supervisor.file} does not hold a private key (0x and 64 hex digits)`);
  });
});
