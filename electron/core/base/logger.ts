// Logger port: structured, levelled logging. Callers must never pass credentials, tokens or StreamUrls.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, fields?: Record<string, unknown>): void;
  child(scope: string): Logger;
}

export const silentLogger: Logger = {
  log: () => undefined,
  child: () => silentLogger,
};

export function consoleLogger(scope = 'airlock', minLevel: LogLevel = 'info'): Logger {
  const order: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };
  return {
    log(level, message, fields) {
      if (order[level] < order[minLevel]) return;
      const line = `${new Date().toISOString()} ${level.toUpperCase()} [${scope}] ${message}`;
      process.stderr.write(fields ? `${line} ${JSON.stringify(fields)}\n` : `${line}\n`);
    },
    child: (childScope) => consoleLogger(`${scope}:${childScope}`, minLevel),
  };
}
