using System.Diagnostics.CodeAnalysis;
using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Teams.Connector;

/// <summary>
/// Decides whether a serviceUrl may receive a request (and with it our bearer token): its host must be
/// one Teams sends from (<see cref="TeamsOptions.MicrosoftServiceUrlHosts"/>) or a configured extra host
/// (<see cref="TeamsOptions.AllowedServiceUrlHosts"/>); <c>*.</c> matches any sub-domain. https is required
/// except on loopback. Without a token (local mode) any loopback address is fine.
/// </summary>
public sealed class ServiceUrlAllowList(IOptions<TeamsOptions> options)
{
    /// <summary>Returns the base to resolve <c>v3/...</c> against (path kept, trailing slash added), or why not.</summary>
    public bool TryGetBase(string? serviceUrl, bool withToken, [NotNullWhen(true)] out Uri? baseUri, [NotNullWhen(false)] out string? reason)
    {
        baseUri = null;
        if (!Uri.TryCreate(serviceUrl, UriKind.Absolute, out var uri) ||
            (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) ||
            uri.UserInfo.Length > 0)
        {
            reason = "it is not an absolute http(s) URL";
            return false;
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            reason = "it is not https (plain http is allowed on loopback only)";
            return false;
        }

        if ((withToken || !uri.IsLoopback) && !IsAllowedHost(uri.IdnHost))
        {
            reason = $"its host {uri.IdnHost} is not a Teams host nor listed in {TeamsOptions.Section}:{nameof(TeamsOptions.AllowedServiceUrlHosts)}";
            return false;
        }

        var path = uri.AbsolutePath.EndsWith('/') ? uri.AbsolutePath : uri.AbsolutePath + "/";
        baseUri = new UriBuilder(uri.Scheme, uri.Host, uri.Port, path).Uri;
        reason = null;
        return true;
    }

    public bool IsAllowedHost(string host)
    {
        host = host.TrimEnd('.');
        return TeamsOptions.MicrosoftServiceUrlHosts.Concat(options.Value.AllowedServiceUrlHosts)
            .Any(pattern => Matches(pattern.Trim(), host));
    }

    private static bool Matches(string pattern, string host)
    {
        if (pattern.StartsWith("*.", StringComparison.Ordinal))
        {
            var suffix = pattern[1..]; // ".botframework.com": a sub-domain, not the bare domain
            return host.Length > suffix.Length && host.EndsWith(suffix, StringComparison.OrdinalIgnoreCase);
        }

        return string.Equals(pattern, host, StringComparison.OrdinalIgnoreCase);
    }
}
