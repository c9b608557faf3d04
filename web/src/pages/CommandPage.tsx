import { and, asc, desc, eq, not } from "@ponder/client";
import { componentRegistryAbi, controlActions } from "@sovr/contracts";
import { useState } from "react";
import { Badge, Button, Card, Confirm, Empty, SEVERITY_TONE, STATUS_TONE, timeAgo, WriteStatus } from "../components/ui.tsx";
import { VerdictList } from "../components/Verdicts.tsx";
import { useApp } from "../lib/context.tsx";
import { navigate, useLocation } from "../lib/router.ts";
import { type ComponentStatus, useStackStatus } from "../lib/status.ts";
import { useWrite } from "../lib/write.ts";
import { useLive } from "../live/live.ts";
import { componentView, controlIntentView, signalView, verdictView } from "../live/schema.ts";

type Action = (typeof controlActions)[number];
type ComponentRow = typeof componentView.$inferSelect;
type IntentRow = typeof controlIntentView.$inferSelect;

const OVERALL_STYLE: Record<string, string> = {
  OPERATIONAL: "border-emerald-600 bg-emerald-950/40 text-emerald-300",
  DEGRADED: "border-amber-600 bg-amber-950/40 text-amber-300",
  DOWN: "border-red-600 bg-red-950/40 text-red-300",
};

const ACTION_MEANING: Record<Action, string> = {
  START: "start",
  RESTART: "restart",
  STOP: "stop",
};

