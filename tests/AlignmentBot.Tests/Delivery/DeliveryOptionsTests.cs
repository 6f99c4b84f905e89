using AlignmentBot.Bot.Delivery;

namespace AlignmentBot.Tests.Delivery;

/// <summary>The delivery settings this issue added, checked at start-up with one line naming each.</summary>
public class DeliveryOptionsTests
{
    [Test]
    public void Bad_pacing_allowance_and_in_flight_settings_are_each_named()
    {
        var result = new DeliveryOptionsValidator().Validate(null, new DeliveryOptions
        {
            Pacing = (PacingRule)7,
            ArrivalAllowance = TimeSpan.FromSeconds(2),
            MaxInFlight = 0,
        });

        Assert.That(result.Failed, Is.True);
        Assert.That(result.Failures, Has.Some.StartsWith("Delivery:Pacing must be Answered"));
        Assert.That(result.Failures, Has.Some.StartsWith("Delivery:ArrivalAllowance must be from 00:00:00 to 00:00:01"));
        Assert.That(result.Failures, Has.Some.StartsWith("Delivery:MaxInFlight must be from 1 to 10000"));
    }

    [Test]
    public void The_defaults_are_valid_and_pace_by_the_answer()
    {
        var defaults = new DeliveryOptions();

        Assert.That(new DeliveryOptionsValidator().Validate(null, defaults).Succeeded, Is.True);
        Assert.That(defaults.Pacing, Is.EqualTo(PacingRule.Answered), "0 429s by default");
    }
}
