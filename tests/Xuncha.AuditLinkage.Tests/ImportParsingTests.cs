using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Xuncha.AuditLinkage.Datasets;

namespace Xuncha.AuditLinkage.Tests;

/// <summary>
/// Pure checks of the import's byte-level pieces against what they replace or implement: the keyed hash against the
/// platform's HMAC-SHA256 (stored hashes must match every earlier import), the CSV reader against RFC 4180 and its
/// lenient cases, the UTF-8 field parsers against the string parsers.
/// </summary>
public sealed class ImportParsingTests
{
    [Fact]
    public void Eight_lane_hashes_are_the_platforms_HMAC_SHA256_for_every_lane_key_and_length()
    {
        var random = new Random(9);
        foreach (var keyLength in new[] { 32, 40, 64, 65, 100 })
        {
            var key = new byte[keyLength];
            random.NextBytes(key);
            var lanes = new HmacSha256Lanes(key);
            foreach (var length in new[] { 0, 1, 18, 31, 32, 55 })
            {
                for (var count = 1; count <= HmacSha256Lanes.Lanes; count++)
                {
                    var messages = new byte[length * count];
                    random.NextBytes(messages);
                    var hashes = new byte[32 * count];
                    lanes.Hash(messages, length, count, hashes);
                    for (var i = 0; i < count; i++)
                    {
                        Assert.Equal(HMACSHA256.HashData(key, messages.AsSpan(i * length, length)), hashes.AsSpan(i * 32, 32).ToArray());
                    }
                }
            }
        }
    }

