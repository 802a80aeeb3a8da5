/**
 * The least an SSE reader of the bench must do with the bytes of one HTTP
 * response: skip the head, undo chunked transfer coding if the server used
 * it, split the body into frames and, per event, take its id and the
 * envelope's `occurred_at` (without parsing the JSON), per comment its text.
 *
 * It works on the bytes as they come, without turning them into strings or
 * copying them (2,000 of these readers share two CPUs with the gateway they
 * measure, so their cost would show as delay): only a frame cut between two
 * reads is copied. The buffer given to push() may be reused by the caller
 * once push() returns.
 * Frames are read as the gateway writes them, lines ended by LF.
 */
export class SseWireReader {
  private readonly onEvent: (seq: number, occurredMs: number, bytes: number) => void;
  private readonly onComment: (text: string) => void;
  private head = '';
  private inBody = false;
  private chunked = false;
  /** Chunked coding: bytes of the current chunk still to come, or -1 while its size line is being read. */
  private chunkLeft = -1;
  private sizeLine = '';
  /** The start of a frame whose end has not come yet (a copy: the caller's buffer is reused). */
  private partial: Buffer | undefined;
  status = 0;

  constructor(handlers: { onEvent: (seq: number, occurredMs: number, bytes: number) => void; onComment: (text: string) => void }) {
    this.onEvent = handlers.onEvent;
    this.onComment = handlers.onComment;
  }

  /** The first `length` bytes of `chunk` (all of it by default) are the next bytes of the response. */
  push(chunk: Buffer, length = chunk.length): void {
    let from = 0;
    if (!this.inBody) {
      this.head += chunk.toString('latin1', 0, length);
      const end = this.head.indexOf('\r\n\r\n');
      if (end < 0) return;
      const head = this.head.slice(0, end);
      this.status = Number(head.slice(9, 12));
      this.chunked = /\r\ntransfer-encoding:\s*chunked/i.test(head);
      this.inBody = true;
      // What followed the head in this chunk: its length in bytes is its length in latin1 characters.
      from = length - (this.head.length - end - 4);
      this.head = '';
    }
    if (this.chunked) this.dechunk(chunk, from, length);
    else this.body(chunk, from, length);
  }

  private dechunk(chunk: Buffer, from: number, to: number): void {
    let at = from;
    // After the last chunk (size 0) the body has ended: nothing more is read.
    while (at < to && this.chunkLeft !== 0) {
      if (this.chunkLeft < 0) {
        const lineEnd = chunk.indexOf(LF, at);
        if (lineEnd < 0 || lineEnd >= to) {
          this.sizeLine += chunk.toString('latin1', at, to);
          return;
        }
        // An empty line is the CRLF that closes the previous chunk's data.
        const line = (this.sizeLine + chunk.toString('latin1', at, lineEnd)).trim();
        this.sizeLine = '';
        at = lineEnd + 1;
        if (line !== '') this.chunkLeft = parseInt(line, 16);
        continue;
      }
      const take = Math.min(this.chunkLeft, to - at);
      this.body(chunk, at, at + take);
      at += take;
      this.chunkLeft -= take;
      if (this.chunkLeft === 0) this.chunkLeft = -1;
    }
  }

  /** Body bytes [from, to) of `chunk`: every frame that ends in them is read, the rest kept. */
  private body(chunk: Buffer, from: number, to: number): void {
    let bytes = chunk;
    let at = from;
    let end = to;
    if (this.partial) {
      bytes = Buffer.concat([this.partial, chunk.subarray(from, to)]);
      at = 0;
      end = bytes.length;
      this.partial = undefined;
    }
    while (at < end) {
      const next = this.frame(bytes, at, end);
      if (next < 0) {
        this.partial = Buffer.from(bytes.subarray(at, end));
        return;
      }
      at = next;
    }
  }

