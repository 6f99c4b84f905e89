using Microsoft.Extensions.Options;

namespace AlignmentBot.Bot.Admin;

/// <summary>
/// Whether a request came in on the admin listener (<see cref="AdminOptions.Urls"/>). Decided by the port the
/// connection arrived at, never by the Host header, which the client writes.
/// </summary>
public sealed class AdminListener(IOptions<AdminOptions> options)
{
    private readonly HashSet<int> _ports = [.. options.Value.ListenerUris().Select(u => u.Port)];

    /// <summary>The admin listener's first port (the in-process test host has no ports and uses it to stand in).</summary>
    public int Port => options.Value.ListenerUris() is [var first, ..] ? first.Port : 0;

    public bool Accepts(ConnectionInfo connection) => _ports.Contains(connection.LocalPort);

    /// <summary>Whether a listening address (as the server reports it) is the admin listener's.</summary>
    public bool IsAdminAddress(string address) =>
        Uri.TryCreate(AdminOptions.Wildcard(address), UriKind.Absolute, out var uri) && _ports.Contains(uri.Port);
}
