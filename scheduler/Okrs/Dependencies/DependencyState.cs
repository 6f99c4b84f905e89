namespace AlignmentBot.Scheduler.Okrs.Dependencies;

/// <summary>How a dependency between key results stands (<see cref="KeyResultRules.Dependency"/>).</summary>
public enum DependencyState
{
    Fine,
    /// <summary>The key result waited on is at risk, off track or stale.</summary>
    AtRisk,
    /// <summary>Its needed-by date has passed and the key result waited on is not done.</summary>
    Late,
}
