import { digest, type Notification } from '@carerelay/core';
import { describe, expect, it } from 'vitest';
import { escapeHtml, formatDeadline, renderMessage } from '../src/render.js';

/** Scenario B's therapist notification, with PHI in the item text the way core rules fill it in. */
function notification(overrides: Partial<Notification> = {}): Notification {
  return {
    id: 'ntf_therapist',
    tenantId: 'clinic-north',
    patientId: 'pat-b',
    displayToken: 'M.R. ·1177',
    recipientId: 'ther-2',
    level: 'reminder',
    critical: false,
    deliverAt: '2026-11-24T14:00:00.000Z',
    taskId: 'task_0123456789abcdef',
    stepId: 'reminder',
    repeat: 0,
    milestoneId: 'auth-b',
    milestoneKind: 'authorization_review',
    deadline: '2026-11-27T20:00:00.000Z',
    channels: ['email'],
    phiClass: 'phi',
    items: [
      {
        requirementId: 'req-coping',
        ownerId: 'ther-2',
        summary: 'Coping-strategy progress',
        text: 'coping-strategy progress for Morgan Reyes (born 2011-05-03)',
        reason: 'Adolescent individual-therapy reviews require progress toward treatment-plan goals.',
        deadline: '2026-11-27T20:00:00.000Z',
        milestoneId: 'auth-b',
        milestoneKind: 'authorization_review',
        milestoneLabel: 'Medicaid authorization review',
      },
      {
        requirementId: 'req-med',
        ownerId: 'ther-2',
        summary: 'Medication adherence since recent dose change',
        text: 'medication adherence since escitalopram 10 mg→20 mg',
        reason: 'Continued-stay criteria: a dose change within 30 days must show documented adherence and response.',
        deadline: '2026-11-27T20:00:00.000Z',
        milestoneId: 'auth-b',
        milestoneKind: 'authorization_review',
        milestoneLabel: 'Medicaid authorization review',
      },
    ],
    ...overrides,
  };
}

const PHI = ['Morgan', 'Reyes', '2011-05-03', 'escitalopram', 'Medicaid', 'Continued-stay criteria'];

