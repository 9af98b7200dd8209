import { ZoneClock } from '@carerelay/core';
import type { Digest, DigestItem, Level, MilestoneKind } from '@carerelay/core';
import type { OutboundMessage, TrustLevel } from './channel.js';

/** Options for {@link renderMessage}. */
export interface RenderOptions {
  /**
   * Base URL of the vendor's product (`https://app.example.com`); links become `${deepLinkBase}/tasks/${taskId}`.
   * Without it the message carries no links.
   */
  deepLinkBase?: string;
  /** The recipient's name for the greeting (a staff member's name, not PHI). */
  recipientName?: string;
  /** IANA zone deadlines are shown in, usually the recipient's (default `UTC`). Always printed next to the time. */
  timeZone?: string;
}

/** The word each level is announced with, in subjects and bodies. */
export const LEVEL_WORDS: Readonly<Record<Level, string>> = {
  notice: 'Notice',
  reminder: 'Reminder',
  urgent: 'Urgent',
  supervisor: 'Escalation',
  critical: 'Critical',
};

/** PHI-free names of milestone kinds, used instead of vendor labels in `phi-minimal` renderings. */
export const MILESTONE_KIND_WORDS: Readonly<Record<MilestoneKind, string>> = {
  authorization_review: 'authorization review',
  authorization_expiry: 'authorization expiry',
  referral_first_contact: 'referral first contact',
  discharge_follow_up: 'post-discharge follow-up',
  crisis_follow_up: 'crisis follow-up',
  measurement_due: 'measurement due',
  engagement_check: 'engagement check',
  custom: 'care milestone',
};

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

/** How many display tokens a subject names before it says "+N more". */
const SUBJECT_TOKENS = 3;

/** One task's items in a message: a heading (patient token, milestone, deadline) and its items. */
interface TaskGroup {
  taskId: string;
  displayToken: string;
  milestoneKind: MilestoneKind;
  milestoneLabel?: string;
  deadline: string;
  items: DigestItem[];
}

/** The zone's clock; an unknown zone falls back to UTC (and says so: every deadline prints its zone). */
function zoneClock(timeZone: string | undefined): ZoneClock {
  try {
    return new ZoneClock(timeZone ?? 'UTC');
  } catch {
    return new ZoneClock('UTC');
  }
}

/** A zone's wall clock: pass a {@link ZoneClock} to reuse one across calls, or a zone name. */
type ZoneLike = ZoneClock | string;

function wallDate(instant: string, zone: ZoneLike): Date {
  const clock = typeof zone === 'string' ? new ZoneClock(zone) : zone;
  return new Date(clock.toWall(Date.parse(instant)));
}

function dayText(wall: Date): string {
  return `${WEEKDAYS[wall.getUTCDay()]} ${wall.getUTCDate()} ${MONTHS[wall.getUTCMonth()]}`;
}

/**
 * Formats an instant as a day in a zone, e.g. `Fri 27 Nov`. Pure: reads only `getUTC*` fields of a wall-clock
 * time computed for the given zone, so the result never depends on the process's own time zone or locale.
 */
export function formatDeadlineDay(instant: string, timeZone: ZoneLike = 'UTC'): string {
  return dayText(wallDate(instant, timeZone));
}

/** Formats an instant with its zone spelled out, e.g. `Fri 27 Nov 2026 15:00 (America/New_York)`. */
export function formatDeadline(instant: string, timeZone: ZoneLike = 'UTC'): string {
  const wall = wallDate(instant, timeZone);
  const hh = String(wall.getUTCHours()).padStart(2, '0');
  const mm = String(wall.getUTCMinutes()).padStart(2, '0');
  const zone = typeof timeZone === 'string' ? timeZone : timeZone.timeZone;
  return `${dayText(wall)} ${wall.getUTCFullYear()} ${hh}:${mm} (${zone})`;
}

/** Escapes text for HTML element content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => (c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&#39;'));
}

/** The deep link to one task, or undefined without a base URL. */
export function taskLink(deepLinkBase: string | undefined, taskId: string): string | undefined {
  if (deepLinkBase === undefined || deepLinkBase === '') return undefined;
  return `${deepLinkBase.replace(/\/+$/, '')}/tasks/${encodeURIComponent(taskId)}`;
}

