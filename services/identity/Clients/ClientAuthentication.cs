using System.Text;
using Microsoft.EntityFrameworkCore;
using Xuncha.Identity.Data;
using Xuncha.Identity.Tokens;

namespace Xuncha.Identity.Clients;

/// <summary>RFC 6749 §2.3: client_secret_basic or client_secret_post, or a public client naming itself (PKCE flows only).</summary>
public static class ClientAuthentication
{
    public sealed record Outcome(ApiClient? Client, IResult? Error, bool Confidential);

    public static async Task<Outcome> AuthenticateAsync(HttpRequest request, IFormCollection form, IdentityDb db, CancellationToken ct)
    {
        string? id = null, secret = null;
        var basic = false;
        var header = request.Headers.Authorization.ToString();
        if (header.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            basic = true;
            string decoded;
            try
            {
                decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[6..].Trim()));
            }
            catch (FormatException)
            {
                return new(null, OAuthError.InvalidClient(true), false);
            }
            var colon = decoded.IndexOf(':');
            if (colon < 0) return new(null, OAuthError.InvalidClient(true), false);
            id = Uri.UnescapeDataString(decoded[..colon].Replace('+', ' '));
            secret = Uri.UnescapeDataString(decoded[(colon + 1)..].Replace('+', ' '));
            if (form.ContainsKey("client_secret"))
            {
                return new(null, OAuthError.Result("invalid_request", "Use one client authentication method, not two."), false);
            }
        }
        else
        {
            id = form["client_id"].ToString();
            secret = form.ContainsKey("client_secret") ? form["client_secret"].ToString() : null;
        }

        if (string.IsNullOrEmpty(id) || id.Length > 100)
        {
            return new(null, OAuthError.InvalidClient(basic), false);
        }
        var client = await db.Clients.AsNoTracking().SingleOrDefaultAsync(c => c.ClientId == id, ct);
        if (client is null || client.Disabled)
        {
            return new(null, OAuthError.InvalidClient(basic), false);
        }
        if (client.IsPublic)
        {
            return secret is null ? new(client, null, false) : new(null, OAuthError.InvalidClient(basic), false);
        }
        return client.SecretMatches(secret) ? new(client, null, true) : new(null, OAuthError.InvalidClient(basic), false);
    }
}
