/**
 * HL7 v2 throughput benchmark (not a test): parse + map of the shared samples on one core, and MLLP round trips
 * (frame → parse → map → ACK) over one loopback connection with the messages pipelined.
 * Run: `npm run bench -w @carerelay/source-hl7v2`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createHl7MappingConfig, createMllpListener, ingestHl7, parseHl7, sendMllp } from '../src/index.js';

const dir = fileURLToPath(new URL('../../../../shared/data/hl7v2/', import.meta.url));
const samples = readdirSync(dir)
  .filter((name) => name.endsWith('.hl7'))
  .map((name) => readFileSync(dir + name, 'utf8'));
const config = createHl7MappingConfig();
const bytes = samples.reduce((sum, text) => sum + Buffer.byteLength(text), 0);

function rate(label: string, count: number, run: () => void): void {
  run(); // warm up
  const start = process.hrtime.bigint();
  run();
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  console.log(`${label.padEnd(34)} ${Math.round(count / seconds).toLocaleString('en-US').padStart(10)} messages/s`);
}

const rounds = 500;
console.log(`${samples.length} sample messages, ${(bytes / samples.length / 1024).toFixed(1)} KiB on average`);
rate('parseHl7', samples.length * rounds, () => {
  for (let r = 0; r < rounds; r++) for (const text of samples) parseHl7(text);
});
rate('ingestHl7 (parse + map + validate)', samples.length * rounds, () => {
  for (let r = 0; r < rounds; r++) for (const text of samples) ingestHl7(text, { tenantId: 'bench', config });
});

const listener = await createMllpListener({ tenantId: 'bench', config, onMessage: () => {} });
const messages = Array.from({ length: 20_000 }, (_, i) => samples[i % samples.length]!);
await sendMllp({ port: listener.port, messages: messages.slice(0, 1000), timeoutMs: 60_000 });
const start = process.hrtime.bigint();
const acks = await sendMllp({ port: listener.port, messages, timeoutMs: 120_000 });
const seconds = Number(process.hrtime.bigint() - start) / 1e9;
console.log(`${'MLLP round trips (one connection)'.padEnd(34)} ${Math.round(acks.length / seconds).toLocaleString('en-US').padStart(10)} messages/s (${acks.length} ACKs)`);
await listener.close();
