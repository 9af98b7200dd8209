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
      const next = calendar.nextWorkingInstant(nominal);
      time = next ?? nominal;
      if (nominal < deadline && (next === undefined || next >= deadline)) {
        const last = calendar.latestWorkingInstantBefore(deadline, openedAt);
        if (last !== undefined) time = last;
      }
    }
    time = Math.max(time, previous);
    deferred.push(time > nominal);
    times.push(time);
    previous = time;
  });
  const digestMs = policy.digestWindowMinutes * MINUTE;
  for (let i = times.length - 2; i >= 0; i--) {
    const step = policy.steps[i]!;
    if (step.critical || input.critical || times[i] === times[i + 1]) continue;
    const calendar = input.calendarOf(i);
    if (calendar !== input.calendarOf(i + 1)) continue;
    const gap = times[i + 1]! - times[i]!;
    const sameWindow = deferred[i] && !calendar.alwaysOn && times[i + 1]! < (calendar.windowEndAt(times[i]!) ?? -Infinity);
    if (sameWindow || gap < digestMs) times[i] = times[i + 1]!;
  }
  return times;
}
