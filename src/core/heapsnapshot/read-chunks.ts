import { open } from 'node:fs/promises';

/** Read size (1 MB): the parser holds one chunk of text at a time; progress counts chunks, i.e. MB. */
export const CHUNK_BYTES = 1024 * 1024;

/**
 * The file in CHUNK_BYTES pieces, all read into one buffer: a stream would allocate a new 1 MB
 * buffer per chunk, and on a multi-GB file the dead ones pile up as external memory faster than
 * V8 collects them (hundreds of MB of RSS). The parser copies whatever it keeps of a chunk.
 */
export async function* readChunks(path: string): AsyncGenerator<Uint8Array> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
    for (;;) {
      const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}
