using AlignmentBot.Storage.Database;
using AlignmentBot.Storage.Migrations;
using Dapper;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;

namespace AlignmentBot.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// One <see cref="NpgsqlDataSource"/> for the whole app, Dapper's snake_case mapping, and the
    /// migrations applied at start-up (before anything else that touches the database starts).
    /// </summary>
    /// <summary>snake_case columns map to PascalCase members (process-wide; tests that use stores directly call it too).</summary>
    public static void UseSqlConventions() => DefaultTypeMap.MatchNamesWithUnderscores = true;

    public static IServiceCollection AddStorage(this IServiceCollection services)
    {
        UseSqlConventions();

        services.AddOptions<PostgresOptions>()
            .Configure<IConfiguration>((options, configuration) =>
                options.ConnectionString = configuration.GetConnectionString("Postgres"))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<PostgresOptions>, PostgresOptionsValidator>();

        services.AddSingleton(provider =>
        {
            var options = provider.GetRequiredService<IOptions<PostgresOptions>>().Value;
            var builder = new NpgsqlDataSourceBuilder(options.ConnectionString);
            builder.UseLoggerFactory(provider.GetService<Microsoft.Extensions.Logging.ILoggerFactory>());
            return builder.Build();
        });

        services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        services.AddSingleton<DatabaseMigrator>();
        services.AddHostedService<MigrationHostedService>();
        return services;
    }
}
