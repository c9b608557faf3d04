import { asc, eq, inArray } from "@ponder/client";
import { guardianAttestationsAbi, verdictLevels } from "@sovr/contracts";
import { useState } from "react";
import { MaintenanceWindows } from "../components/Maintenance.tsx";
import { Name } from "../components/Name.tsx";
import { NotificationChannels } from "../components/Notifications.tsx";
import { Badge, Button, Card, Empty, inputClass, WriteStatus } from "../components/ui.tsx";
import { useApp } from "../lib/context.tsx";
import { roleHoldings } from "../lib/roles.ts";
import { useWrite } from "../lib/write.ts";
import { useLive } from "../live/live.ts";
import { auditEventView, systemStateView } from "../live/schema.ts";

type Level = (typeof verdictLevels)[number];
type Policy = { mayFreezeOnBlock: boolean; minFreezeLevel: Level; mayPauseOnEmergency: boolean; minPauseLevel: Level };

export default function SettingsPage() {
  const { config, live } = useApp();
  const roleEvents = useLive(live, "roles", (db) =>
    db
      .select({ contract: auditEventView.contract, event: auditEventView.event, args: auditEventView.args })
      .from(auditEventView)
      .where(inArray(auditEventView.event, ["RoleGranted", "RoleRevoked"]))
      .orderBy(asc(auditEventView.blockNumber), asc(auditEventView.logIndex)),
  );
  const system = useLive(live, "system", (db) => db.select().from(systemStateView).where(eq(systemStateView.id, 1)));
  const state = system.data?.[0];

  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
      <Card title="Deployment" testId="deployment">
        <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1 text-sm">
          <dt className="text-gray-400">Chain id</dt>
          <dd>{config.chainId}</dd>
          <dt className="text-gray-400">RPC</dt>
          <dd className="font-mono text-xs">{config.rpcUrl}</dd>
          <dt className="text-gray-400">Indexer</dt>
          <dd className="font-mono text-xs">{config.indexerUrl}</dd>
          <dt className="text-gray-400">Owner</dt>
          <dd className="font-mono text-xs">{config.owner}</dd>
          {Object.entries(config.contracts).map(([name, address]) => (
            <Row key={name} label={name} value={address} />
          ))}
          <Row label="supervisor key" value={config.hostKeys.supervisor} />
          <Row label="guardian key" value={config.hostKeys.guardian} />
          {state && (
            <>
              <dt className="text-gray-400">Ledger</dt>
              <dd>{state.ledgerPaused ? <Badge tone="red">paused</Badge> : <Badge tone="green">running</Badge>}</dd>
              <dt className="text-gray-400">Liveness beat</dt>
              <dd>every {state.beatInterval} s</dd>
            </>
          )}
        </dl>
      </Card>
      <Card title="Guardian policy" testId="policy">
        {!system.data ? (
          <p className="text-sm text-gray-400">Loading…</p>
        ) : !state ? (
          <Empty>The policy is not indexed yet.</Empty>
        ) : (
          <PolicyForm key={state.updatedAt.toString()} current={policyOf(state)} />
        )}
      </Card>
      <div className="lg:col-span-2">
        <Card title="Notifications" testId="notifications">
          <NotificationChannels />
        </Card>
      </div>
      <div className="lg:col-span-2">
        <Card title="Maintenance windows" testId="maintenance-windows">
          <MaintenanceWindows />
        </Card>
      </div>
      <div className="lg:col-span-2">
        <Card title="Roles" testId="roles">
          {!roleEvents.data ? (
            <p className="text-sm text-gray-400">Loading…</p>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-xs text-gray-400">
                <tr>
                  <th className="py-1">Contract</th>
                  <th>Role</th>
                  <th>Held by</th>
                </tr>
              </thead>
              <tbody>
                {roleHoldings(roleEvents.data).map((holding) => (
                  <tr key={`${holding.contract}:${holding.role}`} className="border-t border-gray-700">
                    <td className="py-1">{holding.contract}</td>
                    <td className="font-mono text-xs">{holding.role}</td>
                    <td className="text-xs">
                      {holding.holders.length === 0
                        ? "nobody"
                        : holding.holders.map((holder) => (
                            <div key={holder}>
                              <Name address={holder} />
                            </div>
                          ))}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </Card>
      </div>
    </div>
  );
}

function Row({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt className="capitalize text-gray-400">{label}</dt>
      <dd className="font-mono text-xs">{value}</dd>
    </>
  );
}

function policyOf(state: {
  mayFreezeOnBlock: boolean;
  minFreezeLevel: string;
  mayPauseOnEmergency: boolean;
  minPauseLevel: string;
}): Policy {
  return {
    mayFreezeOnBlock: state.mayFreezeOnBlock,
    minFreezeLevel: state.minFreezeLevel as Level,
    mayPauseOnEmergency: state.mayPauseOnEmergency,
    minPauseLevel: state.minPauseLevel as Level,
  };
}

function PolicyForm({ current }: { current: Policy }) {
  const { config } = useApp();
  const write = useWrite();
  const [policy, setPolicy] = useState<Policy>(current);
  const changed = JSON.stringify(policy) !== JSON.stringify(current);
  const levelSelect = (field: "minFreezeLevel" | "minPauseLevel", label: string) => (
    <select
      className={inputClass}
      value={policy[field]}
      onChange={(e) => setPolicy({ ...policy, [field]: e.target.value as Level })}
      aria-label={label}
    >
      {verdictLevels.map((level) => (
        <option key={level}>{level}</option>
      ))}
    </select>
  );
  return (
    <form
      className="flex flex-col gap-3 text-sm"
      onSubmit={(event) => {
        event.preventDefault();
        void write.run("Saving the guardian policy", [
          {
            address: config.contracts.guardian,
            abi: guardianAttestationsAbi,
            functionName: "setPolicy",
            args: [
              policy.mayFreezeOnBlock,
              verdictLevels.indexOf(policy.minFreezeLevel),
              policy.mayPauseOnEmergency,
              verdictLevels.indexOf(policy.minPauseLevel),
            ],
          },
        ]);
      }}
    >
      <p className="text-gray-400">What the guardian may do on its own. It can never move funds, grant roles, unpause or unfreeze.</p>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={policy.mayFreezeOnBlock}
          onChange={(e) => setPolicy({ ...policy, mayFreezeOnBlock: e.target.checked })}
        />
        Freeze accounts on a BLOCK verdict of at least {levelSelect("minFreezeLevel", "Minimum level to freeze")}
      </label>
      <label className="flex items-center gap-2">
        <input
          type="checkbox"
          checked={policy.mayPauseOnEmergency}
          onChange={(e) => setPolicy({ ...policy, mayPauseOnEmergency: e.target.checked })}
        />
        Pause the ledger on EMERGENCY_SHUTDOWN of at least {levelSelect("minPauseLevel", "Minimum level to pause")}
      </label>
      <div>
        <Button type="submit" kind="primary" disabled={!changed || write.busy} testId="save-policy">
          Save policy (one transaction)
        </Button>
      </div>
      <WriteStatus state={write.state} />
    </form>
  );
}
