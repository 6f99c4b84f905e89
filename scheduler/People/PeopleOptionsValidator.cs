using Microsoft.Extensions.Options;

namespace AlignmentBot.Scheduler.People;

/// <summary>Names every bad <c>People</c> setting and its allowed range.</summary>
public sealed class PeopleOptionsValidator : IValidateOptions<PeopleOptions>
{
    public ValidateOptionsResult Validate(string? name, PeopleOptions options)
    {
        var failures = new List<string>();
        if (options.MaxImportRows is < 1 or > 1_000_000)
        {
            failures.Add($"{PeopleOptions.Section}:{nameof(PeopleOptions.MaxImportRows)} must be between 1 and 1000000 (it is {options.MaxImportRows}).");
        }

        if (options.TeamlessDaysBeforeInactive is < 1 or > 365)
        {
            failures.Add($"{PeopleOptions.Section}:{nameof(PeopleOptions.TeamlessDaysBeforeInactive)} must be between 1 and 365 days (it is {options.TeamlessDaysBeforeInactive}).");
        }

        if (options.RosterRefreshInterval != TimeSpan.Zero && (options.RosterRefreshInterval < TimeSpan.FromMinutes(15) || options.RosterRefreshInterval > TimeSpan.FromDays(7)))
        {
            failures.Add($"{PeopleOptions.Section}:{nameof(PeopleOptions.RosterRefreshInterval)} must be 00:00:00 (off) or between 00:15:00 and 7.00:00:00 (it is {options.RosterRefreshInterval}).");
        }

        return failures.Count > 0 ? ValidateOptionsResult.Fail(failures) : ValidateOptionsResult.Success;
    }
}
