namespace AlignmentBot.Bench.Fanout;

/// <summary>A fan-out to people who have no 1:1 chat yet: every message costs a create and a send.</summary>
public sealed record FanoutScenario(string Name, int Tenants, int PeoplePerTenant, int Instances, string Description)
{
    /// <summary>Teams' limit per tenant; a message to someone without a chat needs two requests.</summary>
    public const int TenantRequestsPerSecond = 50;

    public const int RequestsPerMessage = 2;

    public static IReadOnlyList<FanoutScenario> All { get; } =
    [
        new("A", 1, 5000, 1, "one tenant, 5,000 people"),
        new("B", 10, 2000, 1, "hosted: 10 tenants x 2,000 people"),
        new("B2", 10, 2000, 2, "hosted: 10 tenants x 2,000 people, two bot processes on one database"),
        new("smoke", 2, 100, 2, "a quick check that the benchmark runs (CI)"),
        new("M", 10_000, 3, 1, "many tenants: 10,000 x 3 people through one bot process"),
    ];

    public int Messages => Tenants * PeoplePerTenant;

    /// <summary>Messages per second the limits allow at most.</summary>
    public double CeilingPerSecond => Tenants * (double)TenantRequestsPerSecond / RequestsPerMessage;

    public static FanoutScenario? Find(string name) => All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
