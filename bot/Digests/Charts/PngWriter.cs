using System.Buffers.Binary;
using System.IO.Compression;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using SkiaSharp;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>
/// Encodes an opaque RGBA pixmap as an 8-bit RGB PNG, compressed by .NET's own zlib at its fastest level. Skia's PNG
/// encoder spent as long deflating a chart (its bundled zlib, four bytes a pixel) as drawing it took
/// (scripts/bench/digest.sh, `chart`); this one writes three bytes a pixel and deflates several times faster, for
/// a file of about the same size. A chart has no transparency (it is drawn on white), so nothing is lost. Each row is
/// filtered with Sub, or with Up when it repeats the row above (then it is all zeros, and costs only the compare).
/// </summary>
internal static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private const int BytesPerPixel = 3;

    /// <summary>Bytes 0-2, 4-6, 8-10, 12-14 of four RGBA pixels packed to the front; 0x80 gives zero.</summary>
    private static readonly Vector128<byte> DropAlpha = Vector128.Create((byte)0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0x80, 0x80, 0x80, 0x80);

    public static byte[] Encode(SKPixmap pixmap)
    {
        if (pixmap.ColorType != SKColorType.Rgba8888)
        {
            throw new ArgumentException($"Expected RGBA8888 pixels, got {pixmap.ColorType}.", nameof(pixmap));
        }

        var width = pixmap.Width;
        var height = pixmap.Height;
        var pixels = pixmap.GetPixelSpan();
        var output = Scratch.Output;
        output.SetLength(0);
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bits per channel
        header[9] = 2; // truecolour, no alpha
        header[10] = header[11] = header[12] = 0; // deflate, adaptive filtering, no interlace
        WriteChunk(output, "IHDR"u8, header);

        var idat = Scratch.Deflated;
        idat.SetLength(0);
        using (var zlib = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            var stride = width * BytesPerPixel;
            var line = new byte[1 + stride];
            var same = new byte[1 + stride];
            same[0] = 2; // the Up filter: a row like the one above is all zeros
            for (var y = 0; y < height; y++)
            {
                var source = pixels.Slice(y * pixmap.RowBytes, width * 4);
                // A chart has many rows exactly like the one above (margins, bars, the gaps between): those cost a compare.
                if (y > 0 && source.SequenceEqual(pixels.Slice((y - 1) * pixmap.RowBytes, width * 4)))
                {
                    zlib.Write(same);
                    continue;
                }

                SubFilter(source, line, width);
                zlib.Write(line);
            }
        }

        WriteChunk(output, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
    }

    /// <summary>
    /// One RGBA row as a PNG line: the Sub filter (each byte minus the same channel of the pixel to its left), alpha
    /// dropped. Four pixels at a time where the processor shuffles bytes (SSSE3): one subtraction of the row from itself
    /// shifted by a pixel, one shuffle dropping alpha, one store; this loop was a quarter of an encoding's cost.
    /// </summary>
    private static void SubFilter(ReadOnlySpan<byte> rgba, byte[] line, int width)
    {
        ref var source = ref MemoryMarshal.GetReference(rgba);
        ref var target = ref MemoryMarshal.GetArrayDataReference(line);
        target = 1; // the Sub filter: flat runs of colour become runs of zeros
        // The first pixel has nothing to its left: minus zero.
        (Unsafe.Add(ref target, 1), Unsafe.Add(ref target, 2), Unsafe.Add(ref target, 3)) = (source, Unsafe.Add(ref source, 1), Unsafe.Add(ref source, 2));
        var x = 1;
        if (Ssse3.IsSupported)
        {
            // A store writes 16 bytes for 12: the 4 extra are overwritten by the next store, and the loop stops while
            // they still fall inside the line.
            for (; x + 6 <= width; x += 4)
            {
                var current = Vector128.LoadUnsafe(ref source, (nuint)(4 * x));
                var left = Vector128.LoadUnsafe(ref source, (nuint)(4 * x - 4));
                Ssse3.Shuffle(current - left, DropAlpha).StoreUnsafe(ref target, (nuint)(1 + 3 * x));
            }
        }

        ScalarSub(ref source, ref target, x, width);
    }

    /// <summary>The Sub filter of the pixels from <paramref name="from"/> (at least 1) to the row's end, one at a time.</summary>
    private static void ScalarSub(ref byte source, ref byte target, int from, int width)
    {
        ref var last = ref Unsafe.Add(ref source, 4 * (from - 1));
        byte r = last, g = Unsafe.Add(ref last, 1), b = Unsafe.Add(ref last, 2);
        for (var x = from; x < width; x++)
        {
            ref var pixel = ref Unsafe.Add(ref source, 4 * x);
            ref var output = ref Unsafe.Add(ref target, 1 + 3 * x);
            var (nr, ng, nb) = (pixel, Unsafe.Add(ref pixel, 1), Unsafe.Add(ref pixel, 2));
            output = (byte)(nr - r);
            Unsafe.Add(ref output, 1) = (byte)(ng - g);
            Unsafe.Add(ref output, 2) = (byte)(nb - b);
            (r, g, b) = (nr, ng, nb);
        }
    }

    /// <summary>
    /// Buffers kept per thread: a chart's raw and deflated bytes are large-object-heap sized, and a weekly burst
    /// allocating two of them per chart made the garbage collector a large share of drawing many charts at once.
    /// </summary>
    private static class Scratch
    {
        [ThreadStatic]
        private static MemoryStream? _output;

        [ThreadStatic]
        private static MemoryStream? _deflated;

        public static MemoryStream Output => _output ??= new MemoryStream();

        public static MemoryStream Deflated => _deflated ??= new MemoryStream();
    }

    private static void WriteChunk(Stream output, ReadOnlySpan<byte> type, ReadOnlySpan<byte> data)
    {
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(number, data.Length);
        output.Write(number);
        output.Write(type);
        output.Write(data);
        BinaryPrimitives.WriteUInt32BigEndian(number, Crc32.Of(type, data));
        output.Write(number);
    }

    /// <summary>The CRC-32 of PNG chunks (ISO 3309, the polynomial 0xEDB88320 reflected), over a chunk's type and data.</summary>
    private static class Crc32
    {
        private static readonly uint[] Table = Build();

        public static uint Of(ReadOnlySpan<byte> type, ReadOnlySpan<byte> data) => ~Update(Update(uint.MaxValue, type), data);

        private static uint Update(uint crc, ReadOnlySpan<byte> bytes)
        {
            foreach (var b in bytes)
            {
                crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        private static uint[] Build()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                var c = n;
                for (var k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
