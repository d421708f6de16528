// Offset ↔ position conversion for one text: built once (line starts), then binary searches.

/** A 0-based line and UTF-16 character position, as LSP counts them. */
export interface Position {
  line: number;
  character: number;
}

/**
 * Line starts of a text. Line breaks are `\n`, `\r\n` and a lone `\r` (LSP's definition); offsets and
 * characters are UTF-16 code units, which is what JS strings, spans and LSP all use.
 */
export class LineIndex {
  /** Offset of the first character of each line; lineStarts[0] = 0. */
  readonly lineStarts: number[];
  readonly length: number;

  constructor(text: string) {
    const starts = [0];
    // indexOf-based scanning is several times faster than a per-character loop on large texts.
    let i = text.indexOf('\n');
    if (text.indexOf('\r') < 0) {
      while (i >= 0) {
        starts.push(i + 1);
        i = text.indexOf('\n', i + 1);
      }
    } else {
      for (let k = 0; k < text.length; k++) {
        const c = text.charCodeAt(k);
        if (c === 10) starts.push(k + 1);
        else if (c === 13) {
          if (text.charCodeAt(k + 1) === 10) k++;
          starts.push(k + 1);
        }
      }
    }
    this.lineStarts = starts;
    this.length = text.length;
  }

  get lineCount(): number {
    return this.lineStarts.length;
  }

  /** The 0-based line containing `offset` (clamped to the text). */
  lineAt(offset: number): number {
    const starts = this.lineStarts;
    const target = offset < 0 ? 0 : offset > this.length ? this.length : offset;
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if ((starts[mid] as number) <= target) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 0-based {line, character} of an offset (clamped to the text). */
  positionAt(offset: number): Position {
    const target = offset < 0 ? 0 : offset > this.length ? this.length : offset;
    const line = this.lineAt(target);
    return { line, character: target - (this.lineStarts[line] as number) };
  }

  /** Offset of a 0-based position; a character past the end of its line is clamped to the line end. */
  offsetAt(position: Position): number {
    if (position.line < 0) return 0;
    if (position.line >= this.lineStarts.length) return this.length;
    const start = this.lineStarts[position.line] as number;
    const next =
      position.line + 1 < this.lineStarts.length
        ? (this.lineStarts[position.line + 1] as number)
        : this.length;
    const offset = start + Math.max(0, position.character);
    return offset > next ? next : offset;
  }

  /** 1-based line and column of an offset (column counted in UTF-16 code units), as the `check` command prints. */
  lineColumnAt(offset: number): { line: number; column: number } {
    const p = this.positionAt(offset);
    return { line: p.line + 1, column: p.character + 1 };
  }
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * Decodes a topology file's bytes as Nucleus reads them (Rust `read_to_string`): strict UTF-8, a byte order
 * mark kept for the TOML reader to judge. Throws Rust's wording when the bytes are not UTF-8.
 */
export function decodeUtf8Strict(bytes: Uint8Array): string {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    throw new Error('stream did not contain valid UTF-8');
  }
}
