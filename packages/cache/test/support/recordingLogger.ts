/** A real Logger that keeps its lines, so tests can count what was reported. */
import type { Logger } from '@only1mcp/health';

/** Log lines by level. */
export type RecordingLogger = Logger & { lines: { level: string; message: string }[] };

/** A logger that records every line. */
export function recordingLogger(): RecordingLogger {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** The lines someone would be paged for. */
export function loudLines(logger: RecordingLogger): { level: string; message: string }[] {
  return logger.lines.filter((l) => l.level === 'error' || l.level === 'warn');
}
