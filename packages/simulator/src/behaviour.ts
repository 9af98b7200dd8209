import { DAY, LEVELS, type Level } from '@carerelay/core';
import type { DeliveredMessage } from './messages.js';
import type { SimulationParameters } from './parameters.js';
import { keyedUniform } from './random.js';

interface RecipientHistory {
  /** Messages in the trailing window: instant and whether it was a repeat. */
  window: Array<{ at: number; repeat: boolean }>;
  /** Index of the first message still inside the window. */
  head: number;
  repeats: number;
  /** Last instant each patient was messaged to this recipient. */
  lastByPatient: Map<string, number>;
  /** Messages per patient on the current local day. */
  day: number;
  todayByPatient: Map<string, number>;
}

/**
 * The clinician behaviour model of `docs/simulation.md` §6: awareness with forgetting, documentation and task
 * probabilities, message reading (with the same-patient and repeat-share effects) and acting at once.
 * Draws are keyed (common random numbers across policies).
 */
export class Behaviour {
  private readonly lastNamed = new Map<string, number>();
  private readonly histories = new Map<string, RecipientHistory>();

  constructor(
    readonly parameters: SimulationParameters,
    readonly seed: number,
  ) {}

  /** Awareness `a ∈ [0, 1]` of an owner for an item at `at`: 1 when just named, halving every half-life. */
  awareness(ownerId: string, requirementId: string, at: number): number {
    const named = this.lastNamed.get(`${ownerId}\u0000${requirementId}`);
    if (named === undefined || named > at) return 0;
    return 0.5 ** ((at - named) / (this.parameters.behaviour.awarenessHalfLifeDays * DAY));
  }

  /** Records that the owner learned of the item at `at` (read a message naming it, or was told directly). */
  name(ownerId: string, requirementId: string, at: number): void {
    this.lastNamed.set(`${ownerId}\u0000${requirementId}`, at);
  }

  /** Probability of documenting a session item at a kept session. */
  documentProbability(a: number): number {
    const d = this.parameters.behaviour.document;
    return d.base + d.named * a;
  }

  /** Probability that documentation is insufficient. */
  insufficientProbability(a: number): number {
    const d = this.parameters.behaviour.insufficient;
    return Math.max(0, d.base - d.named * a);
  }

  /** Probability of completing a task item on a working day. */
  taskProbability(a: number): number {
    const d = this.parameters.behaviour.task;
    return d.base + d.named * a;
  }

  /** Probability of acting at once on an item named in a message of this level that was read. */
  actNowProbability(level: Level): number {
    return this.parameters.behaviour.actNow[level];
  }

  /** A keyed draw: true with probability `p` for this decision and these ids. */
  draw(p: number, decision: string, ...ids: readonly (string | number)[]): boolean {
    return keyedUniform(this.seed, decision, ...ids) < p;
  }

  /**
   * Registers a delivered message in its recipient's history and returns the probability that they read it:
   * `logit p = logit(base[level]) + ln(OR_same)·s + ln(OR_repeat)·(r / 5)` where `s` counts the recipient's earlier
   * messages that local day about the same patient and `r` is the percentage of their messages in the trailing
   * window that were repeats. Messages must be registered in delivery order.
   */
  readProbability(message: DeliveredMessage, localDay: number): number {
    const b = this.parameters.behaviour;
    const windowMs = b.repeatWindowDays * DAY;
    let h = this.histories.get(message.recipientId);
    if (!h) this.histories.set(message.recipientId, (h = { window: [], head: 0, repeats: 0, lastByPatient: new Map(), day: localDay, todayByPatient: new Map() }));
    while (h.head < h.window.length && h.window[h.head]!.at < message.at - windowMs) {
      if (h.window[h.head]!.repeat) h.repeats--;
      h.head++;
    }
    if (h.head > 4096) {
      h.window = h.window.slice(h.head);
      h.head = 0;
    }
    if (h.day !== localDay) {
      h.day = localDay;
      h.todayByPatient.clear();
    }
    const patients = [...new Set(message.notifications.map((n) => n.patientId))];
    const inWindow = h.window.length - h.head;
    const repeatShare = inWindow === 0 ? 0 : (100 * h.repeats) / inWindow;
    const samePatientToday = Math.max(0, ...patients.map((p) => h!.todayByPatient.get(p) ?? 0));
    const logit = Math.log(b.read[message.level] / (1 - b.read[message.level])) + Math.log(b.samePatientSameDayOddsRatio) * samePatientToday + Math.log(b.repeatShareOddsRatioPer5Points) * (repeatShare / 5);
    const repeat = patients.length > 0 && patients.every((p) => (h!.lastByPatient.get(p) ?? -Infinity) >= message.at - windowMs);
    h.window.push({ at: message.at, repeat });
    if (repeat) h.repeats++;
    for (const p of patients) {
      h.lastByPatient.set(p, message.at);
      h.todayByPatient.set(p, (h.todayByPatient.get(p) ?? 0) + 1);
    }
    return 1 / (1 + Math.exp(-logit));
  }
}

/** The most urgent of some levels. */
export function maxLevel(levels: readonly Level[]): Level {
  return levels.reduce<Level>((max, l) => (LEVELS.indexOf(l) > LEVELS.indexOf(max) ? l : max), levels[0] ?? 'notice');
}
