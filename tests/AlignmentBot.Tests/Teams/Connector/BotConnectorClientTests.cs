using System.Net;
using AlignmentBot.Bot.Teams.Connector;
using AlignmentBot.Bot.Teams.Protocol;
using AlignmentBot.Tests.Teams.Fakes;

namespace AlignmentBot.Tests.Teams.Connector;

/// <summary>Each Bot Connector call against the fake connector over real HTTP: path, method, body, answer.</summary>
public class BotConnectorClientTests
{
    // A channel thread id: ':', '@', ';' and '=' must all be percent-encoded in the path.
    private const string ChannelConversation = "19:abc123@thread.tacv2;messageid=1700000000001";

    private static readonly Activity Message = new() { Type = ActivityTypes.Message, Text = "How aligned do you feel this week?" };

    [Test]
    public async Task Send_posts_the_activity_to_the_conversation_and_returns_the_new_id()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        using var host = ConnectorHost.Local();

        var result = await host.Client.SendAsync(fake.ServiceUrl, ChannelConversation, Message);

        Assert.That(result.IsSuccess, Is.True, result.ToString());
        var request = fake.Requests.Single();
        var activity = fake.ActivitiesIn(ChannelConversation).Single();
        Assert.Multiple(() =>
        {
            Assert.That(result.StatusCode, Is.EqualTo(HttpStatusCode.Created));
            Assert.That(result.Value, Is.EqualTo(activity.ActivityId));
            Assert.That(request.Method, Is.EqualTo("POST"));
            Assert.That(request.RawTarget, Is.EqualTo("/v3/conversations/19%3Aabc123%40thread.tacv2%3Bmessageid%3D1700000000001/activities"));
            Assert.That(activity.Operation, Is.EqualTo(FakeOperation.Send));
            Assert.That(activity.Body, Is.EqualTo("""{"type":"message","text":"How aligned do you feel this week?"}"""));
        });
    }

    [Test]
    public async Task Reply_posts_to_the_activity_it_answers_and_names_it_in_replyToId()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        using var host = ConnectorHost.Local();

        var result = await host.Client.ReplyAsync(fake.ServiceUrl, ChannelConversation, "1700000000001", Message);

        Assert.That(result.IsSuccess, Is.True, result.ToString());
        var activity = fake.Activities.Single();
        Assert.Multiple(() =>
        {
            Assert.That(fake.Requests.Single().RawTarget, Does.EndWith("%3D1700000000001/activities/1700000000001"));
            Assert.That(activity.Operation, Is.EqualTo(FakeOperation.Reply));
            Assert.That(activity.ReplyToId, Is.EqualTo("1700000000001"));
            Assert.That(activity.Activity!.ReplyToId, Is.EqualTo("1700000000001"));
            Assert.That(result.Value, Is.EqualTo(activity.ActivityId));
        });
    }

    [Test]
    public async Task Update_puts_the_new_activity_in_place_of_the_old_one()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        using var host = ConnectorHost.Local();
        var sent = await host.Client.SendAsync(fake.ServiceUrl, ChannelConversation, Message);

        var result = await host.Client.UpdateAsync(fake.ServiceUrl, ChannelConversation, sent.Value!, Message with { Text = "Thanks, recorded" });

        Assert.That(result.IsSuccess, Is.True, result.ToString());
        var update = fake.Activities[1];
        Assert.Multiple(() =>
        {
            Assert.That(fake.Requests[1].Method, Is.EqualTo("PUT"));
            Assert.That(fake.Requests[1].RawTarget, Does.EndWith($"/activities/{sent.Value}"));
            Assert.That(update.Operation, Is.EqualTo(FakeOperation.Update));
            Assert.That(update.ActivityId, Is.EqualTo(sent.Value));
            Assert.That(update.Json!["text"]!.GetValue<string>(), Is.EqualTo("Thanks, recorded"));
            Assert.That(update.Json!["id"]!.GetValue<string>(), Is.EqualTo(sent.Value));
        });
    }

    [Test]
    public async Task Delete_removes_the_activity()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        using var host = ConnectorHost.Local();

        var result = await host.Client.DeleteAsync(fake.ServiceUrl, "a:personal-chat", "1700000000042");

        Assert.That(result.IsSuccess, Is.True, result.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(fake.Requests.Single().Method, Is.EqualTo("DELETE"));
            Assert.That(fake.Requests.Single().RawTarget, Is.EqualTo("/v3/conversations/a%3Apersonal-chat/activities/1700000000042"));
            Assert.That(fake.Activities.Single(), Is.EqualTo(new ReceivedActivity(FakeOperation.Delete, "a:personal-chat", "1700000000042", null, null)));
        });
    }

    [Test]
    public async Task Creating_a_personal_conversation_sends_exactly_the_documented_body_and_returns_its_id()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        using var host = ConnectorHost.Local();

        var result = await host.Client.CreatePersonalConversationAsync(fake.ServiceUrl, ConnectorHost.TenantId, ConnectorHost.AppId, "29:user-1");

        Assert.That(result.IsSuccess, Is.True, result.ToString());
        var created = fake.Conversations.Single();
        Assert.Multiple(() =>
        {
            Assert.That(fake.Requests.Single().RawTarget, Is.EqualTo("/v3/conversations"));
            Assert.That(created.Body, Is.EqualTo(
                $$$"""{"bot":{"id":"28:{{{ConnectorHost.AppId}}}"},"members":[{"id":"29:user-1"}],"channelData":{"tenant":{"id":"{{{ConnectorHost.TenantId}}}"}},"tenantId":"{{{ConnectorHost.TenantId}}}","isGroup":false}"""));
            Assert.That(result.Value, Is.EqualTo(created.Id).And.StartWith("a:"));
        });
    }

    [Test]
    public async Task A_bot_id_that_already_has_its_prefix_is_not_prefixed_again()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        using var host = ConnectorHost.Local();

        await host.Client.CreatePersonalConversationAsync(fake.ServiceUrl, ConnectorHost.TenantId, "28:" + ConnectorHost.AppId, "29:user-1");

        Assert.That(fake.Conversations.Single().Json!["bot"]!["id"]!.GetValue<string>(), Is.EqualTo("28:" + ConnectorHost.AppId));
    }

    [Test]
    public async Task Members_are_read_page_by_page_with_the_continuation_token()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.SetRoster("19:team@thread.tacv2", Roster(1_234));
        using var host = ConnectorHost.Local();

        var first = await host.Client.GetPagedMembersAsync(fake.ServiceUrl, "19:team@thread.tacv2");
        var second = await host.Client.GetPagedMembersAsync(fake.ServiceUrl, "19:team@thread.tacv2", first.Value!.ContinuationToken);
        var third = await host.Client.GetPagedMembersAsync(fake.ServiceUrl, "19:team@thread.tacv2", second.Value!.ContinuationToken);

        Assert.Multiple(() =>
        {
            Assert.That(first.Value.Members, Has.Count.EqualTo(500));
            Assert.That(second.Value.Members, Has.Count.EqualTo(500));
            Assert.That(third.Value!.Members, Has.Count.EqualTo(234));
            Assert.That(third.Value.ContinuationToken, Is.Null, "the last page has no continuation token");
            Assert.That(fake.Requests[0].RawTarget, Is.EqualTo("/v3/conversations/19%3Ateam%40thread.tacv2/pagedmembers?pageSize=500"));
            Assert.That(fake.Requests[1].Query["continuationToken"], Is.EqualTo(first.Value.ContinuationToken),
                "the token (base64: '+', '/', '=') arrives intact, so it was URL-encoded");
            Assert.That(first.Value.Members[0], Is.EqualTo(new TeamsMember
            {
                Id = "29:user-0",
                AadObjectId = "00000000-0000-0000-0000-000000000000",
                Name = "Person 0",
                TenantId = ConnectorHost.TenantId,
                UserRole = "user",
            }));
        });
    }

    [Test]
    public async Task All_members_are_read_by_walking_every_page()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.SetRoster("19:team@thread.tacv2", Roster(1_001).Select(m => m with { Email = $"{m.Name}@example.com" }));
        using var host = ConnectorHost.Local();

        var result = await host.Client.GetAllMembersAsync(fake.ServiceUrl, "19:team@thread.tacv2");

        Assert.That(result.IsSuccess, Is.True, result.ToString());
        Assert.Multiple(() =>
        {
            Assert.That(result.Value!.Select(m => m.Id), Is.EqualTo(Enumerable.Range(0, 1_001).Select(i => $"29:user-{i}")));
            Assert.That(result.Value![1_000].Email, Is.EqualTo("Person 1000@example.com"), "email is kept when Teams sends it");
            Assert.That(fake.CountOf(FakeOperation.GetMembers), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Walking_the_members_stops_at_a_failed_page_and_returns_the_failure()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.SetRoster("19:team@thread.tacv2", Roster(600));
        fake.RespondNext(1, FakeReply.TooManyRequests(TimeSpan.FromSeconds(3)), r => r.Query.ContainsKey("continuationToken"));
        using var host = ConnectorHost.Local();

        var result = await host.Client.GetAllMembersAsync(fake.ServiceUrl, "19:team@thread.tacv2");

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.StatusCode, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(result.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(3)));
        });
    }

    [Test]
    public async Task A_success_without_a_members_array_is_an_invalid_response()
    {
        await using var fake = await FakeBotConnector.StartAsync();
        fake.OnRequest = (_, _) => ValueTask.FromResult<FakeReply?>(new FakeReply(200, """{"continuationToken":"x"}"""));
        using var host = ConnectorHost.Local();

        var result = await host.Client.GetPagedMembersAsync(fake.ServiceUrl, "19:team@thread.tacv2");

        Assert.Multiple(() =>
        {
            Assert.That(result.IsSuccess, Is.False);
            Assert.That(result.Failure, Is.EqualTo(ConnectorFailure.InvalidResponse));
            Assert.That(result.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        });
    }

    [Test]
    public async Task The_path_of_the_service_url_is_kept()
    {
        await using var fake = await FakeBotConnector.StartAsync(pathBase: "/amer/");
        using var host = ConnectorHost.Local();

        var result = await host.Client.SendAsync(fake.ServiceUrl.TrimEnd('/'), "a:chat", Message);

        Assert.That(result.IsSuccess, Is.True, result.ToString());
        Assert.That(fake.Requests.Single().RawTarget, Is.EqualTo("/amer/v3/conversations/a%3Achat/activities"));
    }

    [Test]
    public async Task A_connector_that_does_not_answer_is_reported_as_no_response()
    {
        using var host = ConnectorHost.Local();
        var closedPort = Support.BotProcess.FreePort();

        var result = await host.Client.SendAsync($"http://127.0.0.1:{closedPort}/", "a:chat", Message);

        Assert.Multiple(() =>
        {
            Assert.That(result.Failure, Is.EqualTo(ConnectorFailure.NoResponse));
            Assert.That(result.StatusCode, Is.Null);
            Assert.That(result.ErrorMessage, Is.Not.Empty);
        });
    }

    private static IEnumerable<FakeMember> Roster(int count) =>
        Enumerable.Range(0, count).Select(i => new FakeMember($"29:user-{i}", new Guid(i, 0, 0, new byte[8]).ToString(), $"Person {i}", ConnectorHost.TenantId));
}
