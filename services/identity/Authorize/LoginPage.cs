using System.Text.Encodings.Web;
using System.Text.Unicode;

namespace Xuncha.Identity.Authorize;

/// <summary>The server-rendered sign-in page (Chinese), and the error page for requests that cannot be redirected.</summary>
public static class LoginPage
{
    // Chinese text stays readable in the page source instead of becoming character references.
    private static readonly HtmlEncoder Html = HtmlEncoder.Create(UnicodeRanges.All);

    private static string E(string? s) => Html.Encode(s ?? "");

    public static IResult Render(string returnUrl, string antiforgeryField, string antiforgeryToken, string? error = null, string? username = null, int status = 200) =>
        Results.Content(Layout("登录 · 巡察平台", $"""
            <h1>巡察工作平台</h1>
            <p class="sub">Xuncha Platform · 统一身份认证</p>
            {(error is null ? "" : $"<p class=\"error\" role=\"alert\">{E(error)}</p>")}
            <form method="post" action="/connect/login">
              <input type="hidden" name="{E(antiforgeryField)}" value="{E(antiforgeryToken)}">
              <input type="hidden" name="returnUrl" value="{E(returnUrl)}">
              <label for="username">用户名</label>
              <input id="username" name="username" autocomplete="username" required maxlength="100" value="{E(username)}">
              <label for="password">密码</label>
              <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="200">
              <button type="submit">登录</button>
            </form>
            <p class="note">本系统涉及巡察工作秘密，登录及访问行为均记录审计。</p>
            """), "text/html; charset=utf-8", statusCode: status);

    public static IResult SignedOut() =>
        Results.Content(Layout("已退出 · 巡察平台", "<h1>巡察工作平台</h1><p>您已安全退出登录。</p>"), "text/html; charset=utf-8");

    public static IResult Error(string message, int status = 400) =>
        Results.Content(Layout("请求无效 · 巡察平台", $"<h1>请求无效</h1><p class=\"error\">{E(message)}</p>"), "text/html; charset=utf-8", statusCode: status);

    private static string Layout(string title, string body) => $$"""
        <!doctype html>
        <html lang="zh-CN">
        <head>
          <meta charset="utf-8">
          <meta name="viewport" content="width=device-width, initial-scale=1">
          <title>{{E(title)}}</title>
          <style>
            body { font-family: system-ui, "PingFang SC", "Microsoft YaHei", sans-serif; background: #f4f5f7; margin: 0; }
            main { max-width: 360px; margin: 10vh auto; background: #fff; padding: 2rem; border-radius: 8px; box-shadow: 0 2px 8px #0002; }
            h1 { color: #b71c1c; font-size: 1.4rem; margin: 0; } .sub { color: #666; margin-top: .25rem; }
            label { display: block; margin-top: 1rem; } input { width: 100%; padding: .5rem; box-sizing: border-box; }
            button { margin-top: 1.5rem; width: 100%; padding: .6rem; background: #b71c1c; color: #fff; border: 0; border-radius: 4px; font-size: 1rem; }
            .error { color: #b71c1c; } .note { color: #888; font-size: .8rem; margin-top: 1.5rem; }
          </style>
        </head>
        <body><main>{{body}}</main></body>
        </html>
        """;
}
