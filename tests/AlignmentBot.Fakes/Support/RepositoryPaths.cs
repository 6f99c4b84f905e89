namespace AlignmentBot.Tests.Support;

/// <summary>Where things are in the checkout the tests were built from.</summary>
public static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary>"Debug" or "Release": the configuration this test assembly was built with.</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;

    public static string BotAssembly => Path.Combine(Root, "bot", "bin", Configuration, "net10.0", "AlignmentBot.Bot.dll");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "AlignmentBot.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"AlignmentBot.sln not found above {AppContext.BaseDirectory}");
    }
}
