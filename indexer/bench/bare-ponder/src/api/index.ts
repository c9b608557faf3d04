/** `GET /count`: rows in the bare app's table, which the benchmark polls to see the backfill finish. */
import { db } from "ponder:api";
import { Hono } from "hono";
import { count } from "ponder";
import { event } from "../../ponder.schema.ts";

const app = new Hono();
app.get("/count", async (c) => {
  const rows = await db.select({ n: count() }).from(event);
  return c.json({ count: Number(rows[0]?.n ?? 0) });
});

export default app;
