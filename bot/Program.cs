using AlignmentBot.Bot.Admin;
using AlignmentBot.Bot.Delivery;
using AlignmentBot.Bot.Digests;
using AlignmentBot.Bot.Digests.Charts;
using AlignmentBot.Bot.FocusAreas;
using AlignmentBot.Bot.Health;
using AlignmentBot.Bot.Hosting;
using AlignmentBot.Bot.Observability;
using AlignmentBot.Bot.Okrs;
using AlignmentBot.Bot.People;
using AlignmentBot.Bot.Pulses;
using AlignmentBot.Bot.Slack;
using AlignmentBot.Bot.Teams;
using AlignmentBot.Bot.Web;
using AlignmentBot.Scheduler;
using AlignmentBot.Storage;

try
{
    var builder = WebApplication.CreateBuilder(args);
    builder.UseAlignmentBotConfiguration();
    builder.AddTelemetry();

    builder.Services.AddStorage();
    builder.Services.AddScheduling(builder.Configuration);
    builder.Services.AddHealth();
    builder.Services.AddTeams();
    builder.Services.AddSlack();
    builder.Services.AddDelivery();
    builder.AddAdmin();
    builder.Services.AddPulses();
    builder.Services.AddFocusAreas();
    builder.Services.AddOkrs();
    builder.Services.AddDigestCharts();
    builder.Services.AddDigests();
    builder.Services.AddPeople();
    builder.AddDashboard();

    var app = builder.Build();
    app.UseTelemetryPorts();
    app.MapHealth();
    app.MapMessages();
    app.MapSlack();
    app.MapAdmin().MapSurveyAdmin().MapOkrAdmin().MapDigestAdmin().MapPeopleAdmin();
    app.MapDigestCharts();
    app.MapDashboard();

    await app.PrepareAsync();
    await app.RunAsync();
    return 0;
}
catch (Exception ex) when (StartupFailure.IsExplained(ex))
{
    return StartupFailure.Report(ex, Console.Error);
}

/// <summary>Entry point; public so integration tests can host the app.</summary>
public partial class Program;
