/**
 * One schema change, applied once per schema in version order and recorded in `<schema>.migrations`.
 * `sql` receives the quoted schema name and returns the statements to run.
 */
export interface Migration {
  /** Position in the order of application (1, 2, …); recorded in `<schema>.migrations`. */
  version: number;
  /** What it changes, for operators reading `<schema>.migrations`. */
  name: string;
  /** The DDL for the quoted schema name, run inside the migration transaction. */
  sql(schema: string): string;
}

/**
 * The schema's history. Append new versions; never edit an applied one.
 *
 * Layout notes:
 * - Every table's primary key starts with `tenant_id`, and every query filters on it.
 * - Payloads (events, case state, notifications) are `json`, not `jsonb`: stored and returned byte for byte,
 *   and cheaper to write; nothing queries inside them except the event id and type on insert.
 * - The directory's events share the `events` table with case id `''` (case ids are never empty).
 * - Claims use partial indexes that hold only what can become due, so a claim costs O(due), not O(all).
 * - Identifiers use the `C` collation: byte order (the same order as JavaScript's for ids without astral
 *   characters), cheap comparisons, and keyset paging that uses the primary key.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'cases, events, directories, outbox, inbox, quarantine',
    sql: (s) => `
CREATE TABLE ${s}.cases (
  tenant_id    text COLLATE "C" NOT NULL,
  case_id      text COLLATE "C" NOT NULL,
  version      integer     NOT NULL,
  last_seq     integer     NOT NULL DEFAULT 0,
  state        json        NOT NULL,
  next_wake_at timestamptz,
  lease_owner  text,
  lease_until  timestamptz,
  updated_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, case_id)
) WITH (fillfactor = 80);
CREATE INDEX cases_due_idx ON ${s}.cases (tenant_id, next_wake_at) WHERE next_wake_at IS NOT NULL;

CREATE TABLE ${s}.events (
  tenant_id   text COLLATE "C" NOT NULL,
  case_id     text COLLATE "C" NOT NULL,
  seq         integer     NOT NULL,
  event_id    text COLLATE "C" NOT NULL,
  event_type  text        NOT NULL,
  event       json        NOT NULL,
  recorded_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, case_id, seq),
  UNIQUE (tenant_id, event_id)
);

CREATE TABLE ${s}.directories (
  tenant_id  text COLLATE "C" NOT NULL PRIMARY KEY,
  version    integer     NOT NULL,
  last_seq   integer     NOT NULL DEFAULT 0,
  directory  json        NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ${s}.outbox (
  tenant_id    text COLLATE "C" NOT NULL,
  id           text COLLATE "C" NOT NULL,
  case_id      text COLLATE "C" NOT NULL,
  recipient_id text COLLATE "C" NOT NULL,
  deliver_at   timestamptz NOT NULL,
  notification json        NOT NULL,
  status       text        NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'dead')),
  attempts     integer     NOT NULL DEFAULT 0,
  lease_owner  text,
  lease_until  timestamptz,
  delivered_at timestamptz,
  last_error   text,
  created_at   timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (tenant_id, id)
) WITH (fillfactor = 80);
CREATE INDEX outbox_due_idx ON ${s}.outbox (tenant_id, deliver_at) WHERE status = 'pending';

CREATE TABLE ${s}.inbox (
  tenant_id        text COLLATE "C" NOT NULL,
  id               text COLLATE "C" NOT NULL,
  owner_id         text COLLATE "C" NOT NULL,
  created_at       timestamptz NOT NULL,
  level            text        NOT NULL,
  critical         boolean     NOT NULL,
  subject          text        NOT NULL,
  body             text        NOT NULL,
  notification_ids text[]      NOT NULL,
  task_ids         text[]      NOT NULL,
  patient_ids      text[]      NOT NULL,
  read_at          timestamptz,
  acknowledged_at  timestamptz,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX inbox_owner_idx ON ${s}.inbox (tenant_id, owner_id, created_at DESC, id DESC);
CREATE INDEX inbox_unread_idx ON ${s}.inbox (tenant_id, owner_id) WHERE read_at IS NULL;

CREATE TABLE ${s}.quarantine (
  tenant_id   text COLLATE "C" NOT NULL,
  seq         bigint      GENERATED ALWAYS AS IDENTITY,
  id          text COLLATE "C" NOT NULL,
  received_at timestamptz NOT NULL,
  source      text        NOT NULL,
  code        text        NOT NULL,
  message     text        NOT NULL,
  issues      json        NOT NULL,
  raw         text        NOT NULL,
  PRIMARY KEY (tenant_id, id)
);
CREATE INDEX quarantine_received_idx ON ${s}.quarantine (tenant_id, received_at, seq);
`,
  },
  {
    version: 2,
    name: 'outbox: claim order (deliver_at, recipient_id, id); message assignment',
    sql: (s) => `
-- The message an entry was assigned to before its first send (assignMessage), and every notification id that
-- message carries. Nullable without a default: adding them rewrites nothing.
ALTER TABLE ${s}.outbox ADD COLUMN message_id text COLLATE "C";
ALTER TABLE ${s}.outbox ADD COLUMN message_notification_ids text[];
-- claimOutbox walks pending entries in (deliver_at, recipient_id, id) order: with the tenant fixed, this index
-- returns them in that order, so the claim reads the first rows and never sorts.
DROP INDEX ${s}.outbox_due_idx;
CREATE INDEX outbox_due_idx ON ${s}.outbox (tenant_id, deliver_at, recipient_id, id) WHERE status = 'pending';
`,
  },
];

/** The newest schema version this adapter knows. */
export const LATEST_VERSION = MIGRATIONS.reduce((latest, migration) => Math.max(latest, migration.version), 0);
