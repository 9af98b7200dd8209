import {
  type CalendarCache,
  type CareEvent,
  type CareEventInput,
  type CaseState,
  type CoreConfig,
  type Directory,
  type MilestoneState,
  type Requirement,
  EventSchema,
  emptyDirectory,
  isCaseEvent,
  reduceCase,
  reduceDirectory,
  routeRequirement,
  toInstant,
} from '@carerelay/core';

/** An event as the simulator writes it: validated (and defaults applied) by the core's `EventSchema` on record. */
export interface EventDraft {
  id: string;
  type: CareEventInput['type'];
  /** Epoch milliseconds. */
  at: number;
  [field: string]: unknown;
}

/** What the simulator knows about an event beyond the event itself. */
export interface EventMeta {
  /**
   * False for an event that cannot change coordination (a note addressing nothing; a kept visit when no
   * visit-met milestone is open): it stays in the EHR log, for the metrics, but is not sent to the engine.
   */
  coordinates: boolean;
}

/** An open requirement of a scheduled milestone, as the world knows it. */
export interface OpenItem {
  patientId: string;
  requirement: Requirement;
  milestone: MilestoneState;
}

/**
 * The simulated EHR: the clinic's event log and the case states it implies, kept with the core's own `reduceCase`
 * (so the world and the engine derive the same requirements). Policies read it; the behaviour model writes to it.
 */
export class World {
  readonly tenantId: string;
  readonly config: CoreConfig;
  readonly calendars: CalendarCache;
  directory: Directory;
  readonly cases = new Map<string, CaseState>();
  /** Every event in the order applied. */
  readonly log: CareEvent[] = [];
  /** Cases with at least one scheduled milestone. */
  readonly activeCases = new Set<string>();
  /** Listeners told of every applied event (the CareRelay policy forwards them to the engine). */
  private readonly listeners: Array<(event: CareEvent, meta: EventMeta) => void> = [];
  /** Listeners told of milestones that appear (to schedule their due checks). */
  private readonly milestoneListeners: Array<(patientId: string, milestone: MilestoneState) => void> = [];
  private seq = 0;

  constructor(tenantId: string, config: CoreConfig, calendars: CalendarCache) {
    this.tenantId = tenantId;
    this.config = config;
    this.calendars = calendars;
    this.directory = emptyDirectory(tenantId);
  }

  /** Subscribes to applied events. */
  onEvent(listener: (event: CareEvent, meta: EventMeta) => void): void {
    this.listeners.push(listener);
  }

  /** Subscribes to new milestones. */
  onMilestone(listener: (patientId: string, milestone: MilestoneState) => void): void {
    this.milestoneListeners.push(listener);
  }

  /** A fresh, deterministic event id. */
  nextId(prefix: string): string {
    this.seq++;
    return `${prefix}-${this.seq.toString(36)}`;
  }

  /** Validates an event with the core's schema (applying defaults) and applies it. */
  record(input: EventDraft, meta: EventMeta = { coordinates: true }): CareEvent {
    const event = EventSchema.parse({ ...input, tenantId: this.tenantId, at: toInstant(input.at) });
    this.apply(event, meta);
    return event;
  }

  /** Applies a parsed event. */
  apply(event: CareEvent, meta: EventMeta = { coordinates: true }): void {
    this.log.push(event);
    if (!isCaseEvent(event)) {
      this.directory = reduceDirectory(this.directory, event);
    } else if (event.type !== 'notification.delivered') {
      const before = this.cases.get(event.patientId);
      const after = reduceCase(before, event, this.config);
      this.cases.set(event.patientId, after);
      if (after.milestones !== before?.milestones) {
        let open = false;
        for (const m of Object.values(after.milestones)) {
          if (m.status === 'scheduled') open = true;
          if (!before?.milestones[m.id]) for (const l of this.milestoneListeners) l(event.patientId, m);
        }
        if (open) this.activeCases.add(event.patientId);
        else this.activeCases.delete(event.patientId);
      }
    }
    for (const listener of this.listeners) listener(event, meta);
  }

  /** Open requirements of scheduled milestones of one case. */
  openItems(patientId: string): OpenItem[] {
    const state = this.cases.get(patientId);
    if (!state) return [];
    const items: OpenItem[] = [];
    for (const requirement of Object.values(state.requirements)) {
      if (requirement.status !== 'open') continue;
      const milestone = state.milestones[requirement.milestoneId];
      if (milestone?.status === 'scheduled') items.push({ patientId, requirement, milestone });
    }
    return items.sort((a, b) => (a.requirement.id < b.requirement.id ? -1 : 1));
  }

  /** Who holds a requirement at `at` (the engine's routing), or undefined when nobody can. */
  ownerOf(patientId: string, role: string, at: number): { ownerId: string; unassigned: boolean } | undefined {
    const state = this.cases.get(patientId);
    if (!state) return undefined;
    // Memoised per instant, case state and directory (routing is a pure function of them).
    if (this.routeCacheAt !== at || this.routeCacheDirectory !== this.directory) {
      this.routeCache = new WeakMap();
      this.routeCacheAt = at;
      this.routeCacheDirectory = this.directory;
    }
    let byRole = this.routeCache.get(state);
    if (!byRole) this.routeCache.set(state, (byRole = new Map()));
    if (byRole.has(role)) return byRole.get(role);
    const assignment = routeRequirement(role, state, this.directory, at, this.config, this.calendars);
    const result = assignment ? { ownerId: assignment.ownerId, unassigned: assignment.unassigned } : undefined;
    byRole.set(role, result);
    return result;
  }

  private routeCache = new WeakMap<CaseState, Map<string, { ownerId: string; unassigned: boolean } | undefined>>();
  private routeCacheAt = Number.NaN;
  private routeCacheDirectory: Directory | undefined;

  /** Whether a case has a scheduled milestone. */
  isActive(patientId: string): boolean {
    return this.activeCases.has(patientId);
  }
}
