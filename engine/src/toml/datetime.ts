// TOML date/time literals: validation and error wording of toml_datetime (used by toml 1.1.2), TOML 1.1
// rules included (seconds optional). Returns the kind of date-time or the crate's error message.

export type DateTimeKind = 'offset-datetime' | 'local-datetime' | 'local-date' | 'local-time';

const DIGITS = 0;
const DASH = 1;
const COLON = 2;
const DOT = 3;
const T = 4;
const SPACE = 5;
const Z = 6;
const PLUS = 7;
const UNKNOWN = 8;

/** The toml_datetime lexer: digit runs and single punctuation characters; anything else ends the input. */
class Lexer {
  kind = UNKNOWN;
  from = 0;
  to = 0;
  constructor(
    private readonly s: string,
    private pos = 0,
  ) {}

  reset(): void {
    this.pos = 0;
  }

  /** Advances and returns the token's kind; -1 at the end of input. */
  next(): number {
    const s = this.s;
    if (this.pos >= s.length) return -1;
    const c = s.charCodeAt(this.pos);
    this.from = this.pos;
    if (c >= 0x30 && c <= 0x39) {
      let i = this.pos + 1;
      while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
      this.kind = DIGITS;
      this.to = i;
    } else {
      this.to = this.pos + 1;
      switch (c) {
        case 0x2d:
          this.kind = DASH;
          break;
        case 0x3a:
          this.kind = COLON;
          break;
        case 0x54:
        case 0x74:
          this.kind = T;
          break;
        case 0x20:
          this.kind = SPACE;
          break;
        case 0x5a:
        case 0x7a:
          this.kind = Z;
          break;
        case 0x2b:
          this.kind = PLUS;
          break;
        case 0x2e:
          this.kind = DOT;
          break;
        default:
          this.kind = UNKNOWN;
          this.to = s.length;
      }
    }
    this.pos = this.to;
    return this.kind;
  }

  /** Peeks the next token's kind without consuming it (-1 at the end). */
  peekKind(): number {
    const save = [this.pos, this.kind, this.from, this.to] as const;
    const kind = this.next();
    [this.pos, this.kind, this.from, this.to] = save;
    return kind;
  }

  get raw(): string {
    return this.s.slice(this.from, this.to);
  }

  atEnd(): boolean {
    return this.pos >= this.s.length;
  }
}

function err(what: string | null, expected?: string): string {
  const head = what === null ? 'invalid datetime' : `invalid ${what}`;
  return expected === undefined ? head : `${head}, expected ${expected}`;
}

/** Parses a date-time literal (as written, e.g. `1979-05-27 07:32Z`). */
export function parseDateTime(src: string): { kind: DateTimeKind } | { error: string } {
  const lx = new Lexer(src);
  let hasDate = false;

  if (lx.next() !== DIGITS) return { error: err(null, 'year or hour') };
  const first = lx.raw;
  const sep = lx.next();
  if (sep === -1) return { error: err(null, '`-` (YYYY-MM) or `:` (HH:MM)') };
  if (sep === DASH) {
    if (lx.next() !== DIGITS) return { error: err('date', 'month') };
    const month = lx.raw;
    if (lx.next() !== DASH) return { error: err('date', '`-` (MM-DD)') };
    if (lx.next() !== DIGITS) return { error: err('date', 'day') };
    const day = lx.raw;
    if (first.length !== 4) return { error: err('date', 'a four-digit year (YYYY)') };
    if (month.length !== 2) return { error: err('date', 'a two-digit month (MM)') };
    if (day.length !== 2) return { error: err('date', 'a two-digit day (DD)') };
    const y = Number(first);
    const m = Number(month);
    const d = Number(day);
    if (m < 1 || m > 12) return { error: err('date', 'month between 01 and 12') };
    const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    const max = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
    if (d < 1 || d > max) return { error: err('date', `day between 01 and ${max}`) };
    hasDate = true;
  } else if (sep === COLON) {
    lx.reset();
  } else {
    return { error: err(null, '`-` (YYYY-MM) or `:` (HH:MM)') };
  }

  let hasTime = false;
  let partialTime = !hasDate;
  const delim = hasDate ? lx.next() : -1;
  if (delim !== -1) {
    if (delim !== T && delim !== SPACE) return { error: err('date-time', '`T` between date and time') };
    partialTime = true;
  }

  if (partialTime) {
    if (lx.next() !== DIGITS) return { error: err('time', 'hour') };
    const hour = lx.raw;
    if (lx.next() !== COLON) return { error: err('time', '`:` (HH:MM)') };
    if (lx.next() !== DIGITS) return { error: err('time', 'minute') };
    const minute = lx.raw;
    let second: string | null = null;
    if (lx.peekKind() === COLON) {
      lx.next();
      if (lx.next() !== DIGITS) return { error: err('time', 'second') };
      second = lx.raw;
    }
    if (second !== null && lx.peekKind() === DOT) {
      lx.next();
      if (lx.next() !== DIGITS) return { error: err('time', 'nanosecond') };
    }
    if (hour.length !== 2) return { error: err('time', 'a two-digit hour (HH)') };
    if (minute.length !== 2) return { error: err('time', 'a two-digit minute (MM)') };
    if (second !== null && second.length !== 2) return { error: err('time', 'a two-digit second (SS)') };
    if (Number(hour) > 23) return { error: err('time', 'hour between 00 and 23') };
    if (Number(minute) > 59) return { error: err('time', 'minute between 00 and 59') };
    // Leap seconds: 60 is accepted.
    if (second !== null && Number(second) > 60) return { error: err('time', 'second between 00 and 60') };
    hasTime = true;
  }

  let hasOffset = false;
  const offset = hasDate && hasTime ? lx.next() : -1;
  if (offset !== -1) {
    if (offset === Z) {
      hasOffset = true;
    } else if (offset === PLUS || offset === DASH) {
      if (lx.next() !== DIGITS) return { error: err('offset', 'hour') };
      const hours = lx.raw;
      if (lx.next() !== COLON) return { error: err('offset', '`:` (HH:MM)') };
      if (lx.next() !== DIGITS) return { error: err('offset', 'minute') };
      const minutes = lx.raw;
      if (hours.length !== 2) return { error: err('offset', 'a two-digit hour (HH)') };
      if (minutes.length !== 2) return { error: err('offset', 'a two-digit minute (MM)') };
      if (Number(hours) > 23) return { error: err('offset', 'hours between 00 and 23') };
      if (Number(minutes) > 59) return { error: err('offset', 'minutes between 00 and 59') };
      hasOffset = true;
    } else {
      return { error: err('offset', '`Z`, +OFFSET, -OFFSET') };
    }
  }

  if (!lx.atEnd()) return { error: err(null) };
  if (hasDate && hasTime) return { kind: hasOffset ? 'offset-datetime' : 'local-datetime' };
  return { kind: hasDate ? 'local-date' : 'local-time' };
}
