import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { initialGzipKb } from "./bundle.ts";

const dist = mkdtempSync(join(tmpdir(), "sovr-web-bench-dist-"));
afterAll(() => rmSync(dist, { recursive: true, force: true }));

describe("initialGzipKb", () => {
  it("counts the entry script and its preloaded modules, not the lazy chunks", () => {
    mkdirSync(join(dist, "assets"));
    const entry = "x".repeat(5000) + Math.random().toString(36).repeat(300);
    const shared = Math.random().toString(36).repeat(200);
    writeFileSync(join(dist, "assets", "index-a.js"), entry);
    writeFileSync(join(dist, "assets", "shared-b.js"), shared);
    writeFileSync(join(dist, "assets", "Lazy-c.js"), "y".repeat(100_000));
    writeFileSync(
      join(dist, "index.html"),
      '<script type="module" crossorigin src="/assets/index-a.js"></script><link rel="modulepreload" crossorigin href="/assets/shared-b.js">',
    );
    const expected = (gzipSync(entry).length + gzipSync(shared).length) / 1024;
    const result = initialGzipKb(dist);
    expect(Object.keys(result.files)).toEqual(["/assets/index-a.js", "/assets/shared-b.js"]);
    expect(result.initialGzipKb).toBeCloseTo(expected, 1);
  });
});
