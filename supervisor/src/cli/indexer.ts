/**
 * The running indexer (`SOVR_INDEXER_URL`, or 127.0.0.1 on `SOVR_INDEXER_PORT`, default 42069): what the
 * listing verbs read, and what a writing verb waits for so that the next listing shows its effect.
 */

export function indexerUrl(env: NodeJS.ProcessEnv): string {
  if (env.SOVR_INDEXER_URL) return env.SOVR_INDEXER_URL.replace(/\/$/, "");
  return `http://127.0.0.1:${env.SOVR_INDEXER_PORT ?? 42069}`;
}

export class IndexerUnreachable extends Error {
  constructor(origin: string) {
    super(`no indexer answers at ${origin}; is \`pnpm start\` running? (SOVR_INDEXER_URL)`);
  }
}

export async function getJson<T>(url: string, init?: RequestInit): Promise<{ status: number; body: T }> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(30_000), ...init });
  } catch {
    throw new IndexerUnreachable(new URL(url).origin);
  }
  return { status: response.status, body: (await response.json()) as T };
}

/** One GraphQL query against the indexer's `/graphql`; its first error becomes the failure's line. */
export async function graphql<T>(env: NodeJS.ProcessEnv, query: string, variables: Record<string, unknown> = {}): Promise<T> {
  const { body } = await getJson<{ data?: T; errors?: { message: string }[] }>(`${indexerUrl(env)}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query, variables }),
  });
  if (body.errors?.length || !body.data) throw new Error(`the indexer refused a query: ${body.errors?.[0]?.message ?? "no data"}`);
  return body.data;
}

type PageOf<T> = { items: T[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };

/** Every row of a Ponder GraphQL list (`field`), page by page; `query` takes `$after` and selects `items`. */
export async function allPages<T>(env: NodeJS.ProcessEnv, field: string, query: string): Promise<T[]> {
  const rows: T[] = [];
  let after: string | null = null;
  for (;;) {
    const data: Record<string, PageOf<T>> = await graphql<Record<string, PageOf<T>>>(env, query, { after });
    const page = data[field];
    if (!page) throw new Error(`the indexer's answer has no ${field}`);
    rows.push(...page.items);
    if (!page.pageInfo.hasNextPage) return rows;
    after = page.pageInfo.endCursor;
  }
}

/** How long a writing verb waits for the indexer before printing without it. */
const INDEXED_WAIT_MS = 30_000;

/**
 * Waits until the indexer has processed `blockNumber` (Ponder writes a block's rows before it moves its
 * checkpoint, so everything of that block is readable then). Returns why it could not, or undefined.
 */
export async function waitUntilIndexed(env: NodeJS.ProcessEnv, blockNumber: bigint): Promise<string | undefined> {
  const deadline = Date.now() + INDEXED_WAIT_MS;
  for (;;) {
    let indexed: number | null | undefined;
    try {
      const { body } = await getJson<{ indexer?: { indexedBlock: number | null } }>(`${indexerUrl(env)}/api/status`);
      indexed = body.indexer?.indexedBlock;
    } catch (error) {
      return (error as Error).message;
    }
    if (indexed !== null && indexed !== undefined && BigInt(indexed) >= blockNumber) return undefined;
    if (Date.now() > deadline) return `the indexer has not reached block ${blockNumber} after ${INDEXED_WAIT_MS / 1000} s`;
    await new Promise((resolveWait) => setTimeout(resolveWait, 200));
  }
}
