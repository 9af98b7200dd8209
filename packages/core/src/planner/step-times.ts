import type { EscalationPolicy } from '../escalation/policy.js';
import { MINUTE } from '../model/primitives.js';
import type { WorkingCalendar } from '../schedule/calendar.js';

/** Everything that places a task's steps in time. */
export interface StepTimeInput {
  policy: EscalationPolicy;
  deadline: number;
  openedAt: number;
  /** Whether the whole milestone is critical (bypasses working hours). */
  critical: boolean;
  /** Calendar of each step's recipient, by step index. */
  calendarOf: (stepIndex: number) => WorkingCalendar;
}

/**
 * When each step of a task fires, in epoch milliseconds, never decreasing:
 * - a step's nominal time is deadline + offset, but never before the task opened (late start: steps already past
 *   all land on the opening instant, and only the most urgent of them fires);
 * - a non-critical step moves forward to the recipient's next working instant; a pre-deadline step that would
 *   thereby reach the deadline moves back to the recipient's last working minute before it instead;
 * - critical steps keep their nominal time;
 * - a step that working hours deferred, and that would land in the same working window as the next step to the same
 *   recipient (or within the digest window of it), merges into that next step: the more urgent message, listing the
 *   same open items, replaces it — so a notice pushed past a weekend does not arrive an hour before the reminder.
 */
export function stepTimes(input: StepTimeInput): number[] {
  const { policy, deadline, openedAt } = input;
  const times: number[] = [];
  const deferred: boolean[] = [];
  let previous = -Infinity;
  policy.steps.forEach((step, index) => {
    const nominal = Math.max(deadline + step.offsetMinutes * MINUTE, openedAt);
    let time = nominal;
    if (!(step.critical || input.critical)) {
      const calendar = input.calendarOf(index);
      time = workingTime(calendar, nominal, deadline, openedAt);
      if (time < previous) {
        // Never before the step before it — and still inside this recipient's own working time.
        time = workingTime(calendar, previous, nominal < deadline ? deadline : -Infinity, previous);
      }
    }
    // Critical steps keep their nominal instant: they bypass working hours and are never held behind a deferred step.
    deferred.push(time > nominal);
    times.push(time);
    previous = Math.max(previous, time);
  });
  const digestMs = policy.digestWindowMinutes * MINUTE;
  for (let i = times.length - 2; i >= 0; i--) {
    const step = policy.steps[i]!;
    const next = policy.steps[i + 1]!;
    if (step.critical || next.critical || input.critical || times[i] === times[i + 1]) continue;
    const calendar = input.calendarOf(i);
    if (calendar !== input.calendarOf(i + 1)) continue;
    // A step before the deadline never merges into one at or after it: the owner must hear before the deadline.
    if (times[i]! < deadline && times[i + 1]! >= deadline) continue;
    const gap = times[i + 1]! - times[i]!;
    const sameWindow = deferred[i] && !calendar.alwaysOn && times[i + 1]! < (calendar.windowEndAt(times[i]!) ?? -Infinity);
    if (sameWindow || gap < digestMs) times[i] = times[i + 1]!;
  }
  return times;
}

/**
 * The recipient's next working instant at or after `at`; when that would reach `deadline` although `at` is before
 * it, their last working minute before the deadline (not before `notBefore`) instead.
 */
function workingTime(calendar: WorkingCalendar, at: number, deadline: number, notBefore: number): number {
  const next = calendar.nextWorkingInstant(at);
  if (at < deadline && (next === undefined || next >= deadline)) {
    const last = calendar.latestWorkingInstantBefore(deadline, notBefore);
    if (last !== undefined) return last;
  }
  return next ?? at;
}
