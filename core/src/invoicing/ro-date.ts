// One formatter for the process: building an Intl formatter per call costs ~40x the formatting.
const BUCHAREST_DAY = new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Bucharest' });

/** The calendar day in Romania (an invoice issued at 00:30 local time on the 2nd is dated the 2nd). */
export const localDate = (d: Date): string => BUCHAREST_DAY.format(d);
