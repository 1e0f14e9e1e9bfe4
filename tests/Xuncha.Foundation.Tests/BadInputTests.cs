using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Xuncha.ServiceDefaults.Messaging;
using Xuncha.Testing;

namespace Xuncha.Foundation.Tests;

[Collection(Servers.Name)]
public sealed class BadInputTests(PlatformServers servers) : IAsyncLifetime
{
    private TestHostInstance host = null!;

    public async Task InitializeAsync() => host = await TestHostInstance.StartAsync(servers);

    public async Task DisposeAsync() => await host.DisposeAsync();

    private async Task<(HttpStatusCode Status, JsonElement Problem, string ContentType)> Post(string body, string contentType = "application/json")
    {
        var response = await host.Client.PostAsync("/notes", new StringContent(body, Encoding.UTF8, contentType));
        var text = await response.Content.ReadAsStringAsync();
        var media = response.Content.Headers.ContentType?.MediaType ?? "";
        return (response.StatusCode, text.Length > 0 ? JsonDocument.Parse(text).RootElement : default, media);
    }

    private async Task AssertNothingWritten()
    {
        Assert.Equal(0, await host.WithDb(db => db.Notes.CountAsync()));
        Assert.Equal(0, await host.WithDb(db => db.Set<OutboxMessage>().CountAsync()));
    }

    [Theory]
    [InlineData("{\"title\": \"x\", ")]
    [InlineData("not json at all")]
    [InlineData("")]
    [InlineData("[1,2,3]")]
    public async Task Malformed_json_is_a_400_problem(string body)
    {
        var (status, problem, type) = await Post(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal(400, problem.GetProperty("status").GetInt32());
        await AssertNothingWritten();
    }

    [Fact]
    public async Task A_wrong_type_names_the_field()
    {
        var (status, problem, _) = await Post("{\"title\": \"x\", \"amount\": \"many\"}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.True(problem.GetProperty("errors").TryGetProperty("amount", out _), problem.ToString());
        await AssertNothingWritten();
    }

    [Fact]
    public async Task A_missing_required_field_is_named()
    {
        var (status, problem, _) = await Post("{\"amount\": 5}");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("title", problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
        await AssertNothingWritten();
    }

    [Theory]
    [InlineData("{\"title\": \"\", \"amount\": 1}", "title")]
    [InlineData("{\"title\": \"ok\", \"amount\": -1}", "amount")]
    [InlineData("{\"title\": \"ok\", \"amount\": 99999999999999}", "amount")]
    public async Task Out_of_range_values_are_named(string body, string field)
    {
        var (status, problem, _) = await Post(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(field, problem.GetProperty("errors").EnumerateObject().Select(p => p.Name), StringComparer.OrdinalIgnoreCase);
        await AssertNothingWritten();
    }

    [Fact]
    public async Task An_oversized_body_is_a_413_problem()
    {
        var body = "{\"title\": \"" + new string('x', 2 * 1024 * 1024) + "\", \"amount\": 1}";
        var (status, problem, type) = await Post(body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal("application/problem+json", type);
        Assert.Equal(413, problem.GetProperty("status").GetInt32());
        await AssertNothingWritten();
    }

    [Fact]
    public async Task Deeply_nested_json_is_refused_not_crashed_on()
    {
        var body = "{\"title\": \"x\", \"amount\": 1, \"extra\": " + new string('[', 5000) + new string(']', 5000) + "}";
        var (status, _, type) = await Post(body);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("application/problem+json", type);
        await AssertNothingWritten();
    }

    [Fact]
    public async Task The_wrong_content_type_is_a_415_problem()
    {
        var (status, _, type) = await Post("<note><title>x</title></note>", "application/xml");
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal("application/problem+json", type);
        await AssertNothingWritten();
    }

    [Fact]
    public async Task An_unknown_charset_is_a_415_problem_not_a_500()
    {
        using var content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"title\":\"x\"}"));
        content.Headers.TryAddWithoutValidation("Content-Type", "application/json; charset=x-fuzz");
        var response = await host.Client.PostAsync("/notes", content);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.UnsupportedMediaType, $"{(int)response.StatusCode} {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(415, JsonDocument.Parse(body).RootElement.GetProperty("status").GetInt32());
        await AssertNothingWritten();
    }

    [Fact]
    public async Task Hostile_text_is_stored_as_inert_data()
    {
        var (status, created, _) = await Post("{\"title\": \"<script>alert(1)</script>'; DROP TABLE notes;--\", \"amount\": 1}");
        Assert.Equal(HttpStatusCode.Created, status);
        Assert.Equal("<script>alert(1)</script>'; DROP TABLE notes;--", created.GetProperty("title").GetString());
        Assert.Equal(1, await host.WithDb(db => db.Notes.CountAsync()));
    }

    [Fact]
    public async Task No_token_is_401_and_unknown_routes_are_404_problems()
    {
        using var anonymous = host.Factory.CreateClient();
        var unauthorized = await anonymous.PostAsync("/notes", new StringContent("{\"title\":\"x\",\"amount\":1}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, unauthorized.StatusCode);

        var missing = await host.Client.GetAsync($"/notes/{Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);

        var badId = await host.Client.GetAsync("/notes/not-a-guid");
        Assert.Equal(HttpStatusCode.NotFound, badId.StatusCode);
        await AssertNothingWritten();
    }

    [Fact]
    public async Task A_forged_token_is_401()
    {
        using var forged = host.Factory.CreateClient();
        var foreignKey = new Microsoft.IdentityModel.Tokens.RsaSecurityKey(System.Security.Cryptography.RSA.Create(2048)) { KeyId = "test-key" };
        forged.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            TestTokens.Mint(Xuncha.ServiceDefaults.Http.JwtAuthentication.AudienceFor("testhost"), signingKey: foreignKey));
        var response = await forged.PostAsync("/notes", new StringContent("{\"title\":\"x\",\"amount\":1}", Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        await AssertNothingWritten();
    }
}
