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
