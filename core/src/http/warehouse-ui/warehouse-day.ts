/** Calendar days as the warehouse counts them (the filters of the movement and return screens). */

export const DAY = /^(\d{4})-(\d{2})-(\d{2})$/;
export const WAREHOUSE_TZ = 'Europe/Bucharest';

/**
 * Midnight of a calendar day in the warehouse's time zone, as an instant. The offset is read at
 * 00:00 UTC of that day: Romania changes its clocks at 01:00 UTC, so that is the offset in force at
 * local midnight on every day of the year, DST days included.
 */
export function warehouseMidnight(day: string): Date | null {
  const m = DAY.exec(day);
  if (!m) return null;
  const utc = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const d = new Date(utc);
  if (d.getUTCFullYear() !== Number(m[1]) || d.getUTCMonth() !== Number(m[2]) - 1 || d.getUTCDate() !== Number(m[3])) return null;
  const name = new Intl.DateTimeFormat('en-US', { timeZone: WAREHOUSE_TZ, timeZoneName: 'longOffset' }).formatToParts(d).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const o = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  const offsetMin = o ? (o[1] === '-' ? -1 : 1) * (Number(o[2]) * 60 + Number(o[3])) : 0;
  return new Date(utc - offsetMin * 60_000);
}

/** The day after the given one, as YYYY-MM-DD ("to" names a whole day). */
export function dayAfter(d: Date): string {
  return new Date(d.getTime() + 36 * 3_600_000).toISOString().slice(0, 10);
}
