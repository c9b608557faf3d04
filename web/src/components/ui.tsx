import { capitalized } from "@sovr/contracts";
import { type ReactNode, useContext } from "react";
import { explorerLink } from "../lib/chain.ts";
import { AppContext } from "../lib/context.tsx";
import { navigate } from "../lib/router.ts";
import type { WriteState } from "../lib/write.ts";

export function Card({
  title,
  actions,
  children,
  testId,
  id,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  testId?: string;
  /** An anchor for links to this card (`#new-invoice`). */
  id?: string;
}) {
  return (
    <section id={id} className="rounded-lg border border-gray-700 bg-gray-800/60 p-4" data-testid={testId}>
      {(title || actions) && (
        <header className="mb-3 flex items-center justify-between gap-2">
          <h2 className="text-sm font-semibold uppercase tracking-wide text-gray-300">{title}</h2>
          <div className="flex gap-2">{actions}</div>
        </header>
      )}
      {children}
    </section>
  );
}

const TONES = {
  green: "bg-emerald-500/15 text-emerald-300 ring-emerald-500/40",
  yellow: "bg-amber-500/15 text-amber-300 ring-amber-500/40",
  red: "bg-red-500/15 text-red-300 ring-red-500/40",
  blue: "bg-sky-500/15 text-sky-300 ring-sky-500/40",
  gray: "bg-gray-500/15 text-gray-300 ring-gray-500/40",
  purple: "bg-fuchsia-500/15 text-fuchsia-300 ring-fuchsia-500/40",
} as const;
export type Tone = keyof typeof TONES;

export function Badge({ tone, children, testId }: { tone: Tone; children: ReactNode; testId?: string }) {
  return (
    <span
      data-testid={testId}
      className={`inline-flex items-center rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]}`}
    >
      {children}
    </span>
  );
}

export const STATUS_TONE: Record<string, Tone> = { ONLINE: "green", DEGRADED: "yellow", OFFLINE: "red", STOPPED: "gray", UNKNOWN: "blue" };
export const SEVERITY_TONE: Record<string, Tone> = { INFO: "blue", WARNING: "yellow", ERROR: "red", CRITICAL: "purple" };
export const LEVEL_TONE: Record<string, Tone> = { LOW: "blue", MEDIUM: "yellow", HIGH: "red", CRITICAL: "purple" };

type ButtonProps = {
  children: ReactNode;
  onClick?: () => void;
  kind?: "primary" | "danger" | "plain";
  disabled?: boolean;
  type?: "button" | "submit";
  testId?: string;
  small?: boolean;
  /** Shown on hover: why the button is disabled. */
  title?: string | undefined;
};

export function Button({ children, onClick, kind = "plain", disabled, type = "button", testId, small, title }: ButtonProps) {
  const colour =
    kind === "primary"
      ? "bg-sky-600 hover:bg-sky-500 text-white"
      : kind === "danger"
        ? "bg-red-700 hover:bg-red-600 text-white"
        : "bg-gray-700 hover:bg-gray-600 text-gray-100";
  return (
    <button
      type={type}
      onClick={onClick}
      disabled={disabled}
      data-testid={testId}
      title={title}
      className={`${colour} ${small ? "px-2 py-1 text-xs" : "px-3 py-1.5 text-sm"} rounded font-medium disabled:cursor-not-allowed disabled:opacity-50`}
    >
      {children}
    </button>
  );
}

export function Field({ label, error, children, hint }: { label: string; error?: string | undefined; hint?: string; children: ReactNode }) {
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="text-gray-400">{label}</span>
      {children}
      {hint && !error && <span className="text-xs text-gray-500">{hint}</span>}
      {error && (
        <span role="alert" className="text-xs text-red-400">
          {capitalized(error)}
        </span>
      )}
    </label>
  );
}

export const inputClass =
  "rounded border border-gray-600 bg-gray-900 px-2 py-1.5 text-sm text-gray-100 placeholder-gray-500 focus:border-sky-500 focus:outline-none";

