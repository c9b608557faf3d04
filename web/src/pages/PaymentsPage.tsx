/**
 * Payments: money that moves by itself. Standing orders the viewer pays and is paid (next charge, every charge,
 * refusal and missed period), the plans it publishes with their subscribe links, and commitments with their
 * milestones' progress, each side able to do what its role allows. New orders, plans and commitments are checked
 * field by field before anything is signed.
 */
import { eq, or } from "@ponder/client";
import {
  COMMITMENT_LIMITS,
  formatDollars,
  parseAccountRef,
  parseDeadline,
  parseDollars,
  parseEndDate,
  parseInterval,
  parseMilestoneDescription,
  parsePeriodCount,
  parsePlanName,
  parseRetries,
  parseStart,
  parseTrialDays,
  primaryAccountId,
  sovrCommitmentsAbi,
  sovrLedgerAbi,
  sovrOrdersAbi,
} from "@sovr/contracts";
import { useState } from "react";
import { type Address, zeroAddress } from "viem";
import { useConfig } from "wagmi";
import { readContract } from "wagmi/actions";
import { Name } from "../components/Name.tsx";
import { Badge, Button, Card, Confirm, dateTime, Empty, Field, inputClass, WriteStatus } from "../components/ui.tsx";
import { useViewer } from "../lib/accounts.ts";
import { useApp } from "../lib/context.tsx";
import { useNow } from "../lib/invoices.ts";
import {
  COMMITMENT_TONE,
  type CommitmentRow,
  countText,
  MILESTONE_TONE,
  ORDER_TONE,
  type OrderRow,
  PERIOD_TONE,
  type PlanRow,
  priceText,
  subscribeUrl,
  unitIndex,
} from "../lib/orders.ts";
import { type ContractCall, useWrite } from "../lib/write.ts";
import { useLive } from "../live/live.ts";
import { commitmentView, milestoneView, orderPeriodView, planView, standingOrderView } from "../live/schema.ts";

export default function PaymentsPage() {
  const { live } = useApp();
  const { address, connected } = useViewer();
  const me = address.toLowerCase() as Address;
  const orders = useLive(live, `orders:${me}`, (db) =>
    db
      .select()
      .from(standingOrderView)
      .where(or(eq(standingOrderView.payer, me), eq(standingOrderView.payee, me)))
      .orderBy(standingOrderView.id),
  );
  const plans = useLive(live, `plans:${me}`, (db) => db.select().from(planView).orderBy(planView.id));
  const planNames = new Map((plans.data ?? []).map((plan) => [plan.id, plan.name]));
  const rows = [...(orders.data ?? [])].reverse();
  return (
    <div className="flex flex-col gap-6">
      <div className="grid grid-cols-1 gap-6 lg:grid-cols-2">
        <NewOrder connected={connected} />
        <NewPlan connected={connected} />
      </div>
      <OrderList
        title="Standing orders you pay"
        testId="orders-out"
        rows={rows.filter((row) => row.payer === me)}
        loading={!orders.data}
        counterparty="payee"
        planNames={planNames}
      />
      <OrderList
        title="Standing orders paying you"
        testId="orders-in"
        rows={rows.filter((row) => row.payee === me)}
        loading={!orders.data}
        counterparty="payer"
        planNames={planNames}
      />
      <PlanList plans={(plans.data ?? []).filter((plan) => plan.payee === me)} loading={!plans.data} />
      <NewCommitment connected={connected} />
      <CommitmentList />
    </div>
  );
}

/** A call that opens `holder`'s primary account when it has none, read from the chain as the action starts. */
function useOpenIfMissing() {
  const wagmi = useConfig();
  const { config } = useApp();
  return async (holder: Address): Promise<ContractCall[]> => {
    const owner = await readContract(wagmi, {
      address: config.contracts.ledger,
      abi: sovrLedgerAbi,
      functionName: "accountOwner",
      args: [primaryAccountId(holder)],
    });
    return owner === zeroAddress
      ? [{ address: config.contracts.ledger, abi: sovrLedgerAbi, functionName: "openPrimaryAccount", args: [holder] }]
      : [];
  };
}

