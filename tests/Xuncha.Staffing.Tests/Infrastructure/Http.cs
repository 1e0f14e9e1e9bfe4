using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Xunit;

namespace Xuncha.Staffing.Tests.Infrastructure;

public static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new System.Text.Json.Serialization.JsonStringEnumConverter() } };

    public static async Task<JsonElement> Expect(this Task<HttpResponseMessage> call, HttpStatusCode status)
    {
        var response = await call;
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length > 0 && (response.Content.Headers.ContentType?.MediaType?.Contains("json") ?? false) ? JsonDocument.Parse(text).RootElement.Clone() : default;
    }

    public static Task<HttpResponseMessage> Post(this HttpClient client, string url, object body) => client.PostAsJsonAsync(url, body, Json);

    public static Task<HttpResponseMessage> Put(this HttpClient client, string url, object body) => client.PutAsJsonAsync(url, body, Json);

    /// <summary>An 18-character identity number with a valid check character.</summary>
    public static string IdentityNumber(string first17)
    {
        int[] weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
        var sum = first17.Select((c, i) => (c - '0') * weights[i]).Sum();
        return first17 + "10X98765432"[sum % 11];
    }

    public static object NewCadre(string name = "张三", string county = TestData.Danfeng, string unit = "demo-city-danfeng-d01", string? identity = null, string grade = "Member", int rounds = 2, string[]? specialties = null) => new
    {
        name,
        identityNumber = identity,
        jurisdictionPath = new[] { "demo-city", county },
        currentUnitCode = unit,
        currentUnitName = "单位",
        specialties = specialties ?? new[] { "finance", "audit" },
        employment = "Seconded",
        isTownshipLevel = false,
        grade,
        roundsServed = rounds,
        reason = "测试录入",
    };
}
