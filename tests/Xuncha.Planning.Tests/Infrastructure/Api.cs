using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Xuncha.Planning.Tests.Infrastructure;

/// <summary>One caller's view of the HTTP API: JSON in, status and JSON out, with the body in every failure message.</summary>
public sealed class Api(HttpClient http)
{
    public HttpClient Http => http;

    public sealed record Reply(HttpStatusCode Status, JsonNode? Body, string Text, string? MediaType)
    {
        public JsonNode Json => Body ?? throw new InvalidOperationException("no body: " + Text);

        public Reply Expect(HttpStatusCode status)
        {
            Assert.True(Status == status, $"expected {(int)status}, got {(int)Status}: {Text}");
            return this;
        }

        public Reply ExpectProblem(HttpStatusCode status)
        {
            Expect(status);
            Assert.Equal("application/problem+json", MediaType);
            Assert.Equal((int)status, Json["status"]!.GetValue<int>());
            return this;
        }

        public Guid Id => Json["id"]!.GetValue<Guid>();
    }

    public static async Task<Reply> Read(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        JsonNode? body = null;
        var media = response.Content.Headers.ContentType?.MediaType;
        if (text.Length > 0 && media?.Contains("json") == true) body = JsonNode.Parse(text);
        return new Reply(response.StatusCode, body, text, media);
    }

    public async Task<Reply> Get(string path) => await Read(await http.GetAsync(path));

    public async Task<Reply> Post(string path, object? body) => await Read(await http.PostAsJsonAsync(path, body, Options));

    public async Task<Reply> Put(string path, object body) => await Read(await http.PutAsJsonAsync(path, body, Options));

    public async Task<Reply> Delete(string path) => await Read(await http.DeleteAsync(path));

    public async Task<Reply> Send(HttpMethod method, string path, HttpContent content) =>
        await Read(await http.SendAsync(new HttpRequestMessage(method, path) { Content = content }));

    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);
}
