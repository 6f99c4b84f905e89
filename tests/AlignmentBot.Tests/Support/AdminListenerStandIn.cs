using AlignmentBot.Bot.Admin;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;

namespace AlignmentBot.Tests.Support;

/// <summary>
/// The in-process test host has no sockets, so no request arrives on any port: this stands its requests in for ones
/// arriving on the admin listener (the real listeners are tested over Kestrel in AdminListenerTests). A request with
/// <see cref="PublicHeader"/> stays portless, as one on the public port would be for the gate.
/// </summary>
public sealed class AdminListenerStandIn : IStartupFilter
{
    public const string PublicHeader = "X-Test-Public-Listener";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        var port = app.ApplicationServices.GetRequiredService<AdminListener>().Port;
        app.Use((context, nextMiddleware) =>
        {
            if (context.Connection.LocalPort == 0 && !context.Request.Headers.ContainsKey(PublicHeader))
            {
                context.Connection.LocalPort = port;
            }

            return nextMiddleware(context);
        });
        next(app);
    };
}
