using System.Text.Json.Nodes;

namespace AlignmentBot.Tests.Teams;

/// <summary>
/// Mutates a recorded Teams activity the way a hostile or broken client might: fields removed, values of the wrong
/// type, huge values, deep nesting, and unicode that trips parsers and logs. Seeded, so a failure can be replayed.
/// </summary>
public sealed class ActivityMutator(int seed)
{
    private readonly Random _random = new(seed);

    private static readonly string[] Unicode =
    [
        "", " ", "\u0000", "\r\nINFO forged log line", "\u202Eevil\u202C", "\uD800", "\uDFFF", "😀👍🏽", "ｄｉｇｅｓｔ", "Z̴̡̛a̵l̸g̶o̴",
        "<at>AlignmentBot</at>", "<script>alert(1)</script>", "'; DROP TABLE people; --", "%00%0a", "\u2028\u2029", "\uFEFF", "ǅ", "İ",
        "results", "pulse", "okrs team", "digest <team>", "help", "away until 2026-12-04", "29:", "28:c9e8c047-2a74-40a2-b28a-b162d5f5327c",
    ];

    public string Mutate(string json)
    {
        var root = JsonNode.Parse(json)!;
        var count = 1 + _random.Next(3);
        for (var i = 0; i < count; i++)
        {
            root = MutateOnce(root);
        }

        return root.ToJsonString();
    }

    private JsonNode MutateOnce(JsonNode root)
    {
        var nodes = Walk(root).Where(n => n.Parent is not null).ToList();
        if (nodes.Count == 0)
        {
            return Value() ?? new JsonObject();
        }

        var target = nodes[_random.Next(nodes.Count)];
        switch (_random.Next(4))
        {
            case 0:
                Remove(target);
                break;
            default:
                Replace(target, Value());
                break;
        }

        return root;
    }

    /// <summary>A value of any type: primitive, huge, deep, odd unicode.</summary>
    private JsonNode? Value() => _random.Next(12) switch
    {
        0 => null,
        1 => JsonValue.Create(_random.Next(2) == 0),
        2 => JsonValue.Create(_random.Next(3) switch { 0 => long.MaxValue, 1 => -1, _ => 0 }),
        3 => JsonValue.Create(_random.Next(2) == 0 ? 1e308 : -0.5),
        4 => new JsonArray(Value(), Value()),
        5 => new JsonObject { ["id"] = Value(), ["name"] = Value() },
        6 => JsonValue.Create(new string('x', _random.Next(2) == 0 ? 10_000 : 200_000)),
        7 => Deep(_random.Next(10, 80)),
        _ => JsonValue.Create(Unicode[_random.Next(Unicode.Length)] + (_random.Next(3) == 0 ? Unicode[_random.Next(Unicode.Length)] : "")),
    };

    private static JsonNode Deep(int depth)
    {
        JsonNode node = new JsonObject();
        for (var i = 0; i < depth; i++)
        {
            node = new JsonObject { ["a"] = node };
        }

        return node;
    }

    private static void Remove(JsonNode target)
    {
        switch (target.Parent)
        {
            case JsonObject o:
                o.Remove(target.GetPropertyName());
                break;
            case JsonArray a:
                a.Remove(target);
                break;
        }
    }

    private static void Replace(JsonNode target, JsonNode? value)
    {
        switch (target.Parent)
        {
            case JsonObject o:
                o[target.GetPropertyName()] = value;
                break;
            case JsonArray a:
                a[a.IndexOf(target)] = value;
                break;
        }
    }

    private static IEnumerable<JsonNode> Walk(JsonNode? node)
    {
        if (node is null)
        {
            yield break;
        }

        yield return node;
        var children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a.AsEnumerable(),
            _ => [],
        };
        foreach (var child in children.ToList().SelectMany(Walk))
        {
            yield return child;
        }
    }
}
