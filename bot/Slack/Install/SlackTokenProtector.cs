using Microsoft.AspNetCore.DataProtection;

namespace AlignmentBot.Bot.Slack.Install;

/// <summary>
/// Encrypts a workspace's tokens for the database and back, with ASP.NET Core Data Protection (keys in PostgreSQL,
/// <see cref="AlignmentBot.Bot.KeyRing.DatabaseKeyRing"/>): the table never holds a token in plain text.
/// </summary>
public sealed class SlackTokenProtector(IDataProtectionProvider protection)
{
    private readonly IDataProtector _protector = protection.CreateProtector("AlignmentBot.Slack.Tokens.v1");

    public string? Protect(string? token) => token is { Length: > 0 } ? _protector.Protect(token) : null;

    public string? Unprotect(string? stored) => stored is { Length: > 0 } ? _protector.Unprotect(stored) : null;
}
