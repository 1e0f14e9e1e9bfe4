using System.Net;
using System.Text;
using Xuncha.Gateway.Edge;

namespace Xuncha.Gateway.Routing;

/// <summary><c>GET /api</c> (HTML) and <c>GET /api/index.json</c>: every platform API and its OpenAPI document.</summary>
public static class ApiIndex
{
    public sealed record Entry(string Name, string Title, bool Deployed, string OpenApi);

    public static WebApplication MapApiIndex(this WebApplication app)
    {
        var upstreams = app.Services.GetRequiredService<Upstreams>();
        var entries = PlatformApi.All.Select(a => new Entry(a.Name, a.Title, upstreams.IsDeployed(a.Name), a.OpenApiPath)).ToList();
        var html = Html(entries);

        app.MapGet("/api", () => Results.Content(html, "text/html; charset=utf-8")).AllowAnonymous().RequireRateLimiting(EdgeRateLimits.PerAddress);
        app.MapGet("/api/index.json", () => TypedResults.Ok(new { services = entries })).AllowAnonymous().RequireRateLimiting(EdgeRateLimits.PerAddress);
        return app;
    }

    private static string Html(IEnumerable<Entry> entries)
    {
        var rows = new StringBuilder();
        foreach (var e in entries)
        {
            var link = e.Deployed ? $"<a href=\"{e.OpenApi}\">{e.OpenApi}</a>" : "未部署 not deployed";
            rows.Append($"<tr><td>{WebUtility.HtmlEncode(e.Title)}</td><td><code>/api/{e.Name}</code></td><td>{link}</td></tr>\n");
        }
        return $"""
            <!doctype html>
            <html lang="zh-CN">
            <head><meta charset="utf-8"><title>巡察平台接口 Xuncha Platform APIs</title></head>
            <body>
            <h1>巡察平台接口 Xuncha Platform APIs</h1>
            <table>
            <tr><th>服务 Service</th><th>路径 Path</th><th>OpenAPI 文档 document</th></tr>
            {rows}</table>
            <p>令牌 Tokens: <a href="/.well-known/openid-configuration">/.well-known/openid-configuration</a></p>
            </body>
            </html>
            """;
    }
}
