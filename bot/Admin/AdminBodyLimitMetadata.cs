namespace AlignmentBot.Bot.Admin;

/// <summary>Endpoint metadata: the largest body an admin endpoint reads, counted as it arrives (chunked bodies too).</summary>
public sealed record AdminBodyLimitMetadata(long Bytes);
