namespace AlignmentBot.Scheduler.Okrs.Dependencies;

public enum DependencyEditOutcome
{
    Added,
    Updated,
    Removed,
    /// <summary>The person owns no key result (with that key).</summary>
    NotOwner,
    /// <summary>The person owns several key results and did not say which one waits.</summary>
    WhichOne,
    /// <summary>No key result in the tenant has the key to depend on.</summary>
    UnknownKey,
    Itself,
    /// <summary>It would make key results wait for each other in a circle; <see cref="DependencyEdit.Loop"/> names it.</summary>
    Loop,
    /// <summary>"no longer depends on" a key result it did not depend on.</summary>
    NotDependent,
}

/// <summary>What a chat edit of a dependency did, for the bot to say.</summary>
/// <remarks>
/// <para><c>Owned</c>: the keys of the key results the person owns (to pick from, when they must say which).</para>
/// <para><c>Loop</c>: the loop the edit would make, by key result name, from the waiting key result back to it.</para>
/// </remarks>
public sealed record DependencyEdit(
    DependencyEditOutcome Outcome,
    DependencyEnd? Waiting = null,
    DependencyEnd? WaitedOn = null,
    IReadOnlyList<string>? Owned = null,
    IReadOnlyList<string>? Loop = null);
