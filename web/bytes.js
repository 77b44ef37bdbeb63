// Reading binary headers: the few byte helpers every container parser here needs, once.

// n bytes at `at` as ASCII ('' when they run past the end), for four-letter tags and magic.
export const ascii = (b, at, n) => (at + n <= b.length ? String.fromCharCode(...b.subarray(at, at + n)) : '');
export const u16le = (b, at) => b[at] | (b[at + 1] << 8);
export const u32le = (b, at) => (b[at] | (b[at + 1] << 8) | (b[at + 2] << 16) | (b[at + 3] << 24)) >>> 0;
export const u64le = (b, at) => u32le(b, at) + u32le(b, at + 4) * 2 ** 32;
export const u32be = (b, at) => ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
