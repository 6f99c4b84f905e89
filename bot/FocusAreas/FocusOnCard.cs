namespace AlignmentBot.Bot.FocusAreas;

/// <summary>
/// The focus a pulse card shows above its questions: the team's aggregate result that prompted it and the manager's
/// plan; <c>Asks</c> when this is the run that asks "Did it help?" (the first run after the focus was set).
/// </summary>
public sealed record FocusOnCard(long Id, string Driver, string Survey, decimal SourceMean, decimal? SourceFavourable, string Plan, bool Asks);
