import { appendFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { Journal, type Notice } from "./journal.ts";

const dirs: string[] = [];
const dir = () => {
  const made = mkdtempSync(join(tmpdir(), "sovr-journal-"));
  dirs.push(made);
  return made;
};
afterAll(() => {
  for (const made of dirs) rmSync(made, { recursive: true, force: true });
});

const notice: Notice = {
  id: "7-1",
  kind: "component",
  severity: "high",
  title: "api is OFFLINE",
  text: "",
  link: "http://x/",
  at: 1,
  dedupKeys: ["component:1:OFFLINE"],
};

describe("the delivery journal", () => {
  it("replays what was planned, committed, sent and failed; a request complete on the wire is not sent again, an SMTP one is", () => {
    const where = dir();
    const journal = new Journal(where);
    journal.write(
      { t: "notice", notice, at: 1 },
      { t: "plan", id: "7-1:hook", noticeId: "7-1", channel: "hook", due: 0, at: 1 },
      { t: "plan", id: "7-1:mail", noticeId: "7-1", channel: "mail", due: 0, at: 1 },
      { t: "plan", id: "7-1:slack", noticeId: "7-1", channel: "slack", due: 0, at: 1 },
      { t: "plan", id: "7-1:tg", noticeId: "7-1", channel: "tg", due: 0, at: 1 },
      { t: "cursor", block: "7", logIndex: 1 },
    );
    journal.write({ t: "commit", id: "7-1:hook", mode: "received", at: 2 });
    journal.write({ t: "commit", id: "7-1:mail", mode: "attempted", at: 2 });
    journal.write(
      { t: "commit", id: "7-1:slack", mode: "received", at: 2 },
      { t: "failed", id: "7-1:slack", at: 3, error: "500", final: false },
    );
    journal.write({ t: "commit", id: "7-1:tg", mode: "received", at: 2 }, { t: "sent", id: "7-1:tg", at: 3, ms: 1 });
    // A kill mid-append leaves a torn last line.
    appendFileSync(journal.file, '{"t":"sent","id":"7-1:ma');

    const again = new Journal(where);
    expect(again.cursor).toEqual({ blockNumber: 7n, logIndex: 1 });
    expect(again.deliveries.get("7-1:hook")!.state).toBe("sent");
    expect(again.deliveries.get("7-1:mail")!.state).toBe("planned");
    expect(again.deliveries.get("7-1:slack")!.state).toBe("planned");
    expect(again.deliveries.get("7-1:tg")!.state).toBe("sent");
    expect(again.assumedSent).toBe(1);
    expect(again.failures).toMatchObject([{ channel: "slack", error: "500", final: false }]);
  });

  it("a digest's outcome is its items'", () => {
    const journal = new Journal(dir());
    journal.write(
      { t: "notice", notice, at: 1 },
      { t: "plan", id: "a", noticeId: "7-1", channel: "hook", due: 0, at: 1 },
      { t: "plan", id: "b", noticeId: "7-1", channel: "hook", due: 0, at: 1 },
      { t: "plan", id: "digest:hook:a", noticeId: "7-1", channel: "hook", due: 0, covers: ["a", "b"], at: 2 },
      { t: "commit", id: "digest:hook:a", mode: "received", at: 3 },
      { t: "sent", id: "digest:hook:a", at: 4, ms: 1 },
    );
    expect(journal.deliveries.get("a")).toMatchObject({ state: "sent", coveredBy: "digest:hook:a" });
    expect(new Journal(journal.file.replace(/\/journal\.jsonl$/, "")).deliveries.get("b")).toMatchObject({ state: "sent" });
  });

  it("refuses a journal damaged anywhere but its last line", () => {
    const where = dir();
    const journal = new Journal(where);
    journal.write({ t: "cursor", block: "1", logIndex: 0 });
    appendFileSync(journal.file, 'garbage\n{"t":"cursor","block":"2","logIndex":0}\n');
    expect(() => new Journal(where)).toThrow(/line 2 is not JSON: the delivery journal is damaged/);
    expect(readFileSync(journal.file, "utf8")).toContain("garbage");
  });
});
