import { type Logger, pino } from 'pino';
import pretty from 'pino-pretty';

export type LogFormat = 'json' | 'pretty';

/** JSON lines for machines; a readable form when a person watches a terminal. */
export function createLogger(format: LogFormat, level: string): Logger {
  if (format === 'json') return pino({ level });
  return pino(
    { level },
    pretty({ colorize: process.stdout.isTTY, translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' }),
  );
}
