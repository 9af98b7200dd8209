import { describe, expectTypeOf, it } from 'vitest';
import type { CareEvent, CareEventOf, EscalationPolicy, Fact, Level, Role, TaskView } from '@carerelay/core';
import { EventSchema, type CasePlan, type Notification } from '@carerelay/core';
import type { z } from 'zod';

describe('public types', () => {
  it('infers the event union from the schema and narrows on `type`', () => {
    expectTypeOf<z.infer<typeof EventSchema>>().toEqualTypeOf<CareEvent>();
    expectTypeOf<CareEventOf<'note.signed'>['addresses']>().toEqualTypeOf<string[]>();
    const narrow = (event: CareEvent) => (event.type === 'milestone.scheduled' ? event.milestone.kind : undefined);
    expectTypeOf(narrow).returns.toEqualTypeOf<
      'authorization_review' | 'authorization_expiry' | 'referral_first_contact' | 'discharge_follow_up' | 'crisis_follow_up' | 'measurement_due' | 'engagement_check' | 'custom' | undefined
    >();
  });

  it('keeps known roles while accepting custom ones', () => {
    expectTypeOf<'therapist'>().toExtend<Role>();
    expectTypeOf<'art_therapist'>().toExtend<Role>();
  });

  it("gives a policy's steps a closed level union", () => {
    expectTypeOf<EscalationPolicy['steps'][number]['level']>().toEqualTypeOf<Level>();
    expectTypeOf<Level>().toEqualTypeOf<'notice' | 'reminder' | 'urgent' | 'supervisor' | 'critical'>();
  });

  it('discriminates facts by kind', () => {
    const dose = (fact: Fact) => (fact.kind === 'medication_change' ? fact.toDose : undefined);
    expectTypeOf(dose).returns.toEqualTypeOf<string | undefined>();
  });

  it('returns notifications and task views from planning', () => {
    expectTypeOf<CasePlan['notifications']>().toEqualTypeOf<Notification[]>();
    expectTypeOf<CasePlan['tasks']>().toEqualTypeOf<TaskView[]>();
    expectTypeOf<Notification['phiClass']>().toEqualTypeOf<'phi' | 'phi-free'>();
  });
});
