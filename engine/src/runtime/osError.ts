// How caught errors read: Rust's `std::io::Error` Display for an OS error ("Permission denied (os error 13)")
// from a Node errno exception, and the message of any thrown value.

import { constants } from 'node:os';

// glibc strerror texts for the errors a state directory, a volume path or a spawn can hit.
const STRERROR: Record<string, string> = {
  EPERM: 'Operation not permitted',
  ENOENT: 'No such file or directory',
  EIO: 'Input/output error',
  E2BIG: 'Argument list too long',
  EBADF: 'Bad file descriptor',
  EAGAIN: 'Resource temporarily unavailable',
  ENOMEM: 'Cannot allocate memory',
  EACCES: 'Permission denied',
  EBUSY: 'Device or resource busy',
  EEXIST: 'File exists',
  EXDEV: 'Invalid cross-device link',
  ENOTDIR: 'Not a directory',
  EISDIR: 'Is a directory',
  EINVAL: 'Invalid argument',
  EMFILE: 'Too many open files',
  ETXTBSY: 'Text file busy',
  EFBIG: 'File too large',
  ENOSPC: 'No space left on device',
  EROFS: 'Read-only file system',
  EMLINK: 'Too many links',
  ENAMETOOLONG: 'File name too long',
  ENOTEMPTY: 'Directory not empty',
  ELOOP: 'Too many levels of symbolic links',
  EDQUOT: 'Disk quota exceeded',
  ENOEXEC: 'Exec format error',
};

/** `<strerror> (os error <n>)` as Rust prints an io::Error; falls back to Node's message for unknown errors. */
export function rustOsError(error: unknown): string {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  if (typeof code === 'string') {
    const text = STRERROR[code];
    const errno = (constants.errno as Record<string, number | undefined>)[code];
    if (text !== undefined && errno !== undefined) return `${text} (os error ${errno})`;
  }
  return errorMessage(error);
}

/** The message of a thrown value (an Error's message, else its text). */
export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
