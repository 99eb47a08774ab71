/** The gateway's winston logger: JSON lines on stderr (stdout belongs to the stdio front). */
import type { Config } from '@only1mcp/config';
import type { Logger } from '@only1mcp/registry';
import winston from 'winston';

/** Creates the process logger from `logging` settings. */
export function createLogger(logging: Config['logging']): Logger {
  return winston.createLogger({
    level: logging.level,
    format:
      logging.format === 'json'
        ? winston.format.combine(winston.format.timestamp(), winston.format.json())
        : winston.format.combine(winston.format.timestamp(), winston.format.simple()),
    transports: [new winston.transports.Console({ stderrLevels: ['error', 'warn', 'info', 'debug'] })],
  });
}
