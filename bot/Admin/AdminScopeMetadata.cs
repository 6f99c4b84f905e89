namespace AlignmentBot.Bot.Admin;

/// <summary>Endpoint metadata: which tenant an admin endpoint acts on (see <see cref="AdminResource"/>).</summary>
public sealed record AdminScopeMetadata(AdminResource Resource);
