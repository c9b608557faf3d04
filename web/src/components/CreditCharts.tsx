import { dollarsNumber } from "@sovr/contracts";
import { Bar, BarChart, CartesianGrid, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import type { dailyStatView } from "../live/schema.ts";
import { Card, Empty } from "./ui.tsx";

type DayRow = typeof dailyStatView.$inferSelect;

const axis = { stroke: "#9ca3af", fontSize: 11 };
const tooltip = {
  contentStyle: { background: "#1f2937", border: "1px solid #374151" },
  formatter: (value: unknown) => `$${Number(value).toLocaleString("en-US", { minimumFractionDigits: 2 })}`,
};

/** Daily volume and credit outstanding at each day's end, from the indexer's daily aggregates. */
export default function CreditCharts({ days }: { days: DayRow[] }) {
  if (days.length === 0) {
    return <Empty>No activity yet: the charts fill in day by day as credit is issued and payments settle.</Empty>;
  }
  const data = days.map((day) => ({
    day: new Date(Number(day.day) * 1000).toISOString().slice(5, 10),
    volume: dollarsNumber(day.volume),
    outstanding: dollarsNumber(day.outstanding),
    creditUsed: dollarsNumber(day.creditUsed),
  }));
  return (
    <div className="grid grid-cols-1 gap-6 lg:grid-cols-2" data-testid="credit-charts">
      <Card title="Daily volume">
        <ResponsiveContainer width="100%" height={220}>
          <BarChart data={data}>
            <CartesianGrid stroke="#374151" strokeDasharray="3 3" />
            <XAxis dataKey="day" {...axis} />
            <YAxis {...axis} />
            <Tooltip {...tooltip} />
            <Bar dataKey="volume" name="Volume" fill="#38bdf8" maxBarSize={48} isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </Card>
      <Card title="Outstanding credit">
        <ResponsiveContainer width="100%" height={220}>
          <LineChart data={data}>
            <CartesianGrid stroke="#374151" strokeDasharray="3 3" />
            <XAxis dataKey="day" {...axis} />
            <YAxis {...axis} />
            <Tooltip {...tooltip} />
            <Line dataKey="outstanding" name="Issued, outstanding" stroke="#34d399" dot isAnimationActive={false} />
            <Line dataKey="creditUsed" name="Credit lines used" stroke="#fbbf24" dot isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </Card>
    </div>
  );
}
