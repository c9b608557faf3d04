/**
 * `/subscribe/<chainId>/<planId>`: a plan as a subscriber sees it, on a phone first. Readable without a wallet
 * (who is paid, the price and interval, the trial); then connect any EIP-6963 wallet and subscribe with one
 * signature: a standing order at the plan's price, charged now (or when the trial ends) and every period after,
 * each charge with a paid invoice. The subscriber sees every charge live and cancels here at any time.
 */
import { and, eq } from "@ponder/client";
import { formatDollars, primaryAccountId, sovrOrdersAbi } from "@sovr/contracts";
import { useState } from "react";
import type { Address } from "viem";
import { useAccount } from "wagmi";
import { Badge, Button, Card, Confirm, dateTime, WriteStatus } from "../components/ui.tsx";
import { WalletButton } from "../components/Wallet.tsx";
import { useApp } from "../lib/context.tsx";
import { type OrderRow, type PlanRow, priceText } from "../lib/orders.ts";
import { useWrite } from "../lib/write.ts";
import { useLive } from "../live/live.ts";
import { accountView, labelView, orderPeriodView, planView, standingOrderView } from "../live/schema.ts";

export default function SubscribePage({ chainId, planId }: { chainId: number; planId: number }) {
  const { config, live } = useApp();
  const plan = useLive(live, `subscribe-plan:${planId}`, (db) => db.select().from(planView).where(eq(planView.id, planId)));
  if (chainId !== config.chainId) {
    return (
      <Notice>
        This link is for a plan on chain {chainId}; this server serves chain {config.chainId} ({config.chainName}). Ask for the payee's
        link.
      </Notice>
    );
  }
  if (!plan.data) return <p className="p-6 text-sm text-gray-400">Loading plan #{planId}…</p>;
  const row = plan.data[0];
  if (!row) return <Notice>There is no plan #{planId} (yet). Check the link, or wait a moment if it was just published.</Notice>;
  return <Plan plan={row} />;
}

function Notice({ children }: { children: React.ReactNode }) {
  return (
    <div className="mx-auto max-w-md p-6 text-sm text-gray-300" role="alert">
      {children}
    </div>
  );
}

function Plan({ plan }: { plan: PlanRow }) {
  const { live } = useApp();
  const { address, isConnected } = useAccount();
  const label = useLive(live, `subscribe-label:${plan.payee}`, (db) =>
    db.select().from(labelView).where(eq(labelView.subject, plan.payee)),
  );
  const payeeName = label.data?.[0]?.label;
  return (
    <div className="mx-auto flex max-w-md flex-col gap-4 p-4" data-testid="subscribe-page">
      <Card testId="subscribe-plan">
        <p className="text-xs uppercase tracking-wide text-gray-400">Subscription from</p>
        <h2 className="text-xl font-semibold text-gray-100" data-testid="plan-payee">
          {payeeName ?? <span className="break-all font-mono text-base">{plan.payee}</span>}
        </h2>
        <p className="mt-3 text-lg text-gray-200" data-testid="plan-title">
          {plan.name}
        </p>
        <p className="text-3xl font-bold text-white" data-testid="plan-price">
          {priceText(plan.price, plan.every, plan.unit)}
        </p>
        <p className="mt-2 text-sm text-gray-300">
          {plan.trialDays > 0
            ? `Free for ${plan.trialDays} day${plan.trialDays === 1 ? "" : "s"}, then charged every period until you cancel.`
            : "Charged now, then every period until you cancel."}{" "}
          Each charge is a paid invoice on your statement; nothing is ever charged above the price you accept.
        </p>
        {plan.retired && (
          <p className="mt-2 text-sm text-amber-300" role="alert">
            This plan takes no new subscriptions.
          </p>
        )}
      </Card>
      {!isConnected || !address ? (
        <Card title="Subscribe">
          <div className="flex flex-col gap-2 text-sm text-gray-300">
            <p>Connect your wallet to subscribe from your SOVR account.</p>
            <WalletButton />
          </div>
        </Card>
      ) : (
        <Subscription plan={plan} subscriber={address} />
      )}
    </div>
  );
}

function Subscription({ plan, subscriber }: { plan: PlanRow; subscriber: Address }) {
  const { live } = useApp();
  const me = subscriber.toLowerCase() as Address;
  const orders = useLive(live, `subscriptions:${plan.id}:${me}`, (db) =>
    db
      .select()
      .from(standingOrderView)
      .where(and(eq(standingOrderView.planId, plan.id), eq(standingOrderView.payer, me)))
      .orderBy(standingOrderView.id),
  );
  if (!orders.data) return <p className="text-sm text-gray-400">Reading your subscriptions…</p>;
  const active = orders.data.some((order) => order.status === "Active");
  // Newest first, each keeping its place (and its write's status) when it is cancelled.
  return (
    <>
      <SubscribeForm plan={plan} subscriber={subscriber} subscribed={active} />
      {[...orders.data].reverse().map((order) => (
        <Subscribed key={order.id.toString()} order={order} />
      ))}
    </>
  );
}

