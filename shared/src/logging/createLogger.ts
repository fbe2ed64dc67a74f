import pino from 'pino';

export type Logger = pino.Logger;

/**
 * JSON logs on stdout (or `destination`, e.g. a file for services a test runs
 * in its own process), one line an event. Authorization headers and anything
 * named like a secret are redacted so a token never reaches a log file.
 */
export function createLogger(service: string, level: string = 'info', destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    name: service,
    level,
    base: { service },
    redact: {
      paths: [
        'req.headers.authorization',
        'headers.authorization',
        'authorization',
        'password',
        '*.password',
        'token',
        '*.token',
        'clientSecret',
        '*.clientSecret',
        'refreshToken',
        '*.refreshToken',
        // GraphQL variables sit one level deeper (e.g. request.variables.password).
        '*.*.password',
        '*.*.token',
        '*.*.refreshToken',
        '*.*.clientSecret',
        // Hashes are not secrets to sign in with, but a password hash can be attacked offline.
        'passwordHash',
        '*.passwordHash',
        'secretHash',
        '*.secretHash',
      ],
      censor: '[redacted]',
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Lines gathered before one write; a busy service writes once per few dozen requests instead of once per line. */
const BUFFERED_BYTES = 8_192;
/** The longest a line waits in the buffer of a quiet service. */
const FLUSH_EVERY_MS = 1_000;

/**
 * A service's standard output, buffered: one write(2) per 8 KiB of lines rather than per line, which cost each
 * request a system call. What is buffered is written at least once a second and when the process exits
 * (process.exit included, as runService ends), so no line is lost on a clean stop or a start-up failure.
 */
export function bufferedStandardOutput(fd = 1): ReturnType<typeof pino.destination> {
  const destination = pino.destination({ dest: fd, minLength: BUFFERED_BYTES, sync: true });
  setInterval(() => destination.flush(), FLUSH_EVERY_MS).unref();
  process.on('exit', () => destination.flushSync());
  return destination;
}
