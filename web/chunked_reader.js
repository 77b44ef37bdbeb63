// Reads a file (a Blob) front to back in slices, so that a recording of any size is parsed
// holding about one slice: the parsers ask for the bytes they need next (fill), look at them
// (view) and move on (skip). Pure: works in a worker, in the page and in node.

const DEFAULT_SLICE_BYTES = 1 << 20;

export class ChunkedReader {
  // blob: anything with size and slice(start, end).arrayBuffer() (File, Blob).
  constructor(blob, { sliceBytes = DEFAULT_SLICE_BYTES } = {}) {
    this.blob = blob;
    this.sliceBytes = sliceBytes;
    this.buffer = new Uint8Array(0);
    this.bufferStart = 0; // file offset of buffer[0]
    this.cursor = 0; // index into buffer
  }

  get size() { return this.blob.size; }
  get position() { return this.bufferStart + this.cursor; }
  get available() { return this.buffer.length - this.cursor; }
  get atEnd() { return this.position >= this.size; }

  // Makes at least `count` bytes after the cursor available (fewer only at the end of the
  // file); returns how many are.
  async fill(count) {
    if (this.available >= count) return this.available;
    const fileEnd = this.bufferStart + this.buffer.length;
    const want = Math.max(this.sliceBytes, count - this.available);
    const end = Math.min(this.size, fileEnd + want);
    if (end > fileEnd) {
      const added = new Uint8Array(await this.blob.slice(fileEnd, end).arrayBuffer());
      // Only the unread bytes are kept: the buffer never holds much more than a slice.
      const merged = new Uint8Array(this.available + added.length);
      merged.set(this.buffer.subarray(this.cursor));
      merged.set(added, this.available);
      this.bufferStart += this.cursor;
      this.buffer = merged;
      this.cursor = 0;
    }
    return this.available;
  }

  // The next `count` bytes (at most what is available), without consuming them.
  view(count = this.available) {
    return this.buffer.subarray(this.cursor, this.cursor + Math.min(count, this.available));
  }

  skip(count) {
    if (count > this.available) {
      // Past the buffer: forget it and continue reading from the new position.
      this.bufferStart = this.position + count;
      this.buffer = new Uint8Array(0);
      this.cursor = 0;
    } else {
      this.cursor += count;
    }
  }

  // Bytes [offset, offset + count) read directly (for trailers such as an Ogg file's last page).
  async readAt(offset, count) {
    return new Uint8Array(await this.blob.slice(offset, Math.min(this.size, offset + count)).arrayBuffer());
  }
}
