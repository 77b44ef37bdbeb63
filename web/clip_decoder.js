// Decodes an uploaded file in the upload worker, front to back and a slice at a time, at the
// file's own sample rate (our C++ resampler does the rest, as in the CLI): WAV is converted
// here, FLAC, MP3 and Ogg (Vorbis, Opus, FLAC) are split into frames or packets and decoded
// by WebCodecs' AudioDecoder. Memory stays about one slice of the file whatever its length.

import { ChunkedReader } from './chunked_reader.js';
import { frameEnd, frameHeader, parseFlacHeader } from './flac_format.js';
import { MP3_DECODER_DELAY, firstMp3Frame, mp3Frame, skipId3v2, xingHeader } from './mp3_format.js';
import { lastGranule, oggCodec, oggDescription, OggPackets, oggPage, opusPacketSamples } from './ogg_format.js';
import { parseWavHeader, WavError, wavFramesToMono } from './wav_format.js';

const HEADER_BYTES = 64 * 1024;
const WAV_FRAMES_PER_PIECE = 32768;
const OGG_MAX_PAGE = 27 + 255 + 255 * 255;
// Decoder input waiting at once: enough to keep it busy, few enough to bound memory.
const MAX_DECODE_QUEUE = 16;

// Not a format this decoder reads (the page then tries the browser's own decoder).
export class UnsupportedFormat extends Error {}
// A file in a known format that is damaged or cannot be decoded (shown to the user).
export class DecodeError extends Error {}
// The user cancelled the clip: decoding stopped.
export class Cancelled extends Error {}

// What a person is told when a file cannot be decoded or read: the same words whether the
// upload worker or the page's own decoder met the failure.
export function describeDecodeError(error) {
  if (error instanceof DecodeError) return error.message;
  if (error?.name === 'EncodingError' || error?.name === 'DataError') {
    return 'could not be decoded as audio: it may be damaged, or in a format this browser cannot read. ' +
      'Try 16-bit PCM WAV, FLAC, MP3 or OGG.';
  }
  if (error?.name === 'NotReadableError' || error?.name === 'NotFoundError') {
    return 'could not be read: it may have been moved or deleted. Choose it again.';
  }
  return `could not be decoded: ${error?.message ?? error}`;
}

// Feeds one codec's chunks to a WebCodecs AudioDecoder and hands on its output mixed to
// mono, without the `skip` samples the stream starts with and past `total` samples. With
// `decoderMaySkip`, the decoder may drop some of the skip itself (Chromium applies Opus'
// pre-skip from the description, other browsers may not): whatever its first output lacks
// against the first chunk's length is taken as skipped already.
class ChunkDecoder {
  constructor(config, { onAudio, skip = 0, total = Infinity, decoderMaySkip = false }) {
    this.onAudio = onAudio;
    this.skip = skip;
    this.decoderMaySkip = decoderMaySkip;
    this.firstSamples = null; // of the first chunk
    this.started = false;
    this.left = total;
    this.sampleRate = config.sampleRate;
    this.timestamp = 0;
    this.failure = null;
    this.mono = new Float32Array(0);
    this.plane = new Float32Array(0);
    this.sums = new Float64Array(0);
    if (typeof AudioDecoder === 'undefined') throw new UnsupportedFormat('this browser has no WebCodecs audio decoder');
    this.decoder = new AudioDecoder({
      output: (data) => this.output(data),
      error: (error) => { this.failure = error; },
    });
    this.decoder.configure(config);
  }

  output(data) {
    try {
      if (this.failure) return;
      if (data.sampleRate !== this.sampleRate) {
        throw new DecodeError(`its audio changes sample rate (${this.sampleRate} Hz, then ${data.sampleRate} Hz)`);
      }
      const frames = data.numberOfFrames;
      if (!this.started) {
        this.started = true;
        if (this.decoderMaySkip && this.firstSamples) this.skip = Math.max(0, this.skip - Math.max(0, this.firstSamples - frames));
      }
      if (this.mono.length < frames) {
        this.mono = new Float32Array(frames);
        this.plane = new Float32Array(frames);
        this.sums = new Float64Array(frames);
      }
      const mono = this.mono.subarray(0, frames);
      const channels = data.numberOfChannels;
      if (channels === 1) {
        data.copyTo(mono, { planeIndex: 0, format: 'f32-planar' });
      } else {
        // As the CLI mixes: summed and divided in double precision, then stored as float.
        const sums = this.sums.subarray(0, frames).fill(0);
        const plane = this.plane.subarray(0, frames);
        for (let c = 0; c < channels; c += 1) {
          data.copyTo(plane, { planeIndex: c, format: 'f32-planar' });
          for (let i = 0; i < frames; i += 1) sums[i] += plane[i];
        }
        for (let i = 0; i < frames; i += 1) mono[i] = sums[i] / channels;
      }
      const dropped = Math.min(this.skip, frames);
      this.skip -= dropped;
      const kept = Math.min(frames - dropped, this.left);
      this.left -= kept;
      if (kept > 0) this.onAudio(mono.subarray(dropped, dropped + kept));
    } catch (error) {
      this.failure = error;
    } finally {
      data.close();
    }
  }

