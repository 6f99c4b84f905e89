using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>
/// The token Teams SSO hands a tab (<c>authentication.getAuthToken()</c>): an Entra v2.0 access token for the app's
/// API, with <c>scp</c>, <c>tid</c> and <c>oid</c>, signed with the key the fake publishes (or another, to forge one).
/// </summary>
public sealed partial class FakeEntraId
{
    public string IssueTeamsSsoToken(SignedInUser user, string audience, TimeSpan? lifetime = null, RsaSecurityKey? signWith = null, string scope = "access_as_user")
    {
        var now = Clock.GetUtcNow();
        var claims = new Dictionary<string, object>
        {
            ["oid"] = user.ObjectId,
            ["tid"] = user.TenantId,
            ["name"] = user.Name,
            ["scp"] = scope,
            ["azp"] = "5e3ce6c0-2b1f-4285-8d4b-75ee78787346",
            ["ver"] = "2.0",
        };
        if (user.Roles is { Count: > 0 } roles)
        {
            claims["roles"] = roles.ToArray();
        }

        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = new Uri(BaseAddress, $"{user.TenantId}/v2.0").ToString(),
            Audience = audience,
            IssuedAt = now.UtcDateTime,
            NotBefore = now.UtcDateTime,
            Expires = now.Add(lifetime ?? TimeSpan.FromHours(1)).UtcDateTime,
            Claims = claims,
            SigningCredentials = new SigningCredentials(signWith ?? SigningKey, SecurityAlgorithms.RsaSha256),
        });
    }
}
