import type { Owner } from '../model/entities.js';
import { WorkingCalendar } from './calendar.js';

/**
 * Memoises each owner's working and on-call calendars, keyed by the owner object itself (a WeakMap), so
 * an engine that keeps its directory objects between plans expands RRULEs once. Pass one to `plan` to reuse it;
 * without one, each call makes its own. It is a cache, not state: results never depend on it.
 */
export class CalendarCache {
  private readonly byOwner = new WeakMap<Owner, { work: WorkingCalendar; onCall: WorkingCalendar | undefined }>();

  private entry(owner: Owner) {
    let entry = this.byOwner.get(owner);
    if (!entry) {
      entry = {
        work: new WorkingCalendar(owner.workingHours, owner.timeZone),
        onCall: owner.onCall.length ? new WorkingCalendar(owner.onCall, owner.timeZone) : undefined,
      };
      this.byOwner.set(owner, entry);
    }
    return entry;
  }

  /** The owner's working-hours calendar (always working when they have no windows). */
  working(owner: Owner): WorkingCalendar {
    return this.entry(owner).work;
  }

  /** The owner's on-call calendar, or undefined when they have no on-call windows. */
  onCall(owner: Owner): WorkingCalendar | undefined {
    return this.entry(owner).onCall;
  }
}