/** The account a payee field names: an account id, or an address's primary account (opened first when missing). */
function payeeCalls(
  ref: { kind: "id"; id: bigint } | { kind: "address"; address: Address },
  openIfMissing: ReturnType<typeof useOpenIfMissing>,
) {
  return ref.kind === "id"
    ? { accountId: ref.id, before: async (): Promise<ContractCall[]> => [] }
    : { accountId: primaryAccountId(ref.address), before: () => openIfMissing(ref.address) };
}

// ================================================================ standing orders

function NewOrder({ connected }: { connected: boolean }) {
  const { config } = useApp();
  const { address } = useViewer();
  const write = useWrite();
  const openIfMissing = useOpenIfMissing();
  const [fields, setFields] = useState({
    payee: "",
    amount: "",
    max: "",
    every: "monthly",
    start: "now",
    count: "",
    until: "",
    retries: "3",
  });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (name: keyof typeof fields) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setFields((current) => ({ ...current, [name]: event.target.value }));

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    const payee = parseAccountRef(fields.payee);
    if (!payee.ok) next.payee = payee.error;
    else if (payee.value.kind === "address" && payee.value.address.toLowerCase() === address.toLowerCase())
      next.payee = "that is you; a standing order pays someone else";
    const amount = parseDollars(fields.amount);
    if (!amount.ok) next.amount = amount.error;
    const max = fields.max.trim() === "" ? amount : parseDollars(fields.max);
    if (!max.ok) next.max = max.error;
    else if (amount.ok && max.value < amount.value) next.max = `the cap must be at least the amount, ${formatDollars(amount.value)}`;
    const every = parseInterval(fields.every);
    if (!every.ok) next.every = every.error;
    const start = parseStart(fields.start);
    if (!start.ok) next.start = start.error;
    const count = parsePeriodCount(fields.count);
    if (!count.ok) next.count = count.error;
    const until = parseEndDate(fields.until);
    if (!until.ok) next.until = until.error;
    else if (start.ok && start.value !== 0 && until.value !== 0 && until.value < start.value)
      next.until = "the end date is before the start";
    const retries = parseRetries(fields.retries);
    if (!retries.ok) next.retries = retries.error;
    setErrors(next);
    if (
      Object.keys(next).length > 0 ||
      !payee.ok ||
      !amount.ok ||
      !max.ok ||
      !every.ok ||
      !start.ok ||
      !count.ok ||
      !until.ok ||
      !retries.ok
    )
      return;
    const target = payeeCalls(payee.value, openIfMissing);
    const schedule = {
      startAt: start.value,
      every: every.value.every,
      unit: unitIndex(every.value.unit),
      periods: count.value,
      endAt: until.value,
    };
    const retry = { retries: retries.value, retryEvery: 86_400 };
    void write.run(`Authorizing ${formatDollars(amount.value)} ${fields.every}`, async () => [
      ...(await target.before()),
      {
        address: config.contracts.orders,
        abi: sovrOrdersAbi,
        functionName: "createOrder",
        args: [target.accountId, amount.value, max.value, schedule, retry],
      },
    ]);
  };

  return (
    <Card title="New standing order" testId="new-order">
      <form onSubmit={submit} className="grid grid-cols-2 gap-3" noValidate>
        <div className="col-span-2">
          <Field label="Pay to (address or account id)" error={errors.payee}>
            <input className={inputClass} value={fields.payee} onChange={set("payee")} placeholder="0x…" data-testid="order-payee" />
          </Field>
        </div>
        <Field label="Amount each time (dollars)" error={errors.amount}>
          <input className={inputClass} inputMode="decimal" value={fields.amount} onChange={set("amount")} data-testid="order-amount" />
        </Field>
        <Field label="Cap per charge (optional)" error={errors.max} hint="The payee may raise the amount up to it; never above">
          <input className={inputClass} inputMode="decimal" value={fields.max} onChange={set("max")} data-testid="order-max" />
        </Field>
        <Field label="Every" error={errors.every} hint="monthly, quarterly, weekly, 14d, 3 months…">
          <input className={inputClass} value={fields.every} onChange={set("every")} data-testid="order-every" />
        </Field>
        <Field label="Start (UTC)" error={errors.start} hint="now, or YYYY-MM-DD[THH:MM]; months fall due on the start's day">
          <input className={inputClass} value={fields.start} onChange={set("start")} data-testid="order-start" />
        </Field>
        <Field label="Number of payments (optional)" error={errors.count}>
          <input className={inputClass} inputMode="numeric" value={fields.count} onChange={set("count")} data-testid="order-count" />
        </Field>
        <Field label="Until (optional, YYYY-MM-DD)" error={errors.until} hint="Neither: until cancelled">
          <input className={inputClass} value={fields.until} onChange={set("until")} data-testid="order-until" />
        </Field>
        <Field label="Retries after a refusal" error={errors.retries} hint="A day apart; then the period is missed">
          <input className={inputClass} inputMode="numeric" value={fields.retries} onChange={set("retries")} data-testid="order-retries" />
        </Field>
        <div className="col-span-2 flex items-center gap-3">
          <Button kind="primary" type="submit" disabled={!connected || write.busy} testId="order-submit">
            Authorize
          </Button>
          {!connected && <span className="text-xs text-gray-400">Connect a wallet to sign.</span>}
        </div>
        <div className="col-span-2">
          <WriteStatus state={write.state} testId="order-status" />
        </div>
      </form>
    </Card>
  );
}

