using AlignmentBot.Scheduler.Delivery;
using AlignmentBot.Scheduler.Digests;
using AlignmentBot.Scheduler.Hosting;
using AlignmentBot.Scheduler.Nudges;
using AlignmentBot.Scheduler.Okrs;
using AlignmentBot.Scheduler.Okrs.Dependencies;
using AlignmentBot.Scheduler.Okrs.Import;
using AlignmentBot.Scheduler.People;
using AlignmentBot.Scheduler.Pulses;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using Quartz;

namespace AlignmentBot.Scheduler;

public static class SchedulingServiceCollectionExtensions
{
    /// <summary>
    /// Quartz with its persistent ADO job store on our PostgreSQL, clustered: every bot instance
    /// on the same database shares one schedule and each trigger fires on exactly one of them.
    /// Jobs are resolved from DI; shutdown waits for running jobs to finish.
    /// </summary>
    public static IServiceCollection AddScheduling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulerOptions>().BindConfiguration(SchedulerOptions.Section).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SchedulerOptions>, SchedulerOptionsValidator>();

        // Quartz reads these when it is registered; the validator above still runs before anything
        // starts and names a bad setting clearly.
        var options = configuration.GetSection(SchedulerOptions.Section).Get<SchedulerOptions>() ?? new SchedulerOptions();

        services.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = options.Name;
                scheduler.GenerateInstanceId = true;
            });
            quartz.UseDefaultThreadPool(Math.Clamp(options.MaxConcurrency, 1, 64));
            quartz.UsePersistentStore(store =>
            {
                store.ConfigureStore(ado =>
                {
                    ado.TablePrefix = "qrtz_";
                    // Job data holds strings only, so a stored job never depends on a .NET type's shape.
                    ado.StoreJobDataAsStrings = true;
                    ado.MisfireThreshold = TimeSpan.FromMinutes(1);
                    // Our migrations own the tables; Quartz only checks they are what it expects.
                    ado.SchemaProvisioning = SchemaProvisioning.Validate;
                });
                store.UseClustering(cluster =>
                {
                    cluster.Enabled = true;
                    cluster.CheckinInterval = options.CheckinInterval;
                    cluster.CheckinMisfireThreshold = options.CheckinInterval * 2;
                });
                // The app's one NpgsqlDataSource, so Quartz shares its pool and settings.
                store.UsePostgres(dataSource => dataSource.DataSourceFactory = provider => provider.GetRequiredService<NpgsqlDataSource>());
                store.UseSystemTextJsonSerializer(_ => { });
            });

            // Housekeeping that every instance shares (the cluster fires it on one of them).
            quartz.ScheduleJob<ClosePulseRunsJob>(
                trigger => trigger.WithIdentity(ClosePulseRunsJob.Name, PulseSchedule.Group).WithCronSchedule("0 * * * * ?"),
                job => job.WithIdentity(ClosePulseRunsJob.Name, PulseSchedule.Group));
            quartz.ScheduleJob<NudgeScanJob>(
                trigger => trigger.WithIdentity(NudgeScanJob.Name, NudgeScanJob.Group).WithCronSchedule("0 0/15 * * * ?"),
                job => job.WithIdentity(NudgeScanJob.Name, NudgeScanJob.Group));
            // Every 15 minutes, so a digest goes out within a quarter of an hour of its local time in any zone.
            quartz.ScheduleJob<EnqueueDigestsJob>(
                trigger => trigger.WithIdentity(EnqueueDigestsJob.Name, EnqueueDigestsJob.Group).WithCronSchedule("0 0/15 * * * ?"),
                job => job.WithIdentity(EnqueueDigestsJob.Name, EnqueueDigestsJob.Group));
        });

        services.AddHealthChecks().AddCheck<SchedulerHealthCheck>("scheduler");
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Outbox>();
        services.AddSingleton<PeopleRoles>();
        services.AddSingleton<PulseRunOpener>();
        services.AddSingleton<RunCloser>();
        services.AddSingleton<PulseSchedule>();
        services.AddJob<OpenPulseRunJob>();
        services.AddJob<ClosePulseRunsJob>();
        services.AddSingleton<RhythmStore>();
        services.AddSingleton<OkrImporter>();
        services.AddSingleton<DependencyEditor>();
        services.AddSingleton<DependencyNudgePlanner>();
        services.AddSingleton<NudgePlanner>();
        services.AddJob<NudgeScanJob>();
        services.AddSingleton<DigestBuilder>();
        services.AddSingleton<TeamDigestBatches>();
        services.AddSingleton<DigestScheduler>();
        services.AddJob<EnqueueDigestsJob>();
        services.AddQuartzHostedService(hosted =>
        {
            // Start only after the app (and its migrations) is up; finish running jobs on shutdown.
            hosted.AwaitApplicationStarted = true;
            hosted.WaitForJobsToComplete = true;
        });

        return services;
    }

    /// <summary>Registers a job type in DI, so that a missing dependency fails at start-up, not at 3 a.m.</summary>
    public static IServiceCollection AddJob<TJob>(this IServiceCollection services) where TJob : class, IJob =>
        services.AddTransient<TJob>();
}