/** Subscribing, and its status: the form stays while its write finishes, the button only while not subscribed. */
function SubscribeForm({ plan, subscriber, subscribed }: { plan: PlanRow; subscriber: Address; subscribed: boolean }) {
  const { config, live } = useApp();
  const write = useWrite();
  const id = primaryAccountId(subscriber);
  const account = useLive(live, `subscriber-account:${id}`, (db) => db.select().from(accountView).where(eq(accountView.id, id)));
  const row = account.data?.[0];
  const own = row ? row.creditsPosted - row.debitsPosted - row.debitsPending : 0n;
  const short = plan.trialDays === 0 && own < plan.price;
  if (plan.retired || (subscribed && write.state.stage === "idle")) return null;
  return (
    <Card title="Subscribe" testId="subscribe-form">
      <div className="flex flex-col gap-3 text-sm text-gray-300">
        {!subscribed && <p data-testid="subscriber-funds">Your SOVR account can spend {formatDollars(own > 0n ? own : 0n)}.</p>}
        {short && !subscribed && (
          <p className="text-amber-300" role="alert" data-testid="subscribe-shortfall">
            {formatDollars(plan.price - (own > 0n ? own : 0n))} is missing for the first charge; the payee (or the owner) can send you SOVR
            or grant you a credit line.
          </p>
        )}
        {!subscribed && (
          <Button
            kind="primary"
            disabled={write.busy}
            testId="subscribe-button"
            onClick={() =>
              void write.run(`Subscribing to ${plan.name}`, [
                { address: config.contracts.orders, abi: sovrOrdersAbi, functionName: "subscribe", args: [plan.id, plan.price] },
              ])
            }
          >
            Subscribe for {priceText(plan.price, plan.every, plan.unit)}
          </Button>
        )}
        <WriteStatus state={write.state} testId="subscribe-status" />
      </div>
    </Card>
  );
}

/** A subscription: its next charge, every charge so far, and the way out. */
function Subscribed({ order }: { order: OrderRow }) {
  const { config, live } = useApp();
  const write = useWrite();
  const [confirming, setConfirming] = useState(false);
  const charges = useLive(live, `subscription-charges:${order.id}`, (db) =>
    db.select().from(orderPeriodView).where(eq(orderPeriodView.orderId, order.id)).orderBy(orderPeriodView.period),
  );
  const active = order.status === "Active";
  return (
    <Card title={`Subscription #${order.id}`} testId={`subscription-${order.id}`}>
      <div className="flex flex-col gap-2 text-sm">
        <div className="flex flex-wrap items-center gap-2">
          <Badge tone={active ? "green" : "gray"} testId="subscription-status">
            {active ? "Active" : order.status}
          </Badge>
          <span data-testid="subscription-charged">
            {order.chargedCount} charge{order.chargedCount === 1 ? "" : "s"}, {formatDollars(order.chargedTotal)}
          </span>
        </div>
        {active && order.nextChargeAt !== null && (
          <p className="text-gray-300" data-testid="subscription-next">
            Next charge {dateTime(order.nextChargeAt)}
            {order.chargedCount === 0 && order.startAt > order.createdAt ? " (when the trial ends)" : ""}
          </p>
        )}
        <ul className="text-xs text-gray-400" data-testid="subscription-charges">
          {(charges.data ?? []).map((charge) => (
            <li key={charge.id}>
              {charge.status === "Charged"
                ? `${formatDollars(charge.amount ?? 0n)} charged ${dateTime(charge.chargedAt ?? charge.dueAt)}`
                : `${charge.status === "Missed" ? "missed" : "refused, retried"}: ${charge.lastResult}`}
            </li>
          ))}
        </ul>
        {active && (
          <Button kind="danger" disabled={write.busy} onClick={() => setConfirming(true)} testId="unsubscribe-button">
            Cancel subscription
          </Button>
        )}
        {confirming && (
          <Confirm
            title="Cancel this subscription?"
            confirmLabel="Cancel it"
            onCancel={() => setConfirming(false)}
            onConfirm={() => {
              setConfirming(false);
              void write.run("Cancelling the subscription", [
                { address: config.contracts.orders, abi: sovrOrdersAbi, functionName: "cancelOrder", args: [order.id] },
              ]);
            }}
          >
            Nothing more will be charged. What was charged stays paid.
          </Confirm>
        )}
        <WriteStatus state={write.state} testId="unsubscribe-status" />
      </div>
    </Card>
  );
}
