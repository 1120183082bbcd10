// SPDX-License-Identifier: Apache-2.0
// One vital sign over time as a line chart (blood pressure: systolic and diastolic together).
// Recharts is heavy: this module is only loaded, on its own, by the vitals tab that shows it.
import { useTranslation } from 'react-i18next';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useLocale } from '@/lib/i18n';
import type { Vitals } from '../types';
import { measureLabel, measureUnit, type Series } from './labels';

export type ChartSeries = Series | 'blood_pressure';

const colours = { first: '#0b5cad', second: '#9a3412' };

export default function VitalsChart({ vitals, series }: { vitals: Vitals[]; series: ChartSeries }) {
  const { t } = useTranslation();
  const locale = useLocale();
  const keys: Series[] = series === 'blood_pressure' ? ['systolic_mmhg', 'diastolic_mmhg'] : [series];
  const points = vitals
    .filter((v) => keys.some((k) => v[k] !== null))
    .map((v) => ({ at: Date.parse(v.taken_at), ...Object.fromEntries(keys.map((k) => [k, v[k]])) }));
  const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
  const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const number = new Intl.NumberFormat(locale, { maximumFractionDigits: 2 });
  const unit = measureUnit(t, keys[0]!);

  return (
    <ResponsiveContainer width="100%" height={300}>
      <LineChart data={points} margin={{ top: 12, right: 24, bottom: 8, left: 8 }}>
        <CartesianGrid stroke="#c9d2dc" strokeDasharray="3 3" />
        <XAxis
          dataKey="at"
          type="number"
          scale="time"
          domain={['dataMin', 'dataMax']}
          tickFormatter={(v: number) => date.format(v)}
          stroke="#4d5b6b"
        />
        <YAxis
          domain={['auto', 'auto']}
          tickFormatter={(v: number) => number.format(v)}
          stroke="#4d5b6b"
          label={{ value: unit, angle: -90, position: 'insideLeft', fill: '#4d5b6b' }}
        />
        <Tooltip
          labelFormatter={(v) => dateTime.format(Number(v))}
          formatter={(value, name) => [`${number.format(Number(value))} ${unit}`, name]}
        />
        {keys.length > 1 && <Legend />}
        {keys.map((k, i) => (
          <Line
            key={k}
            type="monotone"
            dataKey={k}
            name={measureLabel(t, k)}
            stroke={i === 0 ? colours.first : colours.second}
            strokeWidth={2}
            dot={{ r: 3 }}
            connectNulls
            isAnimationActive={false}
          />
        ))}
      </LineChart>
    </ResponsiveContainer>
  );
}
