import { createCoordinator } from '@carerelay/engine';
import { createPostgresStorage } from '@carerelay/storage-postgres';

const tenantId = 'clinic-north';
const storage = createPostgresStorage({
  connectionString: process.env.DATABASE_URL ?? 'postgres://postgres:postgres@127.0.0.1:5432/postgres',
  schema: process.env.CARERELAY_SCHEMA ?? 'carerelay',
});
// With no `channels`, messages go to the in-app inbox kept in the same database.
const coordinator = createCoordinator({ storage, tenantId });

const day = 86_400_000;
const inTwoDays = new Date(Date.now() + 2 * day).toISOString();
const at = new Date(Date.now() - 10 * day).toISOString();
const result = await coordinator.ingest([
  { id: 'evt-owner-ther-1', tenantId, type: 'owner.upserted', at, owner: { tenantId, id: 'ther-1', role: 'therapist', timeZone: 'America/Chicago' } },
  { id: 'evt-p1-reg', tenantId, patientId: 'p-1', type: 'patient.registered', at, patient: { tenantId, id: 'p-1', displayToken: 'J.D. ·4821', timeZone: 'America/Chicago', birthDate: '2011-05-03', payer: 'medicaid' } },
  { id: 'evt-p1-team', tenantId, patientId: 'p-1', type: 'careteam.assigned', at, member: { ownerId: 'ther-1', role: 'therapist' } },
  { id: 'evt-p1-svc', tenantId, patientId: 'p-1', type: 'fact.recorded', at, fact: { kind: 'service', service: 'individual_therapy' } },
  { id: 'evt-p1-auth', tenantId, patientId: 'p-1', type: 'milestone.scheduled', at, milestone: { id: 'auth-1', kind: 'authorization_review', dueAt: inTwoDays, payer: 'medicaid' } },
]);
console.log(`applied ${result.applied} events`);

// Any number of processes can do this against the same database: due work is claimed with FOR UPDATE SKIP LOCKED.
await coordinator.tick();
for (const message of await storage.listInbox(tenantId, 'ther-1')) console.log(`inbox: ${message.level}: ${message.subject}`);

// A long-running worker would instead call `coordinator.start()` and let commits elsewhere wake it at once:
//   const unsubscribe = storage.subscribe(tenantId, () => void coordinator.tick());
await coordinator.close(); // closes the storage (and its pool) too