describe('renderMessage', () => {
  const [single] = digest([notification()], { windowMinutes: 60 });

  it('names level, item count, deadline day and display token in the subject, at both trust levels', () => {
    for (const trust of ['phi-minimal', 'phi-allowed'] as const) {
      const message = renderMessage(single!, trust, { timeZone: 'America/New_York' });
      expect(message.subject).toBe('Reminder: 2 items due Fri 27 Nov — M.R. ·1177');
      for (const phi of PHI) expect(message.subject).not.toContain(phi);
    }
  });

  it('phi-minimal: display token, summaries, deadline with zone and deep link, and no PHI in text or HTML', () => {
    const message = renderMessage(single!, 'phi-minimal', { deepLinkBase: 'https://app.example.com/', timeZone: 'America/New_York', recipientName: 'Blake Therapist' });
    expect(message.text).toContain('Hello Blake Therapist,');
    expect(message.text).toContain('M.R. ·1177 — authorization review, due Fri 27 Nov 2026 15:00 (America/New_York)');
    expect(message.text).toContain('  - Coping-strategy progress\n  - Medication adherence since recent dose change\n');
    expect(message.text).toContain('Open: https://app.example.com/tasks/task_0123456789abcdef');
    expect(message.deepLink).toBe('https://app.example.com/tasks/task_0123456789abcdef');
    expect(message.html).toContain('<a href="https://app.example.com/tasks/task_0123456789abcdef">');
    for (const phi of PHI) {
      expect(message.text).not.toContain(phi);
      expect(message.html).not.toContain(phi);
    }
  });

  it('phi-allowed: each item full text, reason, label and deadline', () => {
    const message = renderMessage(single!, 'phi-allowed', { timeZone: 'America/New_York' });
    expect(message.text).toContain('M.R. ·1177 — Medicaid authorization review, due Fri 27 Nov 2026 15:00 (America/New_York)');
    expect(message.text).toContain('  - medication adherence since escitalopram 10 mg→20 mg\n    Why: Continued-stay criteria');
    expect(message.html).toContain('coping-strategy progress for Morgan Reyes (born 2011-05-03)');
    expect(message.deepLink).toBeUndefined();
  });

  it('formats deadlines in the given zone, UTC by default, whatever the process time zone', () => {
    expect(formatDeadline('2026-11-27T20:00:00.000Z')).toBe('Fri 27 Nov 2026 20:00 (UTC)');
    expect(formatDeadline('2026-11-27T03:30:00.000Z', 'America/Los_Angeles')).toBe('Thu 26 Nov 2026 19:30 (America/Los_Angeles)');
    const before = renderMessage(single!, 'phi-minimal');
    expect(before.subject).toBe('Reminder: 2 items due Fri 27 Nov — M.R. ·1177');
    // Across a DST change: 1 Nov 2026 06:30 UTC is 01:30 EDT; 07:30 UTC is 02:30 EST → 01:30 EST.
    expect(formatDeadline('2026-11-01T05:30:00.000Z', 'America/New_York')).toBe('Sun 1 Nov 2026 01:30 (America/New_York)');
    expect(formatDeadline('2026-11-01T06:30:00.000Z', 'America/New_York')).toBe('Sun 1 Nov 2026 01:30 (America/New_York)');
    expect(formatDeadline('2026-03-08T07:30:00.000Z', 'America/New_York')).toBe('Sun 8 Mar 2026 03:30 (America/New_York)');
    // An unknown zone falls back to UTC, and says so.
    expect(renderMessage(single!, 'phi-minimal', { timeZone: 'Mars/Olympus' }).text).toContain('(UTC)');
  });

  it('is deterministic', () => {
    const options = { deepLinkBase: 'https://x.example', timeZone: 'Europe/Berlin' };
    expect(renderMessage(single!, 'phi-minimal', options)).toEqual(renderMessage(single!, 'phi-minimal', options));
  });

  it('escapes HTML and keeps the subject on one line', () => {
    const hostile = notification({ displayToken: '<b>X</b>\r\nBcc: a@b.c' });
    hostile.items[0]!.summary = 'a & <script>';
    const [d] = digest([hostile], { windowMinutes: 60 });
    const message = renderMessage(d!, 'phi-minimal');
    expect(message.subject).not.toMatch(/[\r\n]/);
    expect(message.html).toContain('&lt;b&gt;X&lt;/b&gt;');
    expect(message.html).toContain('a &amp; &lt;script&gt;');
    expect(message.html).not.toContain('<script>');
    expect(escapeHtml(`"'`)).toBe('&quot;&#39;');
  });

  it('a digest of several patients names every token (up to three, then a count) and the first deadline', () => {
    const many = ['A.A. ·1', 'B.B. ·2', 'C.C. ·3', 'D.D. ·4'].map((token, i) =>
      notification({
        id: `ntf_${i}`,
        taskId: `task_${i}`,
        patientId: `pat-${i}`,
        displayToken: token,
        deliverAt: `2026-11-24T14:0${i}:00.000Z`,
        items: [{ ...notification().items[0]!, requirementId: `req-${i}`, deadline: `2026-11-2${5 + (i % 2)}T20:00:00.000Z` }],
      }),
    );
    const [d] = digest(many, { windowMinutes: 60 });
    const message = renderMessage(d!, 'phi-minimal', { deepLinkBase: 'https://x.example' });
    expect(message.subject).toBe('Reminder: 4 items, first due Wed 25 Nov — A.A. ·1, B.B. ·2, C.C. ·3 +1 more');
    expect(message.deepLink).toBe('https://x.example/tasks');
    for (let i = 0; i < 4; i++) expect(message.text).toContain(`Open: https://x.example/tasks/task_${i}`);
  });
});
