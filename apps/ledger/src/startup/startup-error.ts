/**
 * A start that cannot go on for a reason the operator can fix: main.ts prints its message as one
 * line, without a stack trace (which would only bury the reason), and exits non-zero.
 */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}
