using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Xuncha.AuditLinkage.Tests;

internal static class TestData
{
    /// <summary>The service writes enums as strings.</summary>
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    /// <summary>A valid 18-digit identity number (ISO 7064 check character) for a person number.</summary>
    public static string IdNumber(int person)
    {
        var body = $"610102{1950 + person % 50:0000}0101{person % 1000:000}";
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = body.Select((c, i) => (c - '0') * weights[i]).Sum();
        return body + "10X98765432"[sum % 11];
    }

    public static string Masked(int person) => IdNumber(person)[..6] + "********" + IdNumber(person)[14..];

    public static HttpContent Csv(params string[] lines)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n"));
        content.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        return content;
    }
}
