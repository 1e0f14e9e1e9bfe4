using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Xuncha.ServiceDefaults.Messaging;

public static class EventBus
{
    /// <summary>
    /// MassTransit on RabbitMQ (connection "eventbus", an amqp:// URI) with the platform's conventions: queues named
    /// "&lt;service&gt;-&lt;consumer&gt;", a short in-memory retry then the "_error" queue, the in-memory outbox per
    /// consume, and the transactional outbox relay for <typeparamref name="TDb"/>.
    /// </summary>
    public static IHostApplicationBuilder AddEventBus<TDb>(this IHostApplicationBuilder builder, string serviceName, Action<IBusRegistrationConfigurator>? consumers = null)
        where TDb : DbContext
    {
        var uri = builder.Configuration.GetConnectionString(ConnectionNames.EventBus)
            ?? throw new InvalidOperationException($"Connection string '{ConnectionNames.EventBus}' is missing (ConnectionStrings__{ConnectionNames.EventBus}).");
        var retryIntervals = builder.Configuration.GetSection("EventBus:RetryMilliseconds").Get<int[]>() ?? [100, 500, 2000];
        var quorum = builder.Configuration.GetValue("EventBus:QuorumQueues", false);

        builder.Services.AddMassTransit(x =>
        {
            x.SetEndpointNameFormatter(new KebabCaseEndpointNameFormatter(serviceName, false));
            consumers?.Invoke(x);
            x.AddConfigureEndpointsCallback((context, name, endpoint) =>
            {
                context.GetRequiredService<ErrorQueues>().Track(name);
                endpoint.UseMessageRetry(r => r.Intervals(retryIntervals));
                endpoint.UseInMemoryOutbox(context);
                if (quorum && endpoint is IRabbitMqReceiveEndpointConfigurator rabbit)
                {
                    rabbit.SetQuorumQueue();
                }
            });
            x.UsingRabbitMq((context, cfg) =>
            {
                cfg.Host(new Uri(uri));
                cfg.ConfigureEndpoints(context);
            });
        });
        builder.Services.Configure<MassTransitHostOptions>(o =>
        {
            // Start without waiting for the broker: commands keep working (into the outbox) while it is away.
            o.WaitUntilStarted = false;
            o.StopTimeout = TimeSpan.FromSeconds(15);
        });
        builder.Services.AddHostedService<OutboxRelay<TDb>>();
        builder.Services.AddSingleton(new ErrorQueues(uri, serviceName));
        return builder;
    }
}
