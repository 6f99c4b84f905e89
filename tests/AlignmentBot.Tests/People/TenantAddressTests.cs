using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using AlignmentBot.Tests.Support;

namespace AlignmentBot.Tests.People;

/// <summary>The admin API names a tenant by platform and id: a Teams tenant and a Slack workspace with the same id are two tenants.</summary>
public class TenantAddressTests
{
    private const string Key = "test-admin-key-0123456789abcdef";

    [Test]
    public async Task A_setting_saved_for_the_slack_workspace_leaves_the_teams_tenant_of_the_same_id_alone()
    {
        await using var database = await TestDatabase.CreateAsync();
        await database.ExecuteAsync("INSERT INTO tenants (platform, external_id) VALUES ('teams', 'acme'), ('slack', 'acme')");
        await using var bot = new BotFactory(database, new Dictionary<string, string?> { ["Admin:ApiKey"] = Key });
        using var http = bot.CreateClient();
        http.DefaultRequestHeaders.Add("X-Api-Key", Key);

        using var saved = await http.PutAsJsonAsync("/admin/tenants/slack/acme/rhythm", new { graceDays = 4 });
        Assert.That(saved.StatusCode, Is.EqualTo(HttpStatusCode.OK), await saved.Content.ReadAsStringAsync());
        using var defaultPulse = await http.PutAsJsonAsync("/admin/tenants/teams/acme/default-pulse", new { enabled = false });
        Assert.That(defaultPulse.StatusCode, Is.EqualTo(HttpStatusCode.OK));

        Assert.That(await database.ScalarAsync<string>("SELECT string_agg(platform || '=' || coalesce(settings->'rhythm'->>'graceDays', '-') || '/' || coalesce(settings->>'defaultPulse', '-'), ' ' ORDER BY platform) FROM tenants"),
            Is.EqualTo("slack=4/- teams=-/false"));
        using var slack = JsonDocument.Parse(await http.GetStringAsync("/admin/tenants/slack/acme/rhythm"));
        using var teams = JsonDocument.Parse(await http.GetStringAsync("/admin/tenants/teams/acme/rhythm"));
        Assert.That((slack.RootElement.GetProperty("graceDays").GetInt32(), teams.RootElement.GetProperty("graceDays").GetInt32()), Is.EqualTo((4, 1)));

        using var unknown = await http.GetAsync("/admin/tenants/slack/other/rhythm");
        Assert.That(unknown.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(await unknown.Content.ReadAsStringAsync(), Does.Contain("No slack tenant"));
        using var platform = await http.GetAsync("/admin/tenants/webex/acme/rhythm");
        Assert.That(platform.StatusCode, Is.EqualTo(HttpStatusCode.NotFound), "only platforms the database knows are routes");
    }
}
