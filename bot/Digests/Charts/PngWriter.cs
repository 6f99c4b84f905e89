using System.Buffers.Binary;
using System.IO.Compression;
using SkiaSharp;

namespace AlignmentBot.Bot.Digests.Charts;

/// <summary>
/// Encodes an opaque RGBA pixmap as an 8-bit RGB PNG, compressed by .NET's own zlib at its fastest level. Skia's PNG
/// encoder spent as long deflating a chart (its bundled zlib, four bytes a pixel) as ScottPlot spent drawing it
/// (scripts/bench/digest.sh, `chart`); this one writes three bytes a pixel and deflates several times faster, for
/// a file of about the same size. A chart has no transparency (it is drawn on white), so nothing is lost.
/// </summary>
internal static class PngWriter
{
    private static ReadOnlySpan<byte> Signature => [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    private const int BytesPerPixel = 3;

    public static byte[] Encode(SKPixmap pixmap)
    {
        if (pixmap.ColorType != SKColorType.Rgba8888)
        {
            throw new ArgumentException($"Expected RGBA8888 pixels, got {pixmap.ColorType}.", nameof(pixmap));
        }

        var width = pixmap.Width;
        var height = pixmap.Height;
        var pixels = pixmap.GetPixelSpan();
        using var output = new MemoryStream(width * height / 2);
        output.Write(Signature);

        Span<byte> header = stackalloc byte[13];
        BinaryPrimitives.WriteInt32BigEndian(header, width);
        BinaryPrimitives.WriteInt32BigEndian(header[4..], height);
        header[8] = 8; // bits per channel
        header[9] = 2; // truecolour, no alpha
        header[10] = header[11] = header[12] = 0; // deflate, adaptive filtering, no interlace
        WriteChunk(output, "IHDR"u8, header);

        using var idat = new MemoryStream(width * height / 2);
        using (var zlib = new ZLibStream(idat, CompressionLevel.Fastest, leaveOpen: true))
        {
            var stride = width * BytesPerPixel;
            var row = new byte[stride];
            var line = new byte[1 + stride];
            line[0] = 1; // the Sub filter: flat runs of colour become runs of zeros
            for (var y = 0; y < height; y++)
            {
                var source = pixels.Slice(y * pixmap.RowBytes, width * 4);
                for (int x = 0, o = 0; x < source.Length; x += 4, o += 3)
                {
                    row[o] = source[x];
                    row[o + 1] = source[x + 1];
                    row[o + 2] = source[x + 2];
                }

                line[1] = row[0];
                line[2] = row[1];
                line[3] = row[2];
                for (var i = BytesPerPixel; i < stride; i++)
                {
                    line[1 + i] = (byte)(row[i] - row[i - BytesPerPixel]);
                }

                zlib.Write(line);
            }
        }

        WriteChunk(output, "IDAT"u8, idat.GetBuffer().AsSpan(0, (int)idat.Length));
        WriteChunk(output, "IEND"u8, []);
        return output.ToArray();
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
