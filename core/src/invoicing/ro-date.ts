// One formatter for the process: building an Intl formatter per call costs ~40x the formatting. Built
// at the first call, not at start: the time-zone and locale data it pages in (~12 MiB of the node
// binary's ICU data) are not needed to take orders in.
let bucharestDay: Intl.DateTimeFormat | undefined;

/** The calendar day in Romania (an invoice issued at 00:30 local time on the 2nd is dated the 2nd). */
export function localDate(d: Date): string {
  bucharestDay ??= new Intl.DateTimeFormat('sv-SE', { timeZone: 'Europe/Bucharest' });
  return bucharestDay.format(d);
}