export function Empty({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div data-testid={testId} className="rounded border border-dashed border-gray-600 p-4 text-sm text-gray-400">
      {children}
    </div>
  );
}

const STAGE_TEXT: Record<WriteState["stage"], string> = {
  idle: "",
  preparing: "Preparing…",
  signing: "Waiting for your signature in the wallet…",
  pending: "Sent; waiting for a block…",
  confirmed: "Confirmed on-chain; waiting for the indexer…",
  indexed: "Done: confirmed and indexed.",
  failed: "",
};

/** A write's progress or its error in plain words, right under the form that started it. */
export function WriteStatus({ state, testId }: { state: WriteState; testId?: string }) {
  if (state.stage === "idle") return null;
  const tone = state.stage === "failed" ? "text-red-400" : state.stage === "indexed" ? "text-emerald-400" : "text-amber-300";
  return (
    <div
      data-testid={testId ?? "write-status"}
      data-stage={state.stage}
      role={state.stage === "failed" ? "alert" : "status"}
      className={`mt-2 text-sm ${tone}`}
    >
      <span className="font-medium">{state.label}: </span>
      {state.stage === "failed" ? state.error : STAGE_TEXT[state.stage]}
      {state.hash && (
        <>
          {" "}
          <TxLink hash={state.hash} />
        </>
      )}
    </div>
  );
}

/** A transaction: its events in the audit trail, and its page on the chain's explorer when there is one. */
export function TxLink({ hash }: { hash: string }) {
  // Optional: a write status can show outside the app's provider (its own tests, the pay page).
  const config = useContext(AppContext)?.config;
  const explorer = config && explorerLink(config, "tx", hash);
  return (
    <span className="inline-flex items-baseline gap-1.5">
      <a
        href={`/audit?tx=${hash}`}
        onClick={(event) => {
          event.preventDefault();
          navigate(`/audit?tx=${hash}`);
        }}
        className="font-mono text-xs text-sky-400 underline-offset-2 hover:underline"
        title={hash}
      >
        tx {hash.slice(0, 10)}…
      </a>
      {explorer && (
        <a href={explorer} target="_blank" rel="noreferrer" className="text-xs text-gray-400 hover:underline" data-testid="explorer-link">
          explorer ↗
        </a>
      )}
    </span>
  );
}

/** A confirmation that says exactly what will happen before the wallet is asked. */
export function Confirm({
  title,
  children,
  confirmLabel,
  onConfirm,
  onCancel,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
}) {
  return (
    <div className="fixed inset-0 z-50 flex items-center justify-center bg-black/60" role="dialog" aria-modal="true" aria-label={title}>
      <div className="w-full max-w-md rounded-lg border border-gray-600 bg-gray-800 p-5 shadow-xl">
        <h3 className="mb-2 text-lg font-semibold">{title}</h3>
        <div className="mb-4 text-sm text-gray-300">{children}</div>
        <div className="flex justify-end gap-2">
          <Button onClick={onCancel}>Cancel</Button>
          <Button kind="danger" onClick={onConfirm} testId="confirm">
            {confirmLabel}
          </Button>
        </div>
      </div>
    </div>
  );
}

export function shortAddress(address: string): string {
  return `${address.slice(0, 6)}…${address.slice(-4)}`;
}

export function timeAgo(unixSeconds: number | bigint, now = Date.now() / 1000): string {
  const seconds = Math.max(0, Math.round(now - Number(unixSeconds)));
  if (seconds < 60) return `${seconds}s ago`;
  if (seconds < 3600) return `${Math.floor(seconds / 60)}m ago`;
  if (seconds < 86_400) return `${Math.floor(seconds / 3600)}h ago`;
  return `${Math.floor(seconds / 86_400)}d ago`;
}

export function dateTime(unixSeconds: number | bigint): string {
  return `${new Date(Number(unixSeconds) * 1000).toISOString().replace("T", " ").slice(0, 19)} UTC`;
}
