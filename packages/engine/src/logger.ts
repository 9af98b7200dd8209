/** Fields of a structured log line: ids, counts, codes and instants — never PHI (use display tokens). */
export type LogFields = Readonly<Record<string, string | number | boolean | null | undefined>>;

/** A structured logger. The engine logs ids, counts and error codes only, never names or clinical text. */
export interface Logger {
  debug(message: string, fields?: LogFields): void;
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, fields?: LogFields): void;
}

/** A logger that drops everything: the default. */
export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

/**
 * A logger writing one JSON object per line (`{"level":"info","msg":"…","time":"…",…}`) to `write`
 * (default: stderr), from `minLevel` up.
 */
export function createJsonLogger(options: { write?: (line: string) => void; minLevel?: 'debug' | 'info' | 'warn' | 'error' } = {}): Logger {
  const order = ['debug', 'info', 'warn', 'error'] as const;
  const min = order.indexOf(options.minLevel ?? 'info');
  const write = options.write ?? ((line: string) => process.stderr.write(line + '\n'));
  const at = (level: (typeof order)[number]) => (message: string, fields: LogFields = {}) => {
    if (order.indexOf(level) < min) return;
    write(JSON.stringify({ level, msg: message, time: new Date().toISOString(), ...fields }));
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}