  check() {
    if (this.failure) throw this.failure;
  }

  // Queues one encoded chunk of `samples` samples (for its timestamp; 0 when unknown).
  async decode(bytes, samples) {
    this.check();
    if (this.firstSamples === null) this.firstSamples = samples;
    this.decoder.decode(new EncodedAudioChunk({ type: 'key', timestamp: this.timestamp, data: bytes }));
    this.timestamp += Math.round((samples * 1e6) / this.sampleRate);
    while (this.decoder.decodeQueueSize > MAX_DECODE_QUEUE && !this.failure) {
      await new Promise((resolve) => this.decoder.addEventListener('dequeue', resolve, { once: true }));
    }
  }

  async finish() {
    this.check();
    await this.decoder.flush().catch((error) => { this.failure ??= error; });
    this.close();
    this.check();
  }

  close() {
    if (this.decoder.state !== 'closed') this.decoder.close();
  }
}

async function checkConfig(config, what) {
  if (typeof AudioDecoder === 'undefined') throw new UnsupportedFormat('this browser has no WebCodecs audio decoder');
  const { supported } = await AudioDecoder.isConfigSupported(config);
  if (!supported) throw new UnsupportedFormat(`this browser's WebCodecs cannot decode ${what}`);
}

// Decodes `file`, calling onStart({ format, sampleRate, duration }) once, then onAudio(mono
// Float32Array, valid during the call) for each piece and onProgress(fraction of the file
// read). cancelled() is polled between slices. Throws UnsupportedFormat, DecodeError,
// Cancelled or the decoder's own error.
export async function decodeFile(file, { onStart, onAudio, onProgress = () => {}, cancelled = () => false }) {
  const reader = new ChunkedReader(file);
  await reader.fill(HEADER_BYTES);
  const head = reader.view();
  const step = async () => {
    if (cancelled()) throw new Cancelled('cancelled');
    onProgress(reader.size > 0 ? reader.position / reader.size : 1);
  };
  const context = { reader, onStart, onAudio, step };
  let wav;
  try {
    wav = parseWavHeader(head, reader.size);
  } catch (error) {
    // A WAV encoding this reader does not convert (A-law, ADPCM, ...): the browser may.
    if (error instanceof WavError) throw new UnsupportedFormat(`a WAV file whose ${error.message.replace(/^its /, '')}`);
    throw error;
  }
  if (wav) return decodeWav(context, wav);
  const id3 = skipId3v2(head);
  if (String.fromCharCode(...head.subarray(id3, id3 + 4)) === 'fLaC') return decodeFlac(context, id3);
  if (String.fromCharCode(...head.subarray(0, 4)) === 'OggS') return decodeOgg(context);
  if (firstMp3Frame(head) || id3 > 0) return decodeMp3(context, id3);
  throw new UnsupportedFormat('not WAV, FLAC, Ogg or MP3');
}

async function decodeWav({ reader, onStart, onAudio, step }, wav) {
  onStart({ format: wav.float ? 'wav float' : `wav ${wav.bits}-bit`, sampleRate: wav.sampleRate, duration: wav.frames / wav.sampleRate });
  reader.skip(wav.dataOffset);
  const out = new Float32Array(WAV_FRAMES_PER_PIECE);
  for (let left = wav.frames; left > 0;) {
    await step();
    const want = Math.min(left, WAV_FRAMES_PER_PIECE) * wav.frameBytes;
    if ((await reader.fill(want)) < wav.frameBytes) break; // the file ends early: keep what there was
    const frames = wavFramesToMono(reader.view(want), wav, out.subarray(0, Math.min(left, WAV_FRAMES_PER_PIECE)));
    onAudio(out.subarray(0, frames));
    reader.skip(frames * wav.frameBytes);
    left -= frames;
  }
}

async function decodeFlac({ reader, onStart, onAudio, step }, start) {
  let info = parseFlacHeader(reader.view(), start);
  if (info.needBytes) {
    await reader.fill(info.needBytes);
    info = parseFlacHeader(reader.view(), start);
    if (info.needBytes) throw new DecodeError('its metadata ends before its audio starts');
  }
  const config = { codec: 'flac', sampleRate: info.sampleRate, numberOfChannels: info.channels, description: info.description };
  await checkConfig(config, 'FLAC');
  onStart({ format: 'flac', sampleRate: info.sampleRate, duration: info.totalSamples / info.sampleRate });
  reader.skip(info.audioOffset);
  const decoder = new ChunkDecoder(config, { onAudio, total: info.totalSamples || Infinity });
  try {
    let want = HEADER_BYTES;
    while ((await reader.fill(want)) > 0) {
      await step();
      const bytes = reader.view();
      const header = frameHeader(bytes, 0);
      if (!header) throw new DecodeError(`it is damaged: no FLAC frame where one should start (byte ${reader.position})`);
      const end = frameEnd(bytes, 0, header, reader.position + bytes.length >= reader.size);
      if (end < 0) {
        want = bytes.length * 2; // a frame longer than what is buffered
        continue;
      }
      want = HEADER_BYTES;
      await decoder.decode(bytes.subarray(0, end), header.blockSize);
      reader.skip(end);
    }
    await decoder.finish();
  } finally {
    decoder.close();
  }
}

