// Reading the per-service log files apply writes (Nucleus keeps no logs for topology services, E11).

import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/** Header line apply writes before each `nucleus create` run. */
const LOG_HEADER_PREFIX = '==> ';

/**
 * The last `maxLines` lines of a log file written since its last apply header (at most the last 64 KiB are read).
 * Empty when the file cannot be read.
 */
export function readLogTail(file: string, maxLines: number): string[] {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return [];
  }
  try {
    const size = fstatSync(fd).size;
    const length = Math.min(size, 64 * 1024);
    const buffer = Buffer.alloc(length);
    readSync(fd, buffer, 0, length, size - length);
    let lines = buffer.toString('utf8').split('\n');
    if (lines[lines.length - 1] === '') lines.pop();
    let header = -1;
    for (let i = lines.length - 1; i >= 0; i--) {
      if ((lines[i] as string).startsWith(LOG_HEADER_PREFIX)) {
        header = i;
        break;
      }
    }
    if (header >= 0) lines = lines.slice(header + 1);
    return lines.slice(-maxLines);
  } finally {
    closeSync(fd);
  }
}
