import { conformanceDigest, runChannelConformance } from '@carerelay/testkit';
import { type CareRelayStorage, createInboxChannel, createMemoryStorage } from '../src/index.js';

// The in-app inbox proves itself with the shared channel suite: the far end is the storage's inbox, read back
// through `listInbox` exactly as the coordinator's `inbox()` reads it.
const { tenantId, recipientId } = conformanceDigest();
let storage: CareRelayStorage = createMemoryStorage();

runChannelConformance({
  name: 'in-app inbox (memory storage)',
  create: () => {
    storage = createMemoryStorage();
    return createInboxChannel(storage);
  },
  // A storage that cannot write (a database gone away): the send must come back `retryable`, not throw.
  createFailing: () => {
    const broken = createMemoryStorage();
    return createInboxChannel({
      ...broken,
      async appendInbox() {
        throw new Error('connection refused');
      },
    });
  },
  async receive(messageId) {
    const inbox = await storage.listInbox(tenantId, recipientId);
    return inbox.filter((message) => message.id === messageId).map((message) => `${message.subject}\n${message.text}`);
  },
});