async function decodeOgg({ reader, onStart, onAudio, step }) {
  const total = lastGranule(await reader.readAt(Math.max(0, reader.size - OGG_MAX_PAGE), OGG_MAX_PAGE));
  const packets = new OggPackets();
  const headers = [];
  let codec = null;
  let decoder = null;
  try {
    while ((await reader.fill(OGG_MAX_PAGE)) > 0) {
      await step();
      const bytes = reader.view();
      const page = oggPage(bytes, 0);
      if (!page) break; // a truncated last page: keep what there was
      for (const packet of packets.push(bytes, page)) {
        if (!codec) {
          codec = oggCodec(packet);
          if (!codec) throw new UnsupportedFormat('an Ogg stream of a codec other than Vorbis, Opus or FLAC');
          headers.push(packet);
        } else if (!decoder && isHeader(codec, packet, headers.length)) {
          headers.push(packet);
        } else {
          decoder ??= await startOgg(codec, headers, total, onStart, onAudio);
          await decoder.decode(packet, codec.codec === 'opus' ? opusPacketSamples(packet) : 0);
        }
      }
      reader.skip(page.length);
    }
    if (!decoder) throw new DecodeError('it holds no audio packets');
    await decoder.finish();
  } finally {
    decoder?.close();
  }
}

function isHeader(codec, packet, seen) {
  if (codec.codec !== 'flac' || codec.headerPackets > 1) return seen < codec.headerPackets;
  return !(packet[0] === 0xff && (packet[1] & 0xfe) === 0xf8); // metadata blocks until the first frame
}

async function startOgg(codec, headers, granule, onStart, onAudio) {
  const config = {
    codec: codec.codec, sampleRate: codec.sampleRate, numberOfChannels: codec.channels,
    description: oggDescription(codec, headers),
  };
  await checkConfig(config, `Ogg ${codec.codec}`);
  // The last granule counts every sample, Opus' pre-skip included.
  const total = granule >= 0 ? granule - codec.preSkip : Infinity;
  onStart({ format: `ogg ${codec.codec}`, sampleRate: codec.sampleRate, duration: Number.isFinite(total) ? total / codec.sampleRate : 0 });
  return new ChunkDecoder(config, { onAudio, skip: codec.preSkip, total, decoderMaySkip: codec.codec === 'opus' });
}

async function decodeMp3({ reader, onStart, onAudio, step }, id3) {
  reader.skip(id3); // a tag with cover art can be longer than the first slice
  await reader.fill(HEADER_BYTES);
  const first = firstMp3Frame(reader.view());
  if (!first) throw new UnsupportedFormat('no MPEG audio frames');
  reader.skip(first.offset);
  await reader.fill(HEADER_BYTES);
  const { frame } = first;
  const xing = xingHeader(reader.view(), 0, frame);
  let skip = 0;
  let total = Infinity;
  let duration = ((reader.size - reader.position) / frame.length) * (frame.samples / frame.sampleRate);
  if (xing) {
    reader.skip(frame.length); // the header frame decodes as silence: not audio of the file
    if (xing.frames) duration = (xing.frames * frame.samples) / frame.sampleRate;
    if (xing.encoderDelay !== null) {
      // Gapless: without the encoder's and the decoder's delay, and the encoder's padding.
      skip = xing.encoderDelay + MP3_DECODER_DELAY;
      if (xing.frames) total = xing.frames * frame.samples - xing.encoderDelay - xing.padding;
    }
  }
  const config = { codec: 'mp3', sampleRate: frame.sampleRate, numberOfChannels: frame.channels };
  await checkConfig(config, 'MP3');
  onStart({ format: 'mp3', sampleRate: frame.sampleRate, duration });
  const decoder = new ChunkDecoder(config, { onAudio, skip, total });
  try {
    while ((await reader.fill(HEADER_BYTES)) >= 4) {
      await step();
      const bytes = reader.view();
      let at = 0;
      while (at + 4 <= bytes.length) {
        const f = mp3Frame(bytes, at);
        if (!f || f.sampleRate !== frame.sampleRate) {
          at += 1; // not a frame (a tag, junk between frames): resynchronise
          continue;
        }
        if (at + f.length > bytes.length) break; // it continues in the next slice
        await decoder.decode(bytes.subarray(at, at + f.length), f.samples);
        at += f.length;
      }
      if (at === 0) break; // only a truncated last frame is left
      reader.skip(at);
    }
    await decoder.finish();
  } finally {
    decoder.close();
  }
}
