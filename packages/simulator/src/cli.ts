/**
 * `npm run demo`: simulates a 40-clinician, 1,500-patient clinic for 90 days under three reminder policies
 * (CareRelay through the real engine on SQLite), prints the comparison and the scenario walk-throughs, and writes
 * an HTML report. Flags: --days, --patients, --seed, --out, --db. Progress and timings go to standard error.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DemoOptions, runDemo } from './demo.js';

const USAGE = `usage: npm run demo -- [--days N] [--patients N] [--seed N] [--out FILE] [--db FILE]
  --days N       simulated days (1–366, default 90)
  --patients N   patients in care (1–20000, default 1500)
  --seed N       random seed (0–4294967295, default 1)
  --out FILE     HTML report (default ./carerelay-report.html; "-" to skip)
  --db FILE      SQLite database file for the engine (default: in memory)
`;

/** Parses the CLI's flags; returns an error message for bad input. */
export function parseArgs(argv: readonly string[]): { ok: true; options: DemoOptions } | { ok: false; error: string } {
  const options: DemoOptions = { days: 90, patients: 1500, seed: 1, out: './carerelay-report.html' };
  const integer = (flag: string, value: string | undefined, min: number, max: number): number | string => {
    if (value === undefined || !/^\d+$/.test(value)) return `${flag} needs a whole number`;
    const n = Number(value);
    return n < min || n > max ? `${flag} must be from ${min} to ${max}` : n;
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i]!;
    const value = argv[i + 1];
    let parsed: number | string;
    switch (flag) {
      case '--days':
        parsed = integer(flag, value, 1, 366);
        if (typeof parsed === 'string') return { ok: false, error: parsed };
        options.days = parsed;
        break;
      case '--patients':
        parsed = integer(flag, value, 1, 20_000);
        if (typeof parsed === 'string') return { ok: false, error: parsed };
        options.patients = parsed;
        break;
      case '--seed':
        parsed = integer(flag, value, 0, 4_294_967_295);
        if (typeof parsed === 'string') return { ok: false, error: parsed };
        options.seed = parsed;
        break;
      case '--out':
        if (value === undefined || value === '') return { ok: false, error: '--out needs a file name' };
        options.out = value === '-' ? null : value;
        break;
      case '--db':
        if (value === undefined || value === '') return { ok: false, error: '--db needs a file name' };
        options.databaseFile = value;
        break;
      case '--help':
      case '-h':
        return { ok: false, error: '' };
      default:
        return { ok: false, error: `unknown flag ${flag}` };
    }
    i++;
  }
  return { ok: true, options };
}

/** Runs the CLI; resolves to the process exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseArgs(argv);
  if (!parsed.ok) {
    process.stderr.write(parsed.error ? `${parsed.error}\n${USAGE}` : USAGE);
    return parsed.error ? 2 : 0;
  }
  await runDemo({ ...parsed.options, parallel: true }, { stdout: (t) => process.stdout.write(t), stderr: (t) => process.stderr.write(t) });
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`demo failed: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