/**
 * Renders a digest into the message one channel sends, for that channel's trust level.
 *
 * - The subject never carries PHI at any trust level: level word, item count, the (earliest) deadline's day and
 *   the patients' display tokens, e.g. `Reminder: 2 items due Fri 27 Nov — M.R. ·1177`.
 * - `phi-allowed`: each item's full text (which may name a medication), its reason, deadline and patient token,
 *   and the milestone's label.
 * - `phi-minimal`: only display tokens, PHI-free item summaries, the milestone kind, deadlines, the level and deep
 *   links; never names, birth dates, diagnoses, medications, note text, vendor labels or rule reasons (a reason
 *   can reveal a diagnosis, e.g. "criteria for anxiety disorders").
 *
 * Plain text and HTML (all interpolated text escaped). Pure and deterministic: the same digest, trust level and
 * options give the same message, byte for byte, in any process time zone.
 */
export function renderMessage(digest: Digest, trust: TrustLevel, options: RenderOptions = {}): Omit<OutboundMessage, 'address'> {
  const timeZone = zoneClock(options.timeZone);
  const groups = groupByTask(digest);
  const subject = renderSubject(digest, groups, timeZone);
  const firstTask = groups[0]?.taskId;
  const deepLink =
    groups.length === 1 && firstTask !== undefined
      ? taskLink(options.deepLinkBase, firstTask)
      : options.deepLinkBase
        ? `${options.deepLinkBase.replace(/\/+$/, '')}/tasks`
        : undefined;
  const render = { digest, trust, groups, timeZone, subject, deepLinkBase: options.deepLinkBase, recipientName: options.recipientName };
  return {
    id: digest.id,
    tenantId: digest.tenantId,
    recipientId: digest.recipientId,
    level: digest.level,
    critical: digest.critical,
    trust,
    subject,
    text: renderText(render),
    html: renderHtml(render),
    ...(deepLink === undefined ? {} : { deepLink }),
    digest,
  };
}

interface RenderInput {
  digest: Digest;
  trust: TrustLevel;
  groups: TaskGroup[];
  timeZone: ZoneClock;
  subject: string;
  deepLinkBase: string | undefined;
  recipientName: string | undefined;
}

/** Groups a digest's items by task, in the digest's order. */
function groupByTask(digest: Digest): TaskGroup[] {
  const taskOf = new Map(digest.notifications.map((n) => [n.id, n.taskId]));
  const groups = new Map<string, TaskGroup>();
  for (const item of digest.items) {
    const taskId = taskOf.get(item.notificationId) ?? item.notificationId;
    let group = groups.get(taskId);
    if (!group) {
      group = {
        taskId,
        displayToken: item.displayToken,
        milestoneKind: item.milestoneKind,
        ...(item.milestoneLabel === undefined ? {} : { milestoneLabel: item.milestoneLabel }),
        deadline: item.deadline,
        items: [],
      };
      groups.set(taskId, group);
    }
    // One task may appear through two notifications (a step and its repeat): list each requirement once.
    if (!group.items.some((i) => i.requirementId === item.requirementId)) group.items.push(item);
    if (item.deadline < group.deadline) group.deadline = item.deadline;
  }
  return [...groups.values()];
}

/** Removes line breaks and control characters, so a subject can never inject a header. */
function oneLine(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f\u2028\u2029]+/g, ' ').trim();
}

function renderSubject(digest: Digest, groups: readonly TaskGroup[], timeZone: ZoneClock): string {
  const count = groups.reduce((n, g) => n + g.items.length, 0);
  const days = [...new Set(groups.map((g) => formatDeadlineDay(g.deadline, timeZone)))];
  const earliest = groups.reduce<string | undefined>((min, g) => (min === undefined || g.deadline < min ? g.deadline : min), undefined);
  const tokens = [...new Set(groups.map((g) => oneLine(g.displayToken)))];
  const shown = tokens.slice(0, SUBJECT_TOKENS).join(', ') + (tokens.length > SUBJECT_TOKENS ? ` +${tokens.length - SUBJECT_TOKENS} more` : '');
  const noun = count === 1 ? 'item' : 'items';
  const when =
    earliest === undefined ? '' : days.length <= 1 ? ` due ${formatDeadlineDay(earliest, timeZone)}` : `, first due ${formatDeadlineDay(earliest, timeZone)}`;
  return oneLine(`${LEVEL_WORDS[digest.level]}: ${count} ${noun}${when}${shown ? ` — ${shown}` : ''}`);
}