function OrderList({
  title,
  testId,
  rows,
  loading,
  counterparty,
  planNames,
}: {
  title: string;
  testId: string;
  rows: OrderRow[];
  loading: boolean;
  counterparty: "payer" | "payee";
  planNames: Map<number, string>;
}) {
  return (
    <Card title={title} testId={testId}>
      {loading ? (
        <p className="text-sm text-gray-400">Loading…</p>
      ) : rows.length === 0 ? (
        <Empty>None yet.</Empty>
      ) : (
        <ul className="flex flex-col divide-y divide-gray-700">
          {rows.map((row) => (
            <OrderItem key={row.id.toString()} row={row} counterparty={counterparty} planName={planNames.get(row.planId)} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function OrderItem({ row, counterparty, planName }: { row: OrderRow; counterparty: "payer" | "payee"; planName: string | undefined }) {
  const { config } = useApp();
  const write = useWrite();
  const [open, setOpen] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const failing = (row.open as { status: string }[]).filter((period) => period.status === "Failing").length;
  return (
    <li className="flex flex-col gap-2 py-3" data-testid={`order-${row.id}`}>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="text-gray-400">#{row.id.toString()}</span>
        <Badge tone={ORDER_TONE[row.status] ?? "gray"} testId={`order-${row.id}-status`}>
          {row.status}
        </Badge>
        {planName !== undefined && <Badge tone="purple">plan: {planName}</Badge>}
        <span className="font-semibold">{priceText(row.amount, row.every, row.unit)}</span>
        <span className="text-gray-400">{counterparty === "payee" ? "to" : "from"}</span>
        <Name address={counterparty === "payee" ? row.payee : row.payer} />
        <span className="text-gray-400">({countText(row.periods)})</span>
      </div>
      <div className="flex flex-wrap items-center gap-3 text-xs text-gray-300">
        <span data-testid={`order-${row.id}-charged`}>
          {row.chargedCount} charged, {formatDollars(row.chargedTotal)}
        </span>
        {row.missedCount > 0 && <Badge tone="red">{row.missedCount} missed</Badge>}
        {failing > 0 && <Badge tone="yellow">{failing} failing, retried</Badge>}
        <span data-testid={`order-${row.id}-next`}>
          {row.nextChargeAt !== null ? `next charge ${dateTime(row.nextChargeAt)}` : row.status === "Active" ? "" : "no further charges"}
        </span>
        <Button small onClick={() => setOpen(!open)} testId={`order-${row.id}-history`}>
          {open ? "Hide history" : "History"}
        </Button>
        {row.status === "Active" && (
          <Button small kind="danger" disabled={write.busy} onClick={() => setConfirming(true)} testId={`order-${row.id}-cancel`}>
            Cancel
          </Button>
        )}
      </div>
      {confirming && (
        <Confirm
          title={`Cancel order #${row.id}?`}
          confirmLabel="Cancel the order"
          onCancel={() => setConfirming(false)}
          onConfirm={() => {
            setConfirming(false);
            void write.run(`Cancelling order #${row.id}`, [
              { address: config.contracts.orders, abi: sovrOrdersAbi, functionName: "cancelOrder", args: [row.id] },
            ]);
          }}
        >
          Nothing more will be charged. What was charged stays with the payee.
        </Confirm>
      )}
      <WriteStatus state={write.state} />
      {open && <OrderHistory orderId={row.id} />}
    </li>
  );
}

function OrderHistory({ orderId }: { orderId: bigint }) {
  const { live } = useApp();
  const periods = useLive(live, `order-periods:${orderId}`, (db) =>
    db.select().from(orderPeriodView).where(eq(orderPeriodView.orderId, orderId)).orderBy(orderPeriodView.period),
  );
  if (!periods.data) return <p className="text-xs text-gray-400">Loading…</p>;
  if (periods.data.length === 0) return <p className="text-xs text-gray-400">Nothing charged yet.</p>;
  return (
    <table className="w-full text-xs" data-testid={`order-${orderId}-periods`}>
      <thead className="text-left text-gray-400">
        <tr>
          <th className="py-1">Period</th>
          <th>Status</th>
          <th>Due</th>
          <th>Charged</th>
          <th className="text-right">Amount</th>
          <th>Refused</th>
        </tr>
      </thead>
      <tbody>
        {periods.data.map((period) => (
          <tr key={period.id} className="border-t border-gray-700">
            <td className="py-1">#{period.period.toString()}</td>
            <td>
              <Badge tone={PERIOD_TONE[period.status] ?? "gray"}>{period.status}</Badge>
            </td>
            <td>{dateTime(period.dueAt)}</td>
            <td>
              {period.chargedAt !== null ? dateTime(period.chargedAt) : period.retryAt !== null ? `retry ${dateTime(period.retryAt)}` : "-"}
            </td>
            <td className="text-right">{period.amount !== null ? formatDollars(period.amount) : "-"}</td>
            <td>{period.attempts > 0 ? `${period.attempts}× (${period.lastResult})` : ""}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

// ================================================================ plans

function NewPlan({ connected }: { connected: boolean }) {
  const { config } = useApp();
  const { address } = useViewer();
  const write = useWrite();
  const openIfMissing = useOpenIfMissing();
  const [fields, setFields] = useState({ name: "", price: "", every: "monthly", trial: "0" });
  const [errors, setErrors] = useState<Record<string, string>>({});
  const set = (name: keyof typeof fields) => (event: React.ChangeEvent<HTMLInputElement>) =>
    setFields((current) => ({ ...current, [name]: event.target.value }));

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const name = parsePlanName(fields.name);
    const price = parseDollars(fields.price);
    const every = parseInterval(fields.every);
    const trial = parseTrialDays(fields.trial);
    const next: Record<string, string> = {};
    if (!name.ok) next.name = name.error;
    if (!price.ok) next.price = price.error;
    if (!every.ok) next.every = every.error;
    if (!trial.ok) next.trial = trial.error;
    setErrors(next);
    if (!name.ok || !price.ok || !every.ok || !trial.ok) return;
    void write.run(`Publishing "${name.value}"`, async () => [
      ...(await openIfMissing(address)),
      {
        address: config.contracts.orders,
        abi: sovrOrdersAbi,
        functionName: "publishPlan",
        args: [primaryAccountId(address), price.value, every.value.every, unitIndex(every.value.unit), trial.value, name.value],
      },
    ]);
  };

  return (
    <Card title="New subscription plan" testId="new-plan">
      <form onSubmit={submit} className="grid grid-cols-2 gap-3" noValidate>
        <div className="col-span-2">
          <Field label="Name" error={errors.name} hint="Each charge's invoice carries it as its reference">
            <input className={inputClass} value={fields.name} onChange={set("name")} data-testid="plan-name" />
          </Field>
        </div>
        <Field label="Price (dollars)" error={errors.price}>
          <input className={inputClass} inputMode="decimal" value={fields.price} onChange={set("price")} data-testid="plan-price" />
        </Field>
        <Field label="Every" error={errors.every}>
          <input className={inputClass} value={fields.every} onChange={set("every")} data-testid="plan-every" />
        </Field>
        <Field label="Trial (days)" error={errors.trial}>
          <input className={inputClass} inputMode="numeric" value={fields.trial} onChange={set("trial")} data-testid="plan-trial" />
        </Field>
        <div className="col-span-2 flex items-center gap-3">
          <Button kind="primary" type="submit" disabled={!connected || write.busy} testId="plan-submit">
            Publish
          </Button>
          {!connected && <span className="text-xs text-gray-400">Connect a wallet to sign.</span>}
        </div>
        <div className="col-span-2">
          <WriteStatus state={write.state} testId="plan-status" />
        </div>
      </form>
    </Card>
  );
}

function PlanList({ plans, loading }: { plans: PlanRow[]; loading: boolean }) {
  return (
    <Card title="Your plans" testId="plans">
      {loading ? (
        <p className="text-sm text-gray-400">Loading…</p>
      ) : plans.length === 0 ? (
        <Empty>No plans yet: publish one, then share its subscribe link.</Empty>
      ) : (
        <ul className="flex flex-col divide-y divide-gray-700">
          {plans.map((plan) => (
            <PlanItem key={plan.id} plan={plan} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function PlanItem({ plan }: { plan: PlanRow }) {
  const { config } = useApp();
  const write = useWrite();
  const [copied, setCopied] = useState(false);
  const url = subscribeUrl(config.chainId, plan.id);
  return (
    <li className="flex flex-col gap-1 py-3 text-sm" data-testid={`plan-${plan.id}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="font-semibold">{plan.name}</span>
        <span>{priceText(plan.price, plan.every, plan.unit)}</span>
        {plan.trialDays > 0 && <Badge tone="blue">{plan.trialDays}-day trial</Badge>}
        {plan.retired && <Badge tone="gray">retired</Badge>}
        <span className="text-gray-400" data-testid={`plan-${plan.id}-subscriptions`}>
          {plan.activeSubscriptions} active subscription{plan.activeSubscriptions === 1 ? "" : "s"}
        </span>
      </div>
      <div className="flex flex-wrap items-center gap-2 text-xs">
        <a href={url} className="break-all font-mono text-sky-400 underline" data-testid={`plan-${plan.id}-link`}>
          {url}
        </a>
        <Button
          small
          onClick={() =>
            void navigator.clipboard.writeText(url).then(
              () => setCopied(true),
              () => setCopied(false),
            )
          }
        >
          {copied ? "Copied" : "Copy link"}
        </Button>
        {!plan.retired && (
          <Button
            small
            kind="danger"
            disabled={write.busy}
            onClick={() =>
              void write.run(`Retiring "${plan.name}"`, [
                { address: config.contracts.orders, abi: sovrOrdersAbi, functionName: "retirePlan", args: [plan.id] },
              ])
            }
          >
            Retire
          </Button>
        )}
      </div>
      <WriteStatus state={write.state} />
    </li>
  );
}

// ================================================================ commitments

type MilestoneDraft = { description: string; amount: string };

function NewCommitment({ connected }: { connected: boolean }) {
  const { config } = useApp();
  const { address } = useViewer();
  const write = useWrite();
  const openIfMissing = useOpenIfMissing();
  const [payee, setPayee] = useState("");
  const [arbiter, setArbiter] = useState("");
  const [deadline, setDeadline] = useState("");
  const [milestones, setMilestones] = useState<MilestoneDraft[]>([{ description: "", amount: "" }]);
  const [errors, setErrors] = useState<Record<string, string>>({});

  const setMilestone = (index: number, field: keyof MilestoneDraft, value: string) =>
    setMilestones((current) => current.map((m, i) => (i === index ? { ...m, [field]: value } : m)));

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const next: Record<string, string> = {};
    const payeeRef = parseAccountRef(payee);
    if (!payeeRef.ok) next.payee = payeeRef.error;
    else if (payeeRef.value.kind === "address" && payeeRef.value.address.toLowerCase() === address.toLowerCase())
      next.payee = "that is you; a commitment pays someone else";
    const arbiterRef = arbiter.trim() === "" ? undefined : parseAccountRef(arbiter);
    if (arbiterRef && (!arbiterRef.ok || arbiterRef.value.kind !== "address")) next.arbiter = "the arbiter is an address (0x…)";
    const due = parseDeadline(deadline);
    if (!due.ok) next.deadline = due.error;
    const parsed = milestones.map((m) => ({ description: parseMilestoneDescription(m.description), amount: parseDollars(m.amount) }));
    parsed.forEach((m, i) => {
      if (!m.description.ok) next[`description${i}`] = m.description.error;
      if (!m.amount.ok) next[`amount${i}`] = m.amount.error;
    });
    setErrors(next);
    if (Object.keys(next).length > 0 || !payeeRef.ok || !due.ok) return;
    const list = parsed.map((m) => ({
      description: m.description.ok ? m.description.value : "",
      amount: m.amount.ok ? m.amount.value : 0n,
    }));
    const total = list.reduce((sum, m) => sum + m.amount, 0n);
    const target = payeeCalls(payeeRef.value, openIfMissing);
    const arbiterAddress = arbiterRef?.ok && arbiterRef.value.kind === "address" ? arbiterRef.value.address : zeroAddress;
    void write.run(`Committing ${formatDollars(total)}`, async () => [
      ...(await target.before()),
      {
        address: config.contracts.commitments,
        abi: sovrCommitmentsAbi,
        functionName: "createCommitment",
        args: [target.accountId, arbiterAddress, due.value, list],
      },
    ]);
  };

  return (
    <Card title="New commitment" testId="new-commitment">
      <form onSubmit={submit} className="grid grid-cols-1 gap-3 md:grid-cols-3" noValidate>
        <Field label="Pay to (address or account id)" error={errors.payee}>
          <input className={inputClass} value={payee} onChange={(e) => setPayee(e.target.value)} data-testid="commitment-payee" />
        </Field>
        <Field
          label="Arbiter (optional address)"
          error={errors.arbiter}
          hint="May approve milestones and cancel, besides you and the payee"
        >
          <input className={inputClass} value={arbiter} onChange={(e) => setArbiter(e.target.value)} data-testid="commitment-arbiter" />
        </Field>
        <Field label="Deadline (YYYY-MM-DD, UTC)" error={errors.deadline} hint="What is still reserved then returns to you">
          <input className={inputClass} value={deadline} onChange={(e) => setDeadline(e.target.value)} data-testid="commitment-deadline" />
        </Field>
        <div className="md:col-span-3 flex flex-col gap-2">
          {milestones.map((m, index) => (
            // Drafts have no id; they are edited in place and removed from the end.
            // biome-ignore lint/suspicious/noArrayIndexKey: see above
            <div key={index} className="grid grid-cols-[1fr_10rem] gap-2">
              <Field label={`Milestone ${index + 1}`} error={errors[`description${index}`]}>
                <input
                  className={inputClass}
                  value={m.description}
                  onChange={(e) => setMilestone(index, "description", e.target.value)}
                  data-testid={`milestone-${index}-description`}
                />
              </Field>
              <Field label="Amount (dollars)" error={errors[`amount${index}`]}>
                <input
                  className={inputClass}
                  inputMode="decimal"
                  value={m.amount}
                  onChange={(e) => setMilestone(index, "amount", e.target.value)}
                  data-testid={`milestone-${index}-amount`}
                />
              </Field>
            </div>
          ))}
          <div className="flex gap-2">
            <Button
              small
              disabled={milestones.length >= COMMITMENT_LIMITS.MAX_MILESTONES}
              onClick={() => setMilestones([...milestones, { description: "", amount: "" }])}
            >
              Add a milestone
            </Button>
            {milestones.length > 1 && (
              <Button small onClick={() => setMilestones(milestones.slice(0, -1))}>
                Remove the last
              </Button>
            )}
          </div>
        </div>
        <div className="md:col-span-3 flex items-center gap-3">
          <Button kind="primary" type="submit" disabled={!connected || write.busy} testId="commitment-submit">
            Reserve and commit
          </Button>
          {!connected && <span className="text-xs text-gray-400">Connect a wallet to sign.</span>}
        </div>
        <div className="md:col-span-3">
          <WriteStatus state={write.state} testId="commitment-status" />
        </div>
      </form>
    </Card>
  );
}

function CommitmentList() {
  const { live } = useApp();
  const { address } = useViewer();
  const me = address.toLowerCase() as Address;
  const commitments = useLive(live, `commitments:${me}`, (db) =>
    db
      .select()
      .from(commitmentView)
      .where(or(eq(commitmentView.payer, me), eq(commitmentView.payee, me), eq(commitmentView.arbiter, me)))
      .orderBy(commitmentView.id),
  );
  const rows = [...(commitments.data ?? [])].reverse();
  return (
    <Card title="Commitments" testId="commitments">
      {!commitments.data ? (
        <p className="text-sm text-gray-400">Loading…</p>
      ) : rows.length === 0 ? (
        <Empty>No commitments yet.</Empty>
      ) : (
        <ul className="flex flex-col divide-y divide-gray-700">
          {rows.map((row) => (
            <CommitmentItem key={row.id.toString()} row={row} me={me} />
          ))}
        </ul>
      )}
    </Card>
  );
}

function CommitmentItem({ row, me }: { row: CommitmentRow; me: Address }) {
  const { config, live } = useApp();
  const now = useNow();
  const write = useWrite();
  const milestones = useLive(live, `milestones:${row.id}`, (db) =>
    db.select().from(milestoneView).where(eq(milestoneView.commitmentId, row.id)).orderBy(milestoneView.index),
  );
  const mayApprove = row.payer === me || row.arbiter === me;
  const mayCancel = row.payee === me || row.arbiter === me;
  const pastDeadline = now > Number(row.deadline);
  const paidShare = row.total === 0n ? 0 : Number((row.posted * 1000n) / row.total) / 10;
  const role = row.payer === me ? "you pay" : row.payee === me ? "paying you" : "you arbitrate";
  return (
    <li className="flex flex-col gap-2 py-3 text-sm" data-testid={`commitment-${row.id}`}>
      <div className="flex flex-wrap items-center gap-2">
        <span className="text-gray-400">#{row.id.toString()}</span>
        <Badge tone={COMMITMENT_TONE[row.status] ?? "gray"} testId={`commitment-${row.id}-status`}>
          {row.status}
        </Badge>
        <span className="font-semibold">{formatDollars(row.total)}</span>
        <span className="text-gray-400">{role}:</span>
        <Name address={row.payer === me ? row.payee : row.payer} />
        <span className="text-gray-400">deadline {dateTime(row.deadline)}</span>
      </div>
      <div className="flex items-center gap-2 text-xs">
        <div className="h-2 w-48 overflow-hidden rounded bg-gray-700">
          <div className="h-full bg-emerald-500" style={{ width: `${paidShare}%` }} />
        </div>
        <span data-testid={`commitment-${row.id}-progress`}>
          {row.approvedCount} of {row.milestoneCount} approved: {formatDollars(row.posted)} paid, {formatDollars(row.released)} released
        </span>
        {mayCancel && row.status === "Active" && (
          <Button
            small
            kind="danger"
            disabled={write.busy}
            onClick={() =>
              void write.run(`Cancelling commitment #${row.id}`, [
                { address: config.contracts.commitments, abi: sovrCommitmentsAbi, functionName: "cancelCommitment", args: [row.id] },
              ])
            }
          >
            Cancel
          </Button>
        )}
      </div>
      <ul className="flex flex-col gap-1 text-xs">
        {(milestones.data ?? []).map((m) => (
          <li key={m.id} className="flex items-center gap-2" data-testid={`milestone-${row.id}-${m.index}`}>
            <span className="w-6 text-gray-400">{m.index + 1}.</span>
            <span className="flex-1">{m.description}</span>
            <span>{formatDollars(m.amount)}</span>
            <Badge tone={MILESTONE_TONE[m.status] ?? "gray"}>{m.status === "Reserved" && pastDeadline ? "past deadline" : m.status}</Badge>
            {mayApprove && m.status === "Reserved" && row.status === "Active" && !pastDeadline && (
              <Button
                small
                kind="primary"
                disabled={write.busy}
                testId={`milestone-${row.id}-${m.index}-approve`}
                onClick={() =>
                  void write.run(`Approving milestone ${m.index + 1}`, [
                    {
                      address: config.contracts.commitments,
                      abi: sovrCommitmentsAbi,
                      functionName: "approveMilestone",
                      args: [row.id, m.index],
                    },
                  ])
                }
              >
                Approve and pay
              </Button>
            )}
          </li>
        ))}
      </ul>
      <WriteStatus state={write.state} />
    </li>
  );
}
