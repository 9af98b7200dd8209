/**
 * Formats instants for people: `Mon 23 Nov 10:00 CST` in the reader's own zone. Built on `Intl` parts only, so
 * the text does not depend on the process's time zone or locale settings.
 */
export class LocalTimeFormat {
  private readonly formats = new Map<string, Intl.DateTimeFormat>();

  /** `Mon 23 Nov 10:00 CST` in `zone`. */
  format(instant: number | string, zone: string): string {
    let format = this.formats.get(zone);
    if (!format) {
      format = new Intl.DateTimeFormat('en-US', { timeZone: zone, weekday: 'short', day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short' });
      this.formats.set(zone, format);
    }
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(typeof instant === 'string' ? Date.parse(instant) : instant)) parts[part.type] = part.value;
    return `${parts.weekday} ${parts.day} ${parts.month} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
  }
}

/** `YYYY-MM-DD` of an instant in UTC. */
export function isoDate(instant: number): string {
  return new Date(instant).toISOString().slice(0, 10);
}

/** Groups thousands with commas (`1,500`), independent of locale data. */
export function grouped(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
