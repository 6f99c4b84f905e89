using System.Buffers.Binary;
using System.IO.Compression;

namespace AlignmentBot.Tests.Support;

/// <summary>Reads an 8-bit RGBA or RGB, non-interlaced PNG (our icons; the digest charts) — enough to check sizes and pixels (RGB reads as opaque).</summary>
public sealed record Png(int Width, int Height, IReadOnlyList<(byte R, byte G, byte B, byte A)> Pixels)
{
    public static Png Read(string path) => Read(File.ReadAllBytes(path), path);

    public static Png Read(byte[] bytes, string name = "the image")
    {
        var width = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16));
        var height = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20));
        if (bytes[24] != 8 || bytes[25] is not (6 or 2) || bytes[28] != 0)
        {
            throw new InvalidDataException($"{name}: expected 8-bit RGBA or RGB, non-interlaced");
        }

        var bpp = bytes[25] == 6 ? 4 : 3;

        using var idat = new MemoryStream();
        for (var offset = 8; offset < bytes.Length;)
        {
            var length = BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(offset));
            if (bytes.AsSpan(offset + 4, 4).SequenceEqual("IDAT"u8))
            {
                idat.Write(bytes, offset + 8, length);
            }

            offset += 12 + length;
        }

        idat.Position = 0;
        using var inflated = new ZLibStream(idat, CompressionMode.Decompress);
        using var raw = new MemoryStream();
        inflated.CopyTo(raw);
        return new Png(width, height, Unfilter(raw.ToArray(), width, height, bpp));
    }

    private static List<(byte, byte, byte, byte)> Unfilter(byte[] data, int width, int height, int bpp)
    {
        var stride = width * bpp;
        var previous = new byte[stride];
        var pixels = new List<(byte, byte, byte, byte)>(width * height);
        for (var y = 0; y < height; y++)
        {
            var filter = data[y * (stride + 1)];
            var line = data.AsSpan(y * (stride + 1) + 1, stride).ToArray();
            for (var x = 0; x < stride; x++)
            {
                int a = x >= bpp ? line[x - bpp] : 0, b = previous[x], c = x >= bpp ? previous[x - bpp] : 0;
                line[x] = (byte)(line[x] + filter switch
                {
                    1 => a,
                    2 => b,
                    3 => (a + b) / 2,
                    4 => Paeth(a, b, c),
                    _ => 0,
                });
            }

            for (var x = 0; x < stride; x += bpp)
            {
                pixels.Add((line[x], line[x + 1], line[x + 2], bpp == 4 ? line[x + 3] : (byte)255));
            }

            previous = line;
        }

        return pixels;
    }

    private static int Paeth(int a, int b, int c)
    {
        int p = a + b - c, pa = Math.Abs(p - a), pb = Math.Abs(p - b), pc = Math.Abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }
}