function milestoneName(group: TaskGroup, trust: TrustLevel): string {
  return trust === 'phi-allowed' && group.milestoneLabel ? group.milestoneLabel : MILESTONE_KIND_WORDS[group.milestoneKind];
}

function intro(digest: Digest): string {
  if (digest.critical) return 'This needs your attention now.';
  if (digest.level === 'supervisor') return 'Work of people you supervise is due or overdue.';
  return 'You have work due before these deadlines.';
}

const MINIMAL_FOOTER =
  'This message deliberately carries no clinical details. Sign in to CareRelay to see them.';

function renderText(input: RenderInput): string {
  const lines: string[] = [];
  if (input.recipientName) lines.push(`Hello ${oneLine(input.recipientName)},`, '');
  lines.push(input.subject, intro(input.digest), '');
  for (const group of input.groups) {
    lines.push(`${oneLine(group.displayToken)} — ${oneLine(milestoneName(group, input.trust))}, due ${formatDeadline(group.deadline, input.timeZone)}`);
    for (const item of group.items) {
      if (input.trust === 'phi-allowed') {
        lines.push(`  - ${oneLine(item.text)}`);
        lines.push(`    Why: ${oneLine(item.reason)}`);
        if (item.deadline !== group.deadline) lines.push(`    Due: ${formatDeadline(item.deadline, input.timeZone)}`);
      } else {
        lines.push(`  - ${oneLine(item.summary)}`);
        if (item.deadline !== group.deadline) lines.push(`    Due: ${formatDeadline(item.deadline, input.timeZone)}`);
      }
    }
    const link = taskLink(input.deepLinkBase, group.taskId);
    if (link) lines.push(`  Open: ${link}`);
    lines.push('');
  }
  if (input.trust === 'phi-minimal') lines.push(MINIMAL_FOOTER);
  return lines.join('\n').replace(/\n+$/, '') + '\n';
}

function renderHtml(input: RenderInput): string {
  const parts: string[] = [];
  parts.push('<!doctype html>', '<html><head><meta charset="utf-8"><title>' + escapeHtml(input.subject) + '</title></head><body>');
  if (input.recipientName) parts.push(`<p>Hello ${escapeHtml(oneLine(input.recipientName))},</p>`);
  parts.push(`<p><strong>${escapeHtml(input.subject)}</strong><br>${escapeHtml(intro(input.digest))}</p>`);
  for (const group of input.groups) {
    parts.push(
      `<h3>${escapeHtml(oneLine(group.displayToken))} — ${escapeHtml(oneLine(milestoneName(group, input.trust)))}, due ${escapeHtml(formatDeadline(group.deadline, input.timeZone))}</h3>`,
    );
    parts.push('<ul>');
    for (const item of group.items) {
      const due = item.deadline !== group.deadline ? ` <em>(due ${escapeHtml(formatDeadline(item.deadline, input.timeZone))})</em>` : '';
      if (input.trust === 'phi-allowed') {
        parts.push(`<li>${escapeHtml(oneLine(item.text))}${due}<br><small>Why: ${escapeHtml(oneLine(item.reason))}</small></li>`);
      } else {
        parts.push(`<li>${escapeHtml(oneLine(item.summary))}${due}</li>`);
      }
    }
    parts.push('</ul>');
    const link = taskLink(input.deepLinkBase, group.taskId);
    if (link) parts.push(`<p><a href="${escapeHtml(link)}">Open in CareRelay</a></p>`);
  }
  if (input.trust === 'phi-minimal') parts.push(`<p><small>${escapeHtml(MINIMAL_FOOTER)}</small></p>`);
  parts.push('</body></html>');
  return parts.join('\n') + '\n';
}