    [Fact]
    public void Batched_identity_hashes_land_in_their_slots_and_an_undone_row_leaves_nothing_queued()
    {
        const string key = "test-identity-hash-key-0123456789abcdef";
        var numbers = new IdentityNumbers(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["AuditLinkage:IdentityHashKey"] = key,
        }).Build(), new HostingEnvironment { EnvironmentName = Environments.Production });
        var hasher = numbers.CreateHasher();
        var target = new byte[32 * 20];
        byte[] Id(int p) => Encoding.ASCII.GetBytes(TestData.IdNumber(p));

        for (var p = 0; p < 7; p++) hasher.Add(Id(p), target, 32 * p);
        var mark = hasher.Mark;
        hasher.Add(Id(7), target, 32 * 7); // completes a batch of eight…
        hasher.Add(Id(8), target, 32 * 8); // …and queues one more, from the row that is then undone
        hasher.Undo(mark);
        Assert.Equal(0, hasher.Pending);
        hasher.Add(Id(9), target, 32 * 9);
        hasher.Complete();

        foreach (var p in new[] { 0, 6, 7, 9 })
        {
            Assert.Equal(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), Id(p)), target.AsSpan(32 * p, 32).ToArray());
        }
        Assert.All(target.AsSpan(32 * 8, 32).ToArray(), b => Assert.Equal(0, b)); // the undone number was never hashed into its slot
    }

    private static async Task<List<(long Line, string[] Fields)>> ReadAllAsync(byte[] body, int chunk)
    {
        await using var source = new CsvSource(new TrickleStream(body, chunk));
        var rows = new List<(long, string[])>();
        var header = await source.ReadHeaderAsync(CancellationToken.None);
        if (header is null) return rows;
        rows.Add((source.Line, [.. header]));
        while (await source.ReadAsync(CancellationToken.None))
        {
            var fields = new List<string>();
            for (var i = 0; i < 10; i++) fields.Add(Encoding.UTF8.GetString(source.Field(i)));
            while (fields.Count > 0 && fields[^1] == "") fields.RemoveAt(fields.Count - 1);
            rows.Add((source.Line, [.. fields]));
        }
        return rows;
    }

    [Theory]
    [InlineData(1)]
    [InlineData(7)]
    [InlineData(100_000)]
    public async Task Csv_records_are_split_with_quotes_BOM_CRLF_blank_lines_and_a_last_line_without_a_break(int chunk)
    {
        var text = "\uFEFF身份证号,姓名\r\n" +
                   "a,\"b,c\"\r\n" +
                   "\n" +
                   "\"he said \"\"hi\"\"\",x\n" +
                   "\"open quote runs to the end,y\n" +
                   "\"q\"tail,  spaced  ,\n" +
                   "last,line";
        var rows = await ReadAllAsync(Encoding.UTF8.GetBytes(text), chunk);
        Assert.Equal(
        [
            (1L, ["身份证号", "姓名"]),
            (2L, ["a", "b,c"]),
            (4L, ["he said \"hi\"", "x"]),
            (5L, ["open quote runs to the end,y"]),
            (6L, ["qtail", "  spaced  "]),
            (7L, ["last", "line"]),
        ], rows.Select(r => (r.Line, r.Fields)).ToList(), new RowComparer());
    }

    [Fact]
    public async Task Bytes_that_are_not_UTF8_read_as_replacement_characters_and_an_endless_line_stops_the_import()
    {
        var body = Encoding.UTF8.GetBytes("a,b\n").Concat(new byte[] { 0xE5, 0x90, (byte)',', 0xFF, (byte)'\n' }).ToArray();
        var rows = await ReadAllAsync(body, 3);
        Assert.Equal(["\uFFFD", "\uFFFD"], rows[1].Fields);

        var endless = Encoding.UTF8.GetBytes("a,b\n" + new string('x', 1024 * 1024 + 10));
        await Assert.ThrowsAsync<InvalidDataException>(() => ReadAllAsync(endless, 64 * 1024));
    }

    [Theory]
    [InlineData("2024-03-05")]
    [InlineData("2024-13-45")]
    [InlineData("2024/4/5")]
    [InlineData("20240405")]
    [InlineData("2024年4月5日")]
    [InlineData("45361")]
    [InlineData("1899-01-01")]
    [InlineData("２０２４-03-05")]
    [InlineData("soon")]
    public void Dates_read_from_UTF8_match_the_string_parser(string text)
    {
        var expected = FieldParsers.TryDate(text, out var date);
        Assert.Equal(expected, FieldParsers.TryDate(Encoding.UTF8.GetBytes(text), out var fromBytes));
        Assert.Equal(date, fromBytes);
    }

    [Theory]
    [InlineData("300")]
    [InlineData("300.5")]
    [InlineData("300.50")]
    [InlineData("0012.07")]
    [InlineData("300.505")]
    [InlineData("300.500")]
    [InlineData("1,200.50")]
    [InlineData("¥80000元")]
    [InlineData("-12.30")]
    [InlineData("999999999999.99")]
    [InlineData("1000000000000")]
    [InlineData("五百")]
    [InlineData(".5")]
    [InlineData("300.")]
    public void Amounts_read_from_UTF8_match_the_string_parser(string text)
    {
        var expected = FieldParsers.TryMoney(text, out var amount);
        Assert.Equal(expected, FieldParsers.TryMoneyCents(Encoding.UTF8.GetBytes(text), out var cents));
        if (expected) Assert.Equal(amount * 100m, cents);
    }

    [Theory]
    [InlineData("  张三  ")]
    [InlineData("\u3000张三\u00A0")]
    [InlineData("\t\r\n")]
    [InlineData("a b")]
    [InlineData("")]
    public void Trimming_UTF8_removes_what_string_Trim_removes(string text)
    {
        Assert.Equal(text.Trim(), Encoding.UTF8.GetString(FieldParsers.Trim(Encoding.UTF8.GetBytes(text))));
    }

    [Theory]
    [InlineData("610102195001010011", true)]
    [InlineData("11010519491231002x", true)]
    [InlineData("610102195001010012", false)]
    [InlineData("6101021950010100１1", false)]
    [InlineData("61010219500101001", false)]
    public void Identity_numbers_from_UTF8_are_checked_and_masked_as_before(string number, bool valid)
    {
        var normalized = new byte[18];
        Assert.Equal(valid, IdentityNumbers.TryNormalize(Encoding.UTF8.GetBytes(number), normalized));
        if (!valid) return;
        var chars = new char[18];
        Assert.True(IdentityNumbers.TryNormalize(number, chars));
        Assert.Equal(new string(chars), Encoding.ASCII.GetString(normalized));
        var masked = new byte[18];
        IdentityNumbers.Mask(normalized, masked);
        Assert.Equal(new string(chars)[..6] + "********" + new string(chars)[14..], Encoding.ASCII.GetString(masked));
    }

    private sealed class RowComparer : IEqualityComparer<(long Line, string[] Fields)>
    {
        public bool Equals((long Line, string[] Fields) x, (long Line, string[] Fields) y) => x.Line == y.Line && x.Fields.SequenceEqual(y.Fields);
        public int GetHashCode((long Line, string[] Fields) obj) => obj.Line.GetHashCode();
    }

    /// <summary>A body that arrives a few bytes at a time, so lines straddle reads.</summary>
    private sealed class TrickleStream(byte[] data, int chunk) : MemoryStream(data)
    {
        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
            base.ReadAsync(buffer[..Math.Min(buffer.Length, chunk)], cancellationToken);
    }
}
