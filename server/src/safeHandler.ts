// The one wrapper every LSP handler goes through: cancellation, and an exception becomes a logged error with
// an empty answer instead of a dead server or an error popup in the editor.
import { LSPErrorCodes, ResponseError, type CancellationToken } from 'vscode-languageserver';

/** Where the server writes its log (the client's output channel through window/logMessage). */
export interface Logger {
  info(message: string): void;
  error(message: string): void;
}

function uriOf(params: unknown): string | undefined {
  if (typeof params === 'string') return params; // internal jobs keyed by document URI
  if (typeof params !== 'object' || params === null) return undefined;
  const record = params as { textDocument?: { uri?: unknown }; uri?: unknown };
  const uri = record.textDocument?.uri ?? record.uri;
  return typeof uri === 'string' ? uri : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

const cancelled = (): ResponseError<void> =>
  new ResponseError(LSPErrorCodes.RequestCancelled, 'Request cancelled');

/**
 * Wraps a request handler. A cancelled request answers RequestCancelled (before and after the work, since a
 * handler may await); a throwing handler is logged with its name and document and answers `empty`, so a bug
 * in one feature costs that one answer, never the server. A thrown ResponseError is the answer itself.
 */
export function safeHandler<P, R>(
  log: Logger,
  name: string,
  empty: R,
  handler: (params: P, token: CancellationToken) => R | Promise<R>,
): (params: P, token: CancellationToken) => Promise<R | ResponseError<void>> {
  return async (params, token) => {
    if (token.isCancellationRequested) return cancelled();
    try {
      const result = await handler(params, token);
      return token.isCancellationRequested ? cancelled() : result;
    } catch (error) {
      // A ResponseError is a deliberate answer (e.g. "this name is taken" for rename): the client shows it.
      if (error instanceof ResponseError) return error as ResponseError<void>;
      log.error(`${name} failed${formatUri(params)}: ${describe(error)}`);
      return empty;
    }
  };
}

/** Wraps a notification handler (no answer to give): an exception is logged and swallowed. */
export function safeNotification<P>(
  log: Logger,
  name: string,
  handler: (params: P) => void | Promise<void>,
): (params: P) => Promise<void> {
  return async (params) => {
    try {
      await handler(params);
    } catch (error) {
      log.error(`${name} failed${formatUri(params)}: ${describe(error)}`);
    }
  };
}

function formatUri(params: unknown): string {
  const uri = uriOf(params);
  return uri === undefined ? '' : ` for ${uri}`;
}
