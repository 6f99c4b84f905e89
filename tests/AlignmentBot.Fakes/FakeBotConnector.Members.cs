using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace AlignmentBot.Tests.Teams.Fakes;

public sealed partial class FakeBotConnector
{
    private static readonly JsonSerializerOptions MemberJson = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    private readonly Dictionary<string, IReadOnlyList<FakeMember>> _rosters = new(StringComparer.Ordinal);
    private readonly Dictionary<string, (string Team, int Offset)> _continuations = new(StringComparer.Ordinal);

    /// <summary>The members <c>GET /v3/conversations/{teamId}/pagedmembers</c> pages through (unknown teams answer 404).</summary>
    public void SetRoster(string teamId, IEnumerable<FakeMember> members)
    {
        lock (_lock)
        {
            _rosters[teamId] = [.. members];
        }
    }

    private FakeReply MembersPage(FakeRequest request)
    {
        var pageSize = 500;
        if (request.Query.TryGetValue("pageSize", out var size) &&
            (!int.TryParse(size, CultureInfo.InvariantCulture, out pageSize) || pageSize is < 1 or > 500))
        {
            return FakeReply.Error(400, "BadArgument", "pageSize must be 1..500");
        }

        lock (_lock)
        {
            if (!_rosters.TryGetValue(request.ConversationId!, out var roster))
            {
                return FakeReply.NotFound();
            }

            var offset = 0;
            if (request.Query.TryGetValue("continuationToken", out var token))
            {
                if (!_continuations.TryGetValue(token, out var position) || position.Team != request.ConversationId)
                {
                    return FakeReply.Error(400, "BadArgument", "Invalid continuation token");
                }

                offset = position.Offset;
            }

            var members = roster.Skip(offset).Take(pageSize).ToList();
            string? next = null;
            if (offset + members.Count < roster.Count)
            {
                next = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
                _continuations[next] = (request.ConversationId!, offset + members.Count);
            }

            return new FakeReply(200, JsonSerializer.Serialize(new { continuationToken = next, members }, MemberJson));
        }
    }
}
