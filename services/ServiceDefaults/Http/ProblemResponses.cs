using System.Diagnostics;
using System.Text.Json;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Xuncha.ServiceDefaults.Http;

public static class ProblemResponses
{
    public static IHostApplicationBuilder AddProblemResponses(this IHostApplicationBuilder builder)
    {
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            c.ProblemDetails.Instance ??= c.HttpContext.Request.Path;
            c.ProblemDetails.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? c.HttpContext.TraceIdentifier;
        });
        builder.Services.AddExceptionHandler<ProblemExceptionHandler>();
        // Minimal APIs swallow binding failures into a bare 400 unless told to throw; we want a ProblemDetails naming the field.
        builder.Services.Configure<Microsoft.AspNetCore.Routing.RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        return builder;
    }
}

/// <summary>Turns every exception into RFC 9457 ProblemDetails; bad input never becomes a 500.</summary>
internal sealed class ProblemExceptionHandler(IProblemDetailsService problems, ILogger<ProblemExceptionHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
    {
        var problem = Describe(exception);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled exception for {Method} {Path}", context.Request.Method, context.Request.Path);
        }
        else
        {
            logger.LogInformation("Rejected {Method} {Path}: {Status} {Title}", context.Request.Method, context.Request.Path, problem.Status, problem.Title);
        }

        context.Response.StatusCode = problem.Status ?? 500;
        if (problem.Status == StatusCodes.Status503ServiceUnavailable)
        {
            context.Response.Headers.RetryAfter = "5";
        }
        return await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem, Exception = exception });
    }

    internal static ProblemDetails Describe(Exception exception)
    {
        switch (exception)
        {
            case BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge }:
                return new ProblemDetails { Status = 413, Title = "请求体过大 Request body too large", Detail = exception.Message, Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.14" };
            case BadHttpRequestException bad:
                var json = FindInner<JsonException>(bad);
                var field = json?.Path is { Length: > 1 } p ? p.TrimStart('$', '.') : null;
                var problem = new ProblemDetails
                {
                    Status = bad.StatusCode,
                    Title = "请求格式错误 Malformed request",
                    Detail = json is null ? bad.Message : $"{(field is null ? "Body" : $"Field '{field}'")}: {Clean(json.Message)}",
                    Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.1",
                };
                if (field is not null)
                {
                    problem.Extensions["errors"] = new Dictionary<string, string[]> { [field] = [Clean(json!.Message)] };
                }
                return problem;
            // A Content-Type charset that no encoding answers to: ReadFromJsonAsync cannot decode the body at all.
            case InvalidOperationException { InnerException: ArgumentException } when exception.Message.Contains("charset", StringComparison.Ordinal):
                return new ProblemDetails { Status = 415, Title = "不支持的字符集 Unsupported charset", Detail = "The Content-Type names a charset that cannot be decoded; send UTF-8 JSON.", Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.16" };
            case DbUpdateConcurrencyException:
                return new ProblemDetails { Status = 409, Title = "记录已被他人修改 Concurrent update", Detail = "The record was changed by someone else; reload it and try again.", Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10" };
            case DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } pg }:
                return new ProblemDetails { Status = 409, Title = "记录已存在 Duplicate", Detail = $"A record with the same key already exists ({pg.ConstraintName}).", Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.5.10" };
            case OperationCanceledException:
                return new ProblemDetails { Status = 499, Title = "Request cancelled" };
            // The database restarting or out of reach (refused, reset, shutting down): the request may simply be sent again.
            case var _ when FindInner<NpgsqlException>(exception) is { IsTransient: true }:
                return new ProblemDetails { Status = 503, Title = "服务暂不可用 Service unavailable", Detail = "The service's database is not reachable at the moment; try again shortly.", Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.4" };
            default:
                return new ProblemDetails { Status = 500, Title = "服务器内部错误 Internal error", Type = "https://www.rfc-editor.org/rfc/rfc9110#section-15.6.1" };
        }
    }

    private static T? FindInner<T>(Exception e) where T : Exception
    {
        for (Exception? x = e; x is not null; x = x.InnerException)
        {
            if (x is T t) return t;
        }
        return null;
    }

    // System.Text.Json messages end with "Path: $.x | LineNumber: 0 | BytePositionInLine: 12." — the field is reported separately.
    private static string Clean(string message)
    {
        // The serializer names our internal CLR types; the caller only needs to know the value does not fit.
        if (message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal))
        {
            return "The value has the wrong type or format.";
        }
        var cut = message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
