namespace AlignmentBot.Tests.Teams.Fakes;

/// <summary>One <c>POST /$batch</c> the fake Graph answered: when (on its clock), and each request's url and the status it got.</summary>
public sealed record FakeGraphBatch(TimeSpan At, IReadOnlyList<(string Id, string Url, int Status)> Requests);
