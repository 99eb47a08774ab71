/** A real logger that keeps its lines, so tests can count what was reported (e.g. "an outage logs once"). */

/** Log lines by level; structurally a Logger of every package (`{error,warn,info,debug}(message, fields?)`). */
export interface RecordingLogger {
  lines: { level: string; message: string }[];
  error(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  info(message: string, fields?: Record<string, unknown>): void;
  debug(message: string, fields?: Record<string, unknown>): void;
}

/** A logger that records every line. */
export function recordingLogger(): RecordingLogger {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}

/** The lines someone would be paged for (errors and warnings). */
export function loudLines(logger: RecordingLogger): { level: string; message: string }[] {
  return logger.lines.filter((l) => l.level === 'error' || l.level === 'warn');
}
