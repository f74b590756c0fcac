#!/usr/bin/env python3
"""replicate_patchset.py IN.mps OUT.mps COPIES: a patch set COPIES times as large, for
the larger-than-memory measurement (docs/scale-out.md). Copy k's source images are new
ones (named NAME#k), so the split by source image holds out whole copies of images as
in a real set; the pixels repeat. Written record by record (bounded memory) with the
format's CRC-32 (docs/training.md)."""
import struct
import sys
import zlib

src, dst, copies = sys.argv[1], sys.argv[2], int(sys.argv[3])
data = open(src, "rb").read()
assert data[:8] == b"MNTPATCH"
version, size, grid = struct.unpack(">IHH", data[8:16])
pos = 16 + (2 if version >= 2 else 0) + (2 if version >= 4 else 0)
context = 0
if version >= 5:  # u16 context window after the orientation smoothing
    (context,) = struct.unpack(">H", data[pos:pos + 2])
    pos += 2
head = data[8:pos]
(nsrc,) = struct.unpack(">I", data[pos:pos + 4])
pos += 4
names = []
for _ in range(nsrc):
    (n,) = struct.unpack(">H", data[pos:pos + 2])
    names.append(data[pos + 2:pos + 2 + n])
    pos += 2 + n
(count,) = struct.unpack(">I", data[pos:pos + 4])
pos += 4
rec = 20 + grid * grid * (2 if context > 1 else 1)
records = data[pos:pos + count * rec]
assert len(records) == count * rec

crc = 0
with open(dst, "wb") as out:
    def put(b):
        global crc
        crc = zlib.crc32(b, crc)
        out.write(b)
    put(b"MNTPATCH" + head + struct.pack(">I", nsrc * copies))
    for k in range(copies):
        for n in names:
            name = n + b"#%d" % k
            put(struct.pack(">H", len(name)) + name)
    put(struct.pack(">I", count * copies))
    for k in range(copies):
        buf = bytearray(records)
        base = k * nsrc
        for i in range(count):
            o = i * rec + 8
            (s,) = struct.unpack_from(">I", buf, o)
            struct.pack_into(">I", buf, o, s + base)
        put(bytes(buf))
    out.write(struct.pack(">I", crc & 0xFFFFFFFF))
print("%s: %d patches, %d source images" % (dst, count * copies, nsrc * copies))
