using System.Collections.Concurrent;
using System.ComponentModel;
using System.Reflection;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Serialization;

namespace Xuncha.Planning;

/// <summary>
/// The kebab-case codes enums travel as (the same as their JSON names and the contracts' strings), and their Chinese
/// labels; parsing accepts either.
/// </summary>
public static class Codes
{
    /// <summary>Unit and jurisdiction codes: ASCII letters, digits, '-', '_' (they become ids across services).</summary>
    public const string Pattern = "^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$";

    private static readonly ConcurrentDictionary<Type, (Dictionary<Enum, string> Code, Dictionary<Enum, string> Label, Dictionary<string, Enum> Parse)> Cache = new();

    private static (Dictionary<Enum, string> Code, Dictionary<Enum, string> Label, Dictionary<string, Enum> Parse) For(Type type) => Cache.GetOrAdd(type, t =>
    {
        var code = new Dictionary<Enum, string>();
        var label = new Dictionary<Enum, string>();
        var parse = new Dictionary<string, Enum>(StringComparer.OrdinalIgnoreCase);
        foreach (var field in t.GetFields(BindingFlags.Public | BindingFlags.Static))
        {
            var value = (Enum)field.GetValue(null)!;
            var c = field.GetCustomAttribute<JsonStringEnumMemberNameAttribute>()?.Name ?? field.Name;
            var l = field.GetCustomAttribute<DescriptionAttribute>()?.Description ?? c;
            code[value] = c;
            label[value] = l;
            parse[c] = value;
            parse[l] = value;
            parse[field.Name] = value;
        }
        return (code, label, parse);
    });

    public static string Of<T>(T value) where T : struct, Enum => For(typeof(T)).Code[value];

    public static string Label<T>(T value) where T : struct, Enum => For(typeof(T)).Label[value];

    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum
    {
        if (text is not null && For(typeof(T)).Parse.TryGetValue(text.Trim(), out var found))
        {
            value = (T)found;
            return true;
        }
        value = default;
        return false;
    }

    public static string Known<T>() where T : struct, Enum => string.Join(", ", For(typeof(T)).Code.Values);

    /// <summary>A name-based (version 5 style, SHA-1) UUID: the same name gives the same id in every service and every run.</summary>
    public static Guid NameBased(string name)
    {
        var hash = SHA1.HashData(Encoding.UTF8.GetBytes(name));
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return new Guid(hash.AsSpan(0, 16), bigEndian: true);
    }
}