export default function CommandPage() {
  const { live } = useApp();
  const status = useStackStatus();
  const components = useLive(live, "components", (db) =>
    db.select().from(componentView).where(eq(componentView.retired, false)).orderBy(asc(componentView.id)),
  );
  const intents = useLive(live, "intents", (db) => db.select().from(controlIntentView).orderBy(desc(controlIntentView.id)).limit(50));
  const signals = useLive(live, "signals", (db) => db.select().from(signalView).orderBy(desc(signalView.id)).limit(15));
  // Routine verdicts (LOW, MONITOR: "seen, nothing to do") would bury the threats; Alerts & audit lists them all.
  const verdicts = useLive(live, "recent-verdicts", (db) =>
    db
      .select()
      .from(verdictView)
      .where(not(and(eq(verdictView.level, "LOW"), eq(verdictView.action, "MONITOR"))!))
      .orderBy(desc(verdictView.id))
      .limit(8),
  );

  const uptimeById = new Map(status.data?.components.map((c) => [c.id, c]) ?? []);
  const latestIntent = new Map<number, IntentRow>();
  for (const intent of intents.data ?? []) if (!latestIntent.has(intent.componentId)) latestIntent.set(intent.componentId, intent);
  const names = new Map(components.data?.map((c) => [c.id, c.name]) ?? []);

  return (
    <div className="flex flex-col gap-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <div
          data-testid="overall-status"
          className={`rounded-lg border px-4 py-3 text-lg font-semibold ${OVERALL_STYLE[status.data?.overall ?? ""] ?? "border-gray-600 text-gray-400"}`}
        >
          {status.data ? status.data.overall : status.isError ? "Status unavailable" : "Checking status…"}
          {status.data?.ledgerPaused && <span className="ml-3 text-sm">Ledger paused</span>}
          {status.data && (
            <span className="ml-3 text-xs font-normal text-gray-400">guardian {status.data.guardian.live ? "judging" : "quiet"}</span>
          )}
        </div>
        <MasterControls components={components.data ?? []} />
      </div>
      <DraftedControl components={components.data ?? []} />

      <section>
        <h2 className="mb-3 text-sm font-semibold uppercase tracking-wide text-gray-300">Components</h2>
        {!components.data ? (
          <p className="text-sm text-gray-400">Waiting for the indexer…</p>
        ) : components.data.length === 0 ? (
          <Empty>No components are registered yet. sovr up registers the stack's own; add yours in sovr.config.json.</Empty>
        ) : (
          <div className="grid grid-cols-1 gap-3 md:grid-cols-2 xl:grid-cols-3">
            {components.data.map((component) => (
              <ComponentCard
                key={component.id}
                component={component}
                facts={uptimeById.get(component.id)}
                intent={latestIntent.get(component.id)}
              />
            ))}
          </div>
        )}
      </section>

      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <Card title="Recent signals" testId="signals">
          {!signals.data ? (
            <p className="text-sm text-gray-400">Loading…</p>
          ) : signals.data.length === 0 ? (
            <Empty>No signals yet. Components report auth failures, payment anomalies and the like here.</Empty>
          ) : (
            <ul className="flex flex-col gap-1.5 text-sm">
              {signals.data.map((signal) => (
                <li key={signal.id.toString()} className="flex items-start gap-2">
                  <Badge tone={SEVERITY_TONE[signal.severity] ?? "gray"}>{signal.severity}</Badge>
                  <span className="text-gray-400">{names.get(signal.componentId) ?? `#${signal.componentId}`}</span>
                  <span className="text-gray-300">{signal.kind}</span>
                  <span className="flex-1 text-gray-200">{signal.message}</span>
                  <span className="text-xs text-gray-500">{timeAgo(signal.timestamp)}</span>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <Card title="AI threat analysis" testId="threat-analysis">
          <div className="max-h-[36rem] overflow-y-auto pr-1">
            <VerdictList
              verdicts={verdicts.data}
              withNote={false}
              emptyText="No threats: the guardian has judged everything so far routine (LOW, MONITOR)."
            />
          </div>
        </Card>
      </div>
    </div>
  );
}

function percent(value: number | null | undefined): string {
  return value == null ? "–" : `${(value * 100).toFixed(value >= 0.9995 ? 0 : 1)}%`;
}

function ComponentCard({
  component,
  facts,
  intent,
}: {
  component: ComponentRow;
  facts: ComponentStatus | undefined;
  intent: IntentRow | undefined;
}) {
  const { config } = useApp();
  const [open, setOpen] = useState(false);
  const write = useWrite();
  const refusal = controlRefusal(component.id, config.components);
  const control = (action: Action) =>
    void write.run(`${action} ${component.name}`, [
      {
        address: config.contracts.registry,
        abi: componentRegistryAbi,
        functionName: "requestControl",
        args: [component.id, controlActions.indexOf(action)],
      },
    ]);
  const { search } = useLocation();
  // A notification's link names the component: it stands out.
  const linked = search.get("component") === String(component.id);
  const maintenance = facts?.maintenance ?? undefined;
  const colour = maintenance
    ? "bg-indigo-400"
    : ({ ONLINE: "bg-emerald-400", DEGRADED: "bg-amber-400", OFFLINE: "bg-red-500", STOPPED: "bg-gray-500" }[component.status] ??
      "bg-sky-400");
  return (
    <div
      className={`rounded-lg border bg-gray-800/60 p-3 ${linked ? "border-sky-400 ring-2 ring-sky-500" : "border-gray-700"}`}
      data-testid={`component-${component.name}`}
      data-status={component.status}
      data-maintenance={maintenance ? "yes" : undefined}
    >
      <button
        type="button"
        className="flex w-full items-center justify-between gap-2 text-left"
        onClick={() => setOpen(!open)}
        aria-expanded={open}
      >
        <span className="flex items-center gap-2">
          <span className={`inline-block h-3 w-3 rounded-full ${colour}`} />
          <span className="font-medium">{component.name}</span>
          {component.critical && <span className="text-xs text-gray-500">critical</span>}
        </span>
        {maintenance ? (
          <span title={`Probes say ${component.status}; in the owner's maintenance window ${maintenance.windowId}`}>
            <Badge tone="blue" testId="component-status">
              MAINTENANCE
            </Badge>
          </span>
        ) : (
          <Badge tone={STATUS_TONE[component.status] ?? "gray"} testId="component-status">
            {component.status}
          </Badge>
        )}
      </button>
      {maintenance && (
        <p className="mt-1 text-xs text-indigo-300">
          Maintenance until {new Date(maintenance.until * 1000).toLocaleString()}
          {maintenance.note ? `: ${maintenance.note}` : ""} (probes say {component.status}; no notifications, not counted in uptime)
        </p>
      )}
      <dl className="mt-2 grid grid-cols-4 gap-1 text-xs text-gray-400">
        <div>
          <dt>latency</dt>
          <dd className="text-gray-200">{component.latencyMs} ms</dd>
        </div>
        <div>
          <dt>24 h</dt>
          <dd className="text-gray-200">{percent(facts?.uptime["24h"])}</dd>
        </div>
        <div>
          <dt>7 d</dt>
          <dd className="text-gray-200">{percent(facts?.uptime["7d"])}</dd>
        </div>
        <div>
          <dt>30 d</dt>
          <dd className="text-gray-200">{percent(facts?.uptime["30d"])}</dd>
        </div>
      </dl>
      <p className="mt-1 text-xs text-gray-500">
        {component.kind} · changed {timeAgo(component.statusSince)}
        {intent && (
          <>
            {" "}
            · last {intent.action} {intent.status === "Pending" ? "pending" : intent.status.toLowerCase()}
            {intent.reason ? ` (${intent.reason})` : ""}
          </>
        )}
      </p>
      {open && (
        <div className="mt-3 flex flex-col gap-1">
          <div className="flex gap-2">
            {controlActions.map((action) => (
              <Button
                key={action}
                small
                kind={action === "STOP" ? "danger" : "primary"}
                disabled={write.busy || refusal !== undefined}
                onClick={() => control(action)}
                testId={`control-${action}`}
                title={refusal}
              >
                {action}
              </Button>
            ))}
          </div>
          {refusal && (
            <p className="text-xs text-gray-500" data-testid="control-refusal">
              {refusal}
            </p>
          )}
        </div>
      )}
      <WriteStatus state={write.state} />
    </div>
  );
}

/** Why this host cannot carry out an intent for the component, or undefined when it can. */
function controlRefusal(id: number, known: { stack: number[]; controllable: number[] }): string | undefined {
  if (known.stack.includes(id)) return "Part of the stack sovr up runs itself: restart sovr up to restart it.";
  if (!known.controllable.includes(id)) return "This host has no start command for it (add one in sovr.config.json).";
  return undefined;
}

/**
 * A control intent the assistant drafted (`/?control=STOP&ids=3,4`): shown for the owner to confirm
 * and sign, or dismiss. Nothing happens without the wallet's signature.
 */
function DraftedControl({ components }: { components: ComponentRow[] }) {
  const { config } = useApp();
  const { search } = useLocation();
  const write = useWrite();
  const action = search.get("control")?.toUpperCase() as Action | undefined;
  const ids = (search.get("ids") ?? "")
    .split(",")
    .map(Number)
    .filter((id) => Number.isInteger(id) && id > 0);
  if (!action || !controlActions.includes(action) || ids.length === 0) return null;
  const named = ids.map((id) => components.find((component) => component.id === id)?.name ?? `unknown component ${id}`);
  const dismiss = () => navigate("/");
  return (
    <Confirm
      title={`Drafted: ${action} ${named.join(", ")}`}
      confirmLabel={`Sign ${action}`}
      onCancel={dismiss}
      onConfirm={() => {
        void write
          .run(`${action} ${named.join(", ")}`, [
            {
              address: config.contracts.registry,
              abi: componentRegistryAbi,
              functionName: "requestControlMany",
              args: [ids, controlActions.indexOf(action)],
            },
          ])
          .then(dismiss);
      }}
    >
      <p>
        The assistant drafted this control intent. Check the action and the components; your wallet asks you to sign it, and nothing is sent
        otherwise.
      </p>
    </Confirm>
  );
}

function MasterControls({ components: active }: { components: ComponentRow[] }) {
  const { config } = useApp();
  const write = useWrite();
  const [asking, setAsking] = useState<Action>();
  // ALL means what this host can carry out: never the stack's own components, never one without a start command.
  const components = active.filter((component) => controlRefusal(component.id, config.components) === undefined);
  return (
    <div className="flex flex-col items-end">
      <div className="flex gap-2">
        {controlActions.map((action) => (
          <Button
            key={action}
            kind={action === "STOP" ? "danger" : "plain"}
            disabled={write.busy || components.length === 0}
            onClick={() => setAsking(action)}
            testId={`master-${action}`}
            title={components.length === 0 ? "No component of this host has a start command (sovr.config.json)." : undefined}
          >
            {action} ALL
          </Button>
        ))}
      </div>
      {asking && (
        <Confirm
          title={`${asking} ALL of this host's components?`}
          confirmLabel={`Sign ${asking} ALL`}
          onCancel={() => setAsking(undefined)}
          onConfirm={() => {
            const action = asking;
            setAsking(undefined);
            void write.run(`${action} ALL`, [
              {
                address: config.contracts.registry,
                abi: componentRegistryAbi,
                functionName: "requestControlMany",
                args: [components.map((component) => component.id), controlActions.indexOf(action)],
              },
            ]);
          }}
        >
          <p>
            One transaction asks the supervisor to {ACTION_MEANING[asking]} the {components.length} component
            {components.length === 1 ? "" : "s"} this host runs: <strong>{components.map((c) => c.name).join(", ")}</strong>.
          </p>
          <p className="mt-2 text-gray-400">
            The stack's own components (chain, indexer, guardian, ...) are left out: sovr up runs them itself.
          </p>
        </Confirm>
      )}
      <WriteStatus state={write.state} />
    </div>
  );
}
