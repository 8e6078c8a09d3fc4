using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace ChatBot.Channels.Shared;

/// <summary>
/// The SHA-1 signature Tencent uses for URL checks (3 fields) and message signatures (4 fields):
/// lower-hex SHA-1 of the fields sorted ordinally and concatenated.
/// </summary>
public static class WxSignature
{
    private const int Sha1Size = 20;
    private const int MaxParts = 8;
    private const int StackBufferSize = 512;

    public static string Compute(params ReadOnlySpan<string> parts)
    {
        Span<byte> hash = stackalloc byte[Sha1Size];
        HashSorted(parts, hash);
        return Convert.ToHexStringLower(hash);
    }

    /// <summary>
    /// Compares in fixed time against the hex signature; accepts either case. A signature that is not
    /// 40 hex characters is simply wrong, never an exception.
    /// </summary>
    public static bool Verify(ReadOnlySpan<char> signatureHex, params ReadOnlySpan<string> parts)
    {
        if (signatureHex.Length != Sha1Size * 2)
            return false;
        Span<byte> expected = stackalloc byte[Sha1Size];
        if (Convert.FromHexString(signatureHex, expected, out _, out var written) != OperationStatus.Done || written != Sha1Size)
            return false;
        Span<byte> actual = stackalloc byte[Sha1Size];
        HashSorted(parts, actual);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    private static void HashSorted(ReadOnlySpan<string> parts, Span<byte> hash)
    {
        if (parts.Length is 0 or > MaxParts)
            throw new ArgumentOutOfRangeException(nameof(parts), parts.Length, $"Between 1 and {MaxParts} parts are signed.");

        // Sort indices, not strings: the caller's span stays untouched and nothing is allocated.
        // Ordinal order matters: a culture-aware sort puts "_x" before "1" and breaks the signature.
        Span<int> order = stackalloc int[parts.Length];
        var byteCount = 0;
        for (var i = 0; i < parts.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(parts[i], nameof(parts));
            byteCount += Encoding.UTF8.GetByteCount(parts[i]);
            var j = i;
            while (j > 0 && string.CompareOrdinal(parts[order[j - 1]], parts[i]) > 0)
            {
                order[j] = order[j - 1];
                j--;
            }
            order[j] = i;
        }

        byte[]? rented = null;
        var buffer = byteCount <= StackBufferSize
            ? stackalloc byte[StackBufferSize]
            : (rented = ArrayPool<byte>.Shared.Rent(byteCount));
        try
        {
            var used = 0;
            foreach (var index in order)
                used += Encoding.UTF8.GetBytes(parts[index], buffer[used..]);
            SHA1.HashData(buffer[..used], hash);
        }
        finally
        {
            if (rented is not null)
                ArrayPool<byte>.Shared.Return(rented);
        }
    }
}
