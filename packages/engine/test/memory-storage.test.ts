import { runStorageConformance } from '@carerelay/testkit';
import { createMemoryStorage } from '../src/index.js';

runStorageConformance({ name: 'memory', create: () => createMemoryStorage({ maxAttempts: 4 }), maxAttempts: 4 });
