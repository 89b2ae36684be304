// Whether an RTP payload starts a VP8 key frame (RFC 7741): the payload descriptor's S bit and
// partition 0, then the frame header's P bit clear. The recorder needs it because a WebM video file
// begins at a key frame: a track that never sent one in a file's lifetime leaves only a header.
export function startsVp8KeyFrame(payload: Uint8Array): boolean {
  if (payload.length < 2) return false;
  const first = payload[0]!;
  const startOfPartition = (first & 0x10) !== 0;
  const partition = first & 0x0f;
  if (!startOfPartition || partition !== 0) return false;
  let offset = 1;
  if (first & 0x80) {
    // Extension byte: I (picture id, 7 or 15 bits), L (TL0PICIDX), T/K (TID/KEYIDX).
    const extension = payload[offset++];
    if (extension === undefined) return false;
    if (extension & 0x80) offset += (payload[offset] ?? 0) & 0x80 ? 2 : 1;
    if (extension & 0x40) offset += 1;
    if (extension & 0x30) offset += 1;
  }
  const header = payload[offset];
  return header !== undefined && (header & 0x01) === 0;
}
