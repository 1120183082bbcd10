// SPDX-License-Identifier: Apache-2.0
// Bars of amounts (euros) per category: practitioners, payment methods or months. Recharts is
// loaded with this module only, by the statistics screen.
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useLocale } from '@/lib/i18n';
import { formatMoney } from '../types';

export interface StatsBar {
  name: string;
  [series: string]: string | number;
}

const colours = ['#0b5cad', '#1d6b35', '#9a3412'];

export default function StatsChart({
  data,
  series,
}: {
  data: StatsBar[];
  /** dataKey → legend label; values are cents. */
  series: { key: string; label: string }[];
}) {
  const locale = useLocale();
  const euros = new Intl.NumberFormat(locale, { style: 'currency', currency: 'EUR', maximumFractionDigits: 0 });
  return (
    <ResponsiveContainer width="100%" height={300}>
      <BarChart data={data} margin={{ top: 12, right: 24, bottom: 8, left: 16 }}>
        <CartesianGrid stroke="#c9d2dc" strokeDasharray="3 3" />
        <XAxis dataKey="name" stroke="#4d5b6b" />
        <YAxis tickFormatter={(v: number) => euros.format(v / 100)} stroke="#4d5b6b" width={80} />
        <Tooltip formatter={(v) => formatMoney(Number(v), locale)} />
        <Legend />
        {series.map((s, i) => (
          <Bar
            key={s.key}
            dataKey={s.key}
            name={s.label}
            fill={colours[i % colours.length]}
            isAnimationActive={false}
          />
        ))}
      </BarChart>
    </ResponsiveContainer>
  );
}
