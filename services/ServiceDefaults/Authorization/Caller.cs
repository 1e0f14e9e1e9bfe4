using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace Xuncha.ServiceDefaults.Authorization;

/// <summary>What a validated token says about its bearer: the claims every service authorizes on.</summary>
public static class Caller
{
    public static string Subject(this ClaimsPrincipal user) => user.FindFirst("sub")?.Value ?? user.FindFirst("client_id")?.Value ?? "";
    public static string Jurisdiction(this ClaimsPrincipal user) => user.FindFirst("jurisdiction")?.Value ?? "";
    public static string Agency(this ClaimsPrincipal user) => user.FindFirst("agency")?.Value ?? "";
    public static string? DisplayName(this ClaimsPrincipal user) => user.FindFirst("name")?.Value;

    public static IReadOnlyList<string> Roles(this ClaimsPrincipal user) =>
        [.. user.FindAll("roles").Select(c => c.Value)];

    public static bool HasAnyRole(this ClaimsPrincipal user, params string[] roles) =>
        user.FindAll("roles").Any(c => roles.Contains(c.Value, StringComparer.Ordinal));

    public static bool HasScope(this ClaimsPrincipal user, string scope) =>
        user.FindAll("scope").SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Contains(scope, StringComparer.Ordinal);

    /// <summary>
    /// Need-to-know by jurisdiction: a caller sees a record when the caller's jurisdiction is on the record's path
    /// (root → … → the record's own jurisdiction), i.e. the record lies in the caller's subtree.
    /// </summary>
    public static bool Oversees(this ClaimsPrincipal user, IEnumerable<string> jurisdictionPath)
    {
        var mine = user.Jurisdiction();
        return mine.Length > 0 && jurisdictionPath.Contains(mine, StringComparer.Ordinal);
    }

    /// <summary>
    /// 403 ProblemDetails unless the caller holds one of the roles. Checked by <see cref="EndpointGates"/> before the request
    /// is bound or validated, so a caller without the role learns nothing about the operation's input rules.
    /// </summary>
    public static TBuilder RequireRoles<TBuilder>(this TBuilder builder, params string[] roles) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new EndpointGate(
            user => user.HasAnyRole(roles), "无权执行此操作", $"This operation needs one of the roles: {string.Join(", ", roles)}."));

    /// <summary>403 ProblemDetails unless the token carries the API scope (checked like <see cref="RequireRoles"/>).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope) where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new EndpointGate(user => user.HasScope(scope), "令牌缺少所需范围", $"The token lacks the scope '{scope}'."));
}

/// <summary>A role or scope condition on an endpoint (a group's and the endpoint's own all apply).</summary>
public sealed record EndpointGate(Func<ClaimsPrincipal, bool> Allows, string Title, string Detail);

/// <summary>Applies the endpoint's gates after authentication and authorization, before model binding and validation.</summary>
public static class EndpointGates
{
    public static IApplicationBuilder UseEndpointGates(this IApplicationBuilder app) => app.Use(async (context, next) =>
    {
        var gates = context.GetEndpoint()?.Metadata.GetOrderedMetadata<EndpointGate>();
        var refused = gates?.FirstOrDefault(g => !g.Allows(context.User));
        if (refused is null)
        {
            await next(context);
            return;
        }
        await Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: refused.Title, detail: refused.Detail).ExecuteAsync(context);
    });
}
