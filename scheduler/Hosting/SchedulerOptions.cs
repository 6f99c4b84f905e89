using Microsoft.Extensions.Options;

namespace AlignmentBot.Scheduler.Hosting;

/// <summary>Quartz settings. Every instance pointed at the same database shares one schedule.</summary>
public sealed class SchedulerOptions
{
    public const string Section = "Scheduler";

    /// <summary>The cluster's name (<c>sched_name</c> in the qrtz_ tables): the same on every instance.</summary>
    public string Name { get; set; } = "AlignmentBot";

    /// <summary>How often an instance tells the cluster it is alive; a silent instance's jobs are recovered by the others.</summary>
    public TimeSpan CheckinInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How many jobs one instance runs at once.</summary>
    public int MaxConcurrency { get; set; } = 4;
}

internal sealed class SchedulerOptionsValidator : IValidateOptions<SchedulerOptions>
{
    public ValidateOptionsResult Validate(string? name, SchedulerOptions options)
    {
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.Name))
        {
            failures.Add($"{SchedulerOptions.Section}:{nameof(SchedulerOptions.Name)} is empty: set it to the cluster's name (default \"AlignmentBot\").");
        }

        if (options.CheckinInterval < TimeSpan.FromSeconds(1) || options.CheckinInterval > TimeSpan.FromMinutes(5))
        {
            failures.Add($"{SchedulerOptions.Section}:{nameof(SchedulerOptions.CheckinInterval)} is {options.CheckinInterval}: use a value from 00:00:01 to 00:05:00.");
        }

        if (options.MaxConcurrency is < 1 or > 64)
        {
            failures.Add($"{SchedulerOptions.Section}:{nameof(SchedulerOptions.MaxConcurrency)} is {options.MaxConcurrency}: use a number from 1 to 64.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
