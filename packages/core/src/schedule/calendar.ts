import type { WorkingWindow } from '../model/entities.js';
import { DAY } from '../model/primitives.js';
import { RRule, type RRuleOptions } from './rrule.js';
import { type WallMillis, ZoneClock, minutesOfDay, minutes } from './time-zone.js';

/** A half-open interval of instants `[start, end)` in epoch milliseconds. */
export interface Interval {
  start: number;
  end: number;
}

const CHUNK = 28 * DAY;
/** How far ahead (or back) a search for working time looks before giving up. */
const SEARCH_LIMIT = 400 * DAY;
/** Anchor for rules whose phase matters (INTERVAL > 1, COUNT): Monday 1 January 2024, local. */
const DEFAULT_ANCHOR: WallMillis = Date.UTC(2024, 0, 1);

interface CompiledWindow {
  options: Partial<RRuleOptions>;
  startMinutes: number;
  durationMs: number;
  /** Whether dtstart can move to each chunk without changing the occurrences (INTERVAL=1, no COUNT/UNTIL). */
  phaseFree: boolean;
}

/**
 * Working (or on-call) time of one person: recurring windows in their IANA time zone, expanded lazily in
 * 28-day chunks and memoised inside this object. Create one per owner and reuse it across plans; it holds no
 * global state. An empty window list means "always working".
 */
export class WorkingCalendar {
  readonly timeZone: string;
  readonly alwaysOn: boolean;
  private readonly clock: ZoneClock;
  private readonly windows: CompiledWindow[];
  private readonly chunks = new Map<number, Interval[]>();

  constructor(windows: readonly WorkingWindow[], timeZone: string) {
    this.timeZone = timeZone;
    this.alwaysOn = windows.length === 0;
    this.clock = new ZoneClock(timeZone);
    this.windows = windows.map((w) => {
      const options = RRule.parseString(w.rrule.replace(/^RRULE:/, ''));
      const phaseFree = (options.interval ?? 1) === 1 && options.count == null && options.until == null;
      return { options, startMinutes: minutesOfDay(w.start), durationMs: minutes(w.durationMinutes), phaseFree };
    });
  }

  /** Windows (instants) overlapping the wall-clock chunk `index` (each chunk is 28 local days). */
  private chunk(index: number): Interval[] {
    const cached = this.chunks.get(index);
    if (cached) return cached;
    const from = index * CHUNK;
    const to = from + CHUNK;
    const intervals: Interval[] = [];
    for (const w of this.windows) {
      const dtstart = new Date((w.phaseFree ? from : DEFAULT_ANCHOR) + minutes(w.startMinutes));
      const rule = new RRule({ ...w.options, dtstart, tzid: null });
      for (const occurrence of rule.between(new Date(from), new Date(to - 1), true)) {
        const start = this.clock.fromWall(occurrence.getTime());
        // The end is wall-clock start + duration, so an 8-hour shift stays 8 local hours across DST.
        const end = this.clock.fromWall(occurrence.getTime() + w.durationMs);
        if (end > start) intervals.push({ start, end });
      }
    }
    intervals.sort((a, b) => a.start - b.start || a.end - b.end);
    this.chunks.set(index, intervals);
    return intervals;
  }

  /** Windows whose start lies in wall chunks around `instant`, walking forward (`step` 1) or back (−1). */
  private *walk(instant: number, step: 1 | -1): Generator<Interval> {
    const wall = this.clock.toWall(instant);
    // Start one chunk back so windows begun in the previous chunk that still run are seen.
    let index = Math.floor(wall / CHUNK) - step;
    const limit = Math.ceil(SEARCH_LIMIT / CHUNK) + 2;
    for (let n = 0; n < limit; n++, index += step) {
      const intervals = this.chunk(index);
      if (step === 1) yield* intervals;
      else for (let i = intervals.length - 1; i >= 0; i--) yield intervals[i]!;
    }
  }

  /** Whether `instant` lies inside a working window. */
  isWorking(instant: number): boolean {
    if (this.alwaysOn) return true;
    for (const w of this.walk(instant, 1)) {
      if (w.start > instant) return false;
      if (w.end > instant) return true;
    }
    return false;
  }

  /** The end of the working window containing `instant`, or undefined when it lies outside working time (Infinity when always working). */
  windowEndAt(instant: number): number | undefined {
    if (this.alwaysOn) return Infinity;
    let end: number | undefined;
    for (const w of this.walk(instant, 1)) {
      if (w.start > instant) break;
      if (w.end > instant) end = Math.max(end ?? w.end, w.end);
    }
    return end;
  }

  /** The first working instant at or after `instant`, or undefined when there is none within 400 days. */
  nextWorkingInstant(instant: number): number | undefined {
    if (this.alwaysOn) return instant;
    for (const w of this.walk(instant, 1)) {
      if (w.end > instant) return Math.max(w.start, instant);
    }
    return undefined;
  }

  /**
   * The latest working instant strictly before `before` and at or after `notBefore`, on a minute boundary
   * when possible (one minute before the window closes or the deadline comes); undefined when there is none.
   */
  latestWorkingInstantBefore(before: number, notBefore: number): number | undefined {
    if (this.alwaysOn) return before - 60_000 >= notBefore ? before - 60_000 : notBefore < before ? notBefore : undefined;
    let best: number | undefined;
    for (const w of this.walk(before, -1)) {
      if (w.end <= notBefore) {
        if (w.start < notBefore - DAY * 2) break;
        continue;
      }
      if (w.start >= before) continue;
      const last = Math.min(w.end, before) - 60_000;
      const candidate = Math.max(last, w.start, notBefore);
      if (candidate < before && (best === undefined || candidate > best)) best = candidate;
      if (best !== undefined && w.end < best - 14 * DAY) break;
    }
    return best;
  }
}
