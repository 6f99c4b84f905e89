namespace AlignmentBot.Scheduler.FocusAreas;

/// <summary>
/// A pulse driver's team result in a closed run, as shown (at or above the survey's score threshold): the mean of its
/// likert questions' means (1–5), their favourable share, and how many answered.
/// </summary>
public sealed record DriverResult(string Driver, decimal Mean, decimal? FavourablePercent, int Answers);
