/**
 * Hot reload: the configuration file is watched (and re-read on SIGHUP or through the admin API);
 * a valid new file is applied without a restart, an invalid one is refused whole and the running
 * configuration stays, with every problem reported (log, metric, admin API). Reloads run one at
 * a time; a request made while one runs is served by one more reload after it.
 */
import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, resolve } from 'node:path';
import { ConfigError, loadConfig, type Config, type LoadConfigOptions } from '@only1mcp/config';
import type { Logger, ReconfigureSummary } from '@only1mcp/registry';

/** What caused a reload. */
export type ReloadTrigger = 'file' | 'signal' | 'admin';

/** One problem that made a reload fail. */
export interface ReloadProblem {
  /** Key path (`servers[2].url`), empty for the whole file. */
  path: string;
  message: string;
  line?: number;
  column?: number;
}

/** The outcome of one reload, as the admin API and `only1mcp reload` show it. */
export interface ReloadReport {
  ok: boolean;
  /** ISO time the reload finished. */
  at: string;
  trigger: ReloadTrigger;
  file: string;
  /** What happened to the servers (when the file was valid). */
  servers?: ReconfigureSummary;
  /** Changed settings that only take effect after a restart (e.g. `server.port`). */
  restartRequired?: string[];
  /** Why the file was refused (the running configuration is unchanged). */
  errors?: ReloadProblem[];
}

/** Applies a valid new configuration; says what changed. */
export type ApplyConfig = (next: Config) => Promise<{ servers: ReconfigureSummary; restartRequired: string[] }>;

/** Options of {@link ConfigReloader}. */
export interface ConfigReloaderOptions {
  file: string;
  /** The same overrides as at start (e.g. `start --port`), so a reload does not undo them. */
  overrides?: LoadConfigOptions['overrides'];
  apply: ApplyConfig;
  logger: Logger;
  /** Told of every finished reload (metrics). */
  onReport?: (report: ReloadReport) => void;
  /** How long the file must be quiet before a change is read (editors write in several steps). Default 200 ms. */
  debounceMs?: number;
}

/**
 * Settings a running gateway cannot change: the listener, Redis, the audit log's destination and
 * the log format. A reload that changes them applies the rest and reports these (`servers`,
 * `routing`, `health`, `auth`, `rate_limit` and `logging.level` apply at once).
 */
const RESTART_ONLY: readonly (readonly [string, (c: Config) => unknown])[] = [
  ['server', (c) => c.server],
  ['redis', (c) => c.redis],
  ['audit', (c) => c.audit],
  ['logging.format', (c) => c.logging.format],
];

/** The top-level settings that differ between two configurations and need a restart. */
export function restartRequired(before: Config, after: Config): string[] {
  return RESTART_ONLY.filter(([, pick]) => JSON.stringify(pick(before)) !== JSON.stringify(pick(after))).map(
    ([key]) => key,
  );
}

/** Watches one configuration file and applies it when it changes. */
export class ConfigReloader {
  private running: Promise<ReloadReport> | undefined;
  private queued: Promise<ReloadReport> | undefined;
  private watcher: FSWatcher | undefined;
  private debounce: NodeJS.Timeout | undefined;
  private lastReport: ReloadReport | undefined;
  readonly file: string;

  constructor(private readonly options: ConfigReloaderOptions) {
    this.file = resolve(options.file);
  }

  /** The last reload's outcome, if any happened. */
  get last(): ReloadReport | undefined {
    return this.lastReport;
  }

  /**
   * Starts watching. The directory is watched, not the file, so that editors and tools that
   * replace the file (write a copy, rename it over) are seen as well.
   */
  watch(): void {
    if (this.watcher) return;
    const name = basename(this.file);
    try {
      this.watcher = watch(dirname(this.file), (_event, changed) => {
        if (changed !== null && changed !== name) return;
        clearTimeout(this.debounce);
        this.debounce = setTimeout(() => void this.reload('file'), this.options.debounceMs ?? 200);
      });
      this.watcher.on('error', (err) =>
        this.options.logger.warn('stopped watching the configuration file', { file: this.file, error: err.message }),
      );
      this.watcher.unref();
    } catch (err) {
      this.options.logger.warn('cannot watch the configuration file; reload with SIGHUP or the admin API', {
        file: this.file,
        error: (err as Error).message,
      });
    }
  }

  /** Reads the file and applies it; never rejects (a failure is a report with `ok: false`). */
  reload(trigger: ReloadTrigger): Promise<ReloadReport> {
    if (!this.running) {
      this.running = this.run(trigger).finally(() => (this.running = undefined));
      return this.running;
    }
    // One more run after the current one covers every request made meanwhile.
    this.queued ??= this.running.then(() => {
      this.queued = undefined;
      return this.reload(trigger);
    });
    return this.queued;
  }

  private async run(trigger: ReloadTrigger): Promise<ReloadReport> {
    const base = { trigger, file: this.file };
    let report: ReloadReport;
    try {
      const { config } = loadConfig({ path: this.file, overrides: this.options.overrides });
      const { servers, restartRequired } = await this.options.apply(config);
      report = {
        ok: true,
        at: new Date().toISOString(),
        ...base,
        servers,
        ...(restartRequired.length > 0 ? { restartRequired } : {}),
      };
      this.options.logger.info('configuration reloaded', {
        trigger,
        added: servers.added,
        removed: servers.removed,
        changed: servers.changed,
        ...(restartRequired.length > 0 ? { restartRequired } : {}),
      });
      if (restartRequired.length > 0)
        this.options.logger.warn('some changed settings take effect only after a restart', {
          settings: restartRequired,
        });
    } catch (err) {
      const errors: ReloadProblem[] =
        err instanceof ConfigError && err.issues.length > 0
          ? err.issues.map(({ path, message, line, column }) => ({ path, message, line, column }))
          : [{ path: '', message: (err as Error).message }];
      report = { ok: false, at: new Date().toISOString(), ...base, errors };
      this.options.logger.error('configuration reload refused: the running configuration stays', {
        trigger,
        file: this.file,
        problems: errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)),
      });
    }
    this.lastReport = report;
    this.options.onReport?.(report);
    return report;
  }

  /** Stops watching (a reload in progress finishes). */
  close(): void {
    clearTimeout(this.debounce);
    this.watcher?.close();
    this.watcher = undefined;
  }
}
