using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Xuncha.AuditLinkage.Data;

internal static class JsonColumns
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    /// <summary>Stores a value object or list as jsonb; compared by content so in-place list edits are saved.</summary>
    public static void Json<TEntity, TValue>(this EntityTypeBuilder<TEntity> entity, System.Linq.Expressions.Expression<Func<TEntity, TValue>> property)
        where TEntity : class
    {
        entity.Property(property)
            .HasColumnType("jsonb")
            .HasConversion(
                v => JsonSerializer.Serialize(v, Options),
                s => JsonSerializer.Deserialize<TValue>(s, Options)!,
                new ValueComparer<TValue>(
                    (a, b) => JsonSerializer.Serialize(a, Options) == JsonSerializer.Serialize(b, Options),
                    v => JsonSerializer.Serialize(v, Options).GetHashCode(),
                    v => JsonSerializer.Deserialize<TValue>(JsonSerializer.Serialize(v, Options), Options)!));
    }
}
