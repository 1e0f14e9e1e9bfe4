using System.Security.Cryptography;

namespace Xuncha.Fieldwork.Common;

/// <summary>Random codes handed to the public (intake links, receipts): no look-alike characters, ~60 bits, unguessable.</summary>
internal static class PublicCodes
{
    private const string Alphabet = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

    public static string New(int length = 12) => RandomNumberGenerator.GetString(Alphabet, length);

    /// <summary>Only codes of our own shape reach the database (a hostile path never becomes a query).</summary>
    public static bool LooksValid(string? code, int length = 12) =>
        code is not null && code.Length == length && code.All(c => Alphabet.Contains(c));
}