  /**
   * Reads the frame that starts at `from`, line by line up to its blank line, and returns where the next
   * one starts; -1, having reported nothing, if it does not end before `end`.
   */
  private frame(bytes: Buffer, from: number, end: number): number {
    let seq = -1;
    let occurredMs = Number.NaN;
    let comments: string[] | undefined;
    let at = from;
    while (bytes[at] !== LF) {
      if (at >= end) return -1;
      // Bytes past `end` are not this response's (the caller's buffer is reused): a line must end before it.
      const lineEnd = bytes.indexOf(LF, at);
      if (lineEnd < 0 || lineEnd >= end) return -1;
      const first = bytes[at];
      if (first === COLON) {
        (comments ??= []).push(bytes.toString('latin1', at + 1, lineEnd).trim());
      } else if (first === I && startsWith(bytes, at, ID_FIELD)) {
        seq = digits(bytes, at + ID_FIELD.length, lineEnd);
      } else if (first === D && Number.isNaN(occurredMs) && startsWith(bytes, at, DATA_FIELD)) {
        occurredMs = occurredAt(bytes, at + DATA_FIELD.length, lineEnd, seq);
      }
      at = lineEnd + 1;
    }
    if (at >= end) return -1;
    if (comments) for (const text of comments) this.onComment(text);
    if (seq >= 0 && !Number.isNaN(occurredMs)) this.onEvent(seq, occurredMs, at + 1 - from);
    return at + 1;
  }
}

const LF = 0x0a;
const COLON = 0x3a;
const I = 0x69;
const D = 0x64;
const ID_FIELD = Buffer.from('id:', 'latin1');
const DATA_FIELD = Buffer.from('data:', 'latin1');
const OCCURRED_AT = Buffer.from('"occurred_at":"', 'latin1');
const QUOTE = 0x22;

function startsWith(bytes: Buffer, at: number, prefix: Buffer): boolean {
  for (let i = 0; i < prefix.length; i += 1) if (bytes[at + i] !== prefix[i]) return false;
  return true;
}

/** The decimal number in [from, to), a leading space allowed; -1 if there is none. */
function digits(bytes: Buffer, from: number, to: number): number {
  let value = -1;
  for (let at = bytes[from] === 0x20 ? from + 1 : from; at < to; at += 1) {
    const digit = (bytes[at] ?? 0) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = (value < 0 ? 0 : value * 10) + digit;
  }
  return value;
}

/**
 * Where `"occurred_at":"` was in the data of the events this process read last, by sequence: every client
 * receives the same bytes for an event, so its first frame is searched and the others are only checked.
 */
const keyOffsets = new Map<number, number>();

/** `occurred_at` of the JSON in [from, to) (the data of event `seq`), in ms since the epoch; NaN if it has none. */
function occurredAt(bytes: Buffer, from: number, to: number, seq: number): number {
  const known = keyOffsets.get(seq);
  let key = known === undefined ? -1 : from + known;
  if (key < 0 || key + OCCURRED_AT.length > to || !startsWith(bytes, key, OCCURRED_AT)) {
    key = bytes.indexOf(OCCURRED_AT, from);
    if (key < 0 || key >= to) return Number.NaN;
    if (keyOffsets.size >= 1024) keyOffsets.clear();
    keyOffsets.set(seq, key - from);
  }
  const start = key + OCCURRED_AT.length;
  const end = bytes.indexOf(QUOTE, start);
  if (end < 0 || end >= to) return Number.NaN;
  return isoTimeMs(bytes, start, end);
}

/**
 * An ISO-8601 time in ms: `YYYY-MM-DDTHH:MM:SS.mmmZ` (as toISOString writes it) read from the bytes
 * without making a string; any other form through Date.parse.
 */
function isoTimeMs(bytes: Buffer, start: number, end: number): number {
  if (end - start === 24 && bytes[start + 10] === 0x54 && bytes[start + 23] === 0x5a) {
    const year = decimal(bytes, start, 4);
    const month = decimal(bytes, start + 5, 2);
    const day = decimal(bytes, start + 8, 2);
    const hour = decimal(bytes, start + 11, 2);
    const minute = decimal(bytes, start + 14, 2);
    const second = decimal(bytes, start + 17, 2);
    const ms = decimal(bytes, start + 20, 3);
    if (year >= 0 && month >= 0 && day >= 0 && hour >= 0 && minute >= 0 && second >= 0 && ms >= 0) {
      return Date.UTC(year, month - 1, day, hour, minute, second, ms);
    }
  }
  return Date.parse(bytes.toString('latin1', start, end));
}

/** The `length` digits at `at` as a number, or -1 if one is not a digit. */
function decimal(bytes: Buffer, at: number, length: number): number {
  let value = 0;
  for (let i = at; i < at + length; i += 1) {
    const digit = (bytes[i] ?? 0) - 0x30;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}
