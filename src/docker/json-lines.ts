// Docker streams events and pull progress as JSON objects separated by newlines, but chunk
// boundaries fall anywhere: a chunk may end mid-object. This buffers the partial tail.

/** Splits a chunked stream of newline-delimited JSON into values. Pure apart from its buffer. */
export class JsonLineSplitter {
  private buffer = '';

  /**
   * Feeds one chunk and returns the complete values it finished. Lines that are not JSON are
   * returned as `{ unparsed: line }` rather than thrown, so one garbled line cannot end a stream.
   * Example: push('{"a":1}\n{"b"') → [{a:1}], then push(':2}\n') → [{b:2}].
   */
  push(chunk: string | Buffer): unknown[] {
    this.buffer += chunk.toString();
    const lines = this.buffer.split('\n');
    this.buffer = lines.pop() ?? '';
    return lines.flatMap((line) => parseLine(line));
  }

  /** Returns the value of a last line that had no trailing newline, if any. */
  flush(): unknown[] {
    const rest = this.buffer;
    this.buffer = '';
    return parseLine(rest);
  }
}

function parseLine(raw: string): unknown[] {
  const line = raw.trim();
  if (line === '') return [];
  try {
    return [JSON.parse(line) as unknown];
  } catch {
    return [{ unparsed: line }];
  }
}
