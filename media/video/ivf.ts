// One VP8 frame in an IVF file (the simplest container ffmpeg reads VP8 from): a 32-byte file
// header, then a 12-byte frame header (size, 64-bit timestamp) and the frame.
export function ivfOfFrame(frame: Uint8Array, width: number, height: number): Buffer {
  const file = Buffer.alloc(32 + 12 + frame.length);
  file.write('DKIF', 0, 'ascii');
  file.writeUInt16LE(0, 4); // version
  file.writeUInt16LE(32, 6); // header size
  file.write('VP80', 8, 'ascii');
  file.writeUInt16LE(width, 12);
  file.writeUInt16LE(height, 14);
  file.writeUInt32LE(30, 16); // time base denominator (frame rate)
  file.writeUInt32LE(1, 20); // time base numerator
  file.writeUInt32LE(1, 24); // frame count
  file.writeUInt32LE(frame.length, 32);
  // Bytes 36–43: the frame's timestamp, 0.
  file.set(frame, 44);
  return file;
}
