/**
 * A 64-bit, non-cryptographic hash (two FNV-1a style lanes) of the parts, as 16 hex characters.
 * Used for deterministic ids that carry no readable patient data.
 */
export function stableHash(...parts: readonly string[]): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x9e3779b9;
  for (const part of parts) {
    for (let i = 0; i < part.length; i++) {
      const c = part.charCodeAt(i);
      h1 = Math.imul(h1 ^ c, 0x01000193);
      h2 = Math.imul(h2 ^ c, 0x5bd1e995);
      h2 ^= h2 >>> 15;
    }
    // A separator that cannot appear in a UTF-16 string, so ("ab","c") and ("a","bc") differ.
    h1 = Math.imul(h1 ^ 0xffff, 0x01000193);
    h2 = Math.imul(h2 ^ 0xffff, 0x5bd1e995);
  }
  h1 ^= h2 >>> 13;
  h2 ^= h1 >>> 17;
  return (h1 >>> 0).toString(16).padStart(8, '0') + (h2 >>> 0).toString(16).padStart(8, '0');
}

/** The id of one owner's task for one milestone. */
export function taskIdFor(tenantId: string, patientId: string, milestoneId: string, ownerId: string): string {
  return `task_${stableHash(tenantId, patientId, milestoneId, ownerId)}`;
}

/** The id of the notification for one task, step, recipient and repeat. */
export function notificationIdFor(tenantId: string, taskId: string, stepId: string, recipientId: string, repeat: number): string {
  return `ntf_${stableHash(tenantId, taskId, stepId, recipientId, String(repeat))}`;
}
